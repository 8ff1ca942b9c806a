/**
 * Runs the vscode-API integration suite (test/integration/suite) inside code-server: a test-only
 * runner extension, installed only into this run's profile, runs it on startup and writes a report
 * that each mocha test becomes a subtest of here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { IntegrationReport } from '../integration/suite';
import { packRunnerVsix } from '../integration/runner/pack';
import { resultsEnv } from '../integration/runner/extension';
import { startVSCode, type VSCodeSession } from './lib';
import { defaultVsix } from '../harness/vscode-web';

let workDir: string;
let resultsFile: string;
let vscode: VSCodeSession | undefined;

before(async () => {
  workDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'lectern-integration-'));
  resultsFile = path.join(workDir, 'results.json');
  const runner = await packRunnerVsix(workDir);
  vscode = await startVSCode({ name: 'integration', vsix: [defaultVsix, runner], env: { [resultsEnv]: resultsFile } });
});

after(async () => {
  await vscode?.close();
  if (workDir) await fsp.rm(workDir, { recursive: true, force: true });
});

test('the vscode-API integration suite passes inside code-server', async (t) => {
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(resultsFile)) {
    if (Date.now() > deadline) assert.fail(`no report in ${resultsFile} after 180 s; extension host log:\n${(await vscode!.extensionHostLog()).slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await vscode!.screenshot('suite-done');
  const report = JSON.parse(await fsp.readFile(resultsFile, 'utf8')) as IntegrationReport;
  t.diagnostic(`mocha: ${report.passed} passed, ${report.failed} failed, ${report.pending} pending in ${report.durationMs} ms`);
  assert.ok(report.tests.length > 0, 'the suite ran tests');
  for (const result of report.tests) {
    await t.test(result.title, (st) => {
      if (result.state === 'pending') st.skip('pending in mocha');
      else if (result.state === 'failed') assert.fail(result.error ?? 'failed');
    });
  }
  assert.equal(report.failed, 0, 'failed integration tests');
});
