/**
 * `npm run test:integration`: the vscode-API suite under @vscode/test-electron, which downloads a
 * VS Code build (so it needs internet; it cannot run on the CI machines here). CI runs the same
 * suite inside code-server instead: see test/e2e/integration.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-integration-'));
  fs.cpSync(path.join(repoRoot, 'notes'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.LECTERN_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(__dirname, 'suite', 'index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
