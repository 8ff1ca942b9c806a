/**
 * The test-only runner extension's code. code-server ignores `extensionTestsPath`, so the end-to-end
 * tests install a second, throw-away extension (packed by ./pack.ts, only into the test profile)
 * whose activation runs the integration suite and writes the report to the file named by
 * LECTERN_INTEGRATION_RESULTS (written atomically: a reader never sees half a report).
 * It needs no `vscode` API itself; the suite's tests use it.
 */
import * as fs from 'node:fs';
import { runSuite, type IntegrationReport } from '../suite';

export const resultsEnv = 'LECTERN_INTEGRATION_RESULTS';

export function activate(): void {
  const resultsFile = process.env[resultsEnv];
  if (!resultsFile) {
    console.warn(`[lectern-integration-runner] ${resultsEnv} is not set: not running the suite`);
    return;
  }
  // Not awaited: activation must finish so that the suite's own activation checks can proceed.
  void runSuite()
    .catch(
      (error: unknown): IntegrationReport => ({
        passed: 0,
        failed: 1,
        pending: 0,
        durationMs: 0,
        tests: [{ title: 'integration suite could not run', state: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }],
      }),
    )
    .then((report) => {
      fs.writeFileSync(`${resultsFile}.tmp`, JSON.stringify(report, null, 2));
      fs.renameSync(`${resultsFile}.tmp`, resultsFile);
    });
}

export function deactivate(): void {
  // Nothing to release.
}
