/**
 * Runs Lectern's vscode-API integration suite (every `*.test.js` beside this file) with mocha, inside
 * a real extension host. Two entry points use it:
 *  - `run()`, the `extensionTestsPath` of @vscode/test-electron (`npm run test:integration`, on
 *    machines that can download VS Code);
 *  - the test-only runner extension (../runner/extension.ts), which code-server loads in the
 *    end-to-end tests' profile because code-server does not support `extensionTestsPath`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';

export interface IntegrationTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface IntegrationReport {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: IntegrationTestResult[];
}

/** Runs the suite and returns what happened to each test; never rejects because a test failed. */
export function runSuite(options: { reporter?: string } = {}): Promise<IntegrationReport> {
  // Resolved from this file: the repo's node_modules in both set-ups.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time, from wherever the suite runs
  const Mocha = require('mocha') as typeof MochaType;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: options.reporter ?? 'spec' });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const started = Date.now();
  const tests: IntegrationTestResult[] = [];
  return new Promise((resolve) => {
    const runner = mocha.run(() =>
      resolve({
        passed: tests.filter((t) => t.state === 'passed').length,
        failed: tests.filter((t) => t.state === 'failed').length,
        pending: tests.filter((t) => t.state === 'pending').length,
        durationMs: Date.now() - started,
        tests,
      }),
    );
    runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('pending', (test) => tests.push({ title: test.fullTitle(), state: 'pending' }));
    runner.on('fail', (test, error: Error) =>
      tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: error.stack ?? String(error) }),
    );
  });
}

/** Entry point for @vscode/test-electron: rejects when any test failed. */
export async function run(): Promise<void> {
  const report = await runSuite();
  if (report.failed > 0) throw new Error(`${report.failed} of ${report.tests.length} integration tests failed`);
  if (report.tests.length === 0) throw new Error('the integration suite ran no test');
}
