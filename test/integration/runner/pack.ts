/**
 * Packs the test-only runner extension into a VSIX for the end-to-end tests' profile. Its entry is a
 * shim that loads the compiled runner from this checkout (out/test/integration/runner/extension.js),
 * so the suite and its dependencies (mocha, Lectern's core) resolve from the repo's node_modules.
 */
import { spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { repoRoot } from '../../harness/vscode-web';

export const runnerExtensionId = 'lectern-notes.lectern-integration-runner';

export async function packRunnerVsix(workDir: string): Promise<string> {
  const stage = path.join(workDir, 'runner-extension');
  await fsp.rm(stage, { recursive: true, force: true });
  await fsp.mkdir(stage, { recursive: true });
  const runner = path.join(repoRoot, 'out', 'test', 'integration', 'runner', 'extension.js');
  await fsp.access(runner).catch(() => {
    throw new Error(`${runner} is missing: run \`npm run compile\` first`);
  });
  const manifest = {
    name: 'lectern-integration-runner',
    displayName: 'Lectern integration test runner (test-only)',
    description: "Runs Lectern's vscode-API integration suite on startup and writes a report. Never published.",
    publisher: 'lectern-notes',
    version: '0.0.0',
    license: 'MIT',
    private: true,
    engines: { vscode: '^1.95.0' },
    activationEvents: ['onStartupFinished'],
    main: './extension.js',
  };
  await fsp.writeFile(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
  await fsp.writeFile(path.join(stage, 'README.md'), '# Lectern integration test runner\n\nTest-only; see test/integration/runner.\n');
  await fsp.writeFile(path.join(stage, 'extension.js'), `module.exports = require(${JSON.stringify(runner)});\n`);
  const vsix = path.join(workDir, 'lectern-integration-runner.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', vsix],
      { cwd: stage, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, output: text }));
  });
  if (code !== 0) throw new Error(`packing the runner extension failed:\n${output}`);
  return vsix;
}
