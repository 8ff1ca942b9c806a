/**
 * Helpers for Lectern's end-to-end tests: a real VS Code (code-server) in headless Chromium.
 *
 * Usage (node:test; compiled by `tsc -p .`, run by `npm run test:e2e`, one file at a time):
 *
 *   import { after, before, test } from 'node:test';
 *   import * as assert from 'node:assert/strict';
 *   import { startVSCode, type VSCodeSession } from './lib';
 *
 *   let vscode: VSCodeSession;
 *   before(async () => {
 *     vscode = await startVSCode({
 *       name: 'todos',                                  // screenshots: test-results/e2e/todos/NN-step.png
 *       openFile: 'iacv-lectures-08-14.md',             // relative to the workspace (a fresh copy of notes/)
 *       files: { 'extra/mine.md': '# T\n\nTODO: x\n' }, // optional extra workspace files
 *       settings: { 'lectern.someSetting': true },      // optional user settings for this run
 *     });
 *   });
 *   after(() => vscode?.close());                       // always: kills code-server's process group
 *
 *   test('resolves a TODO', async () => {
 *     await vscode.runCommand('Lectern: Resolve TODO'); // exact palette label "Category: Title"
 *     await vscode.page.locator('.some-selector').waitFor(); // wait for conditions, never sleep
 *     await vscode.screenshot('resolved');
 *     const frame = await vscode.waitForWebviewFrame({ selector: 'canvas' }); // webview documents
 *     assert.equal(vscode.cspViolations.length, 0);     // CSP reports from every frame
 *     assert.deepEqual((await vscode.notifications()).filter((n) => n.severity === 'error'), []);
 *   });
 *
 * Also: `vscode.paletteEntries('>Lectern')`, `vscode.openFile(rel)`, `vscode.activation()`
 * (activation read from the real logs), `vscode.extensionHostLog()`, `vscode.outputChannelLog()`,
 * `vscode.waitForLog(/pattern/)`, `vscode.console` (console messages of all frames),
 * `vscode.workspaceDir` (edit files there to drive the extension), `vscode.page` (Playwright).
 * Requirements: `npm run package` has built build/lectern.vsix (npm run test:e2e does it), and
 * /usr/bin/chromium exists; code-server is installed on first use by test/harness/install-code-server.sh.
 * Set LECTERN_E2E_HOST=web to run a suite with Lectern in the browser's web-worker extension host
 * (its `browser` entry; logs are then read from the page's IndexedDB).
 * Set LECTERN_E2E_KEEP=1 to keep the run folder (profile, logs, workspace copy) after close().
 */
export { startVSCode, chromiumArgs, chromiumPath, webHostSettings, type ExtensionHostKind, type StartOptions, type VSCodeSession, type Notification } from './vscode';
export { goToLine, checkScrollSync } from './editor';
export { waitForWebviewFrame, webviewFrames, collectConsole, type ConsoleEntry, type CspViolation, type WaitForWebviewOptions } from './webview';
export { readManifest, paletteLabel, parseLog, activationFromLogs, exthostErrors, type Manifest, type LogLine, type ActivationReport } from './logs';
export { launchCodeServer, ensureCodeServer, baseSettings, codeServerVersion, repoRoot, type CodeServer, type LaunchOptions } from '../../harness/vscode-web';
