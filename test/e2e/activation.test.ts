/**
 * The first flows proven in a real VS Code (code-server) in headless Chromium: Lectern activates on
 * opening the lecture notes without errors, its commands are in the command palette, and its
 * activation time is read from the real extension host (reported, never asserted).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exthostErrors, paletteLabel, readManifest, repoRoot, startVSCode, type VSCodeSession } from './lib';

const lectureNotes = 'iacv-lectures-08-14.md';
const manifest = readManifest();

/** The notes file to open: the lecture notes, or (while they are being written) any note. */
function notesFile(): string {
  if (fs.existsSync(path.join(repoRoot, 'notes', lectureNotes))) return lectureNotes;
  const any = fs.readdirSync(path.join(repoRoot, 'notes')).find((f) => f.endsWith('.md'));
  if (!any) throw new Error('notes/ has no Markdown file to open');
  return any;
}

describe('Lectern in VS Code (code-server)', () => {
  let vscode: VSCodeSession;
  const file = notesFile();

  before(async () => {
    vscode = await startVSCode({ name: 'activation' });
  });
  after(async () => {
    await vscode?.close();
  });

  test(`activates on opening notes/${file} without errors`, async (t) => {
    t.diagnostic(`workbench ready in ${vscode.workbenchReadyMs} ms`);
    // Another activation event (a view, say) may legitimately activate Lectern first.
    const activeBeforeOpening = /Lectern activated/.test(await vscode.outputChannelLog());

    let mark = Date.now();
    await vscode.openFile(file);
    t.diagnostic(`opened ${file} in ${Date.now() - mark} ms`);
    mark = Date.now();
    const activation = await vscode.activation();
    t.diagnostic(`activation lines in the logs after ${Date.now() - mark} ms`);
    await vscode.screenshot('notes-open');
    if (activeBeforeOpening) t.diagnostic(`Lectern was already active (${activation.activationEvent})`);
    else assert.equal(activation.activationEvent, 'onLanguage:markdown');

    const lecternLog = await vscode.outputChannelLog();
    // Which extension host ran it: Node by default, the browser's web worker with LECTERN_E2E_HOST=web.
    const host = /Lectern activated in \d+ ms \((Node|web worker) extension host\)/.exec(lecternLog);
    assert.ok(host, `Lectern's log names its extension host:\n${lecternLog.slice(0, 2000)}`);
    t.diagnostic(`Lectern ran in the ${host[1]} extension host`);
    console.log(`Lectern ran in the ${host[1]} extension host`);
    assert.equal(host[1] === 'web worker' ? 'web' : 'node', vscode.extensionHost, 'the host this session asked for');
    assert.deepEqual(
      lecternLog.split('\n').filter((l) => /\[error\]/.test(l)),
      [],
      "errors in Lectern's output channel",
    );
    const { ours, others } = exthostErrors(await vscode.extensionHostLog(), manifest.extensionId);
    assert.deepEqual(ours.map((l) => l.message), [], 'errors about Lectern in the extension host log');
    if (others.length > 0) t.diagnostic(`ignored ${others.length} offline-noise error(s) in the extension host log (telemetry/marketplace lookups)`);

    mark = Date.now();
    const notifications = await vscode.notifications();
    t.diagnostic(`${notifications.length} notification(s) read in ${Date.now() - mark} ms`);
    const errors = notifications.filter((n) => n.severity === 'error');
    assert.deepEqual(errors, [], 'error notifications');
    await vscode.screenshot('no-error-notifications');
  });

  test('its commands appear in the command palette under "Lectern"', async (t) => {
    // Commands hidden from the palette (`when: false`) are not expected there.
    const expected = manifest.commands.filter((c) => c.paletteWhen !== 'false');
    const unconditional = expected.filter((c) => c.paletteWhen === undefined).map(paletteLabel);
    const shown = (await vscode.paletteEntries('>Lectern')).filter((label) => label.startsWith('Lectern: '));
    await vscode.screenshot('palette-lectern');
    t.diagnostic(`palette shows ${shown.length} Lectern command(s): ${shown.join(' | ') || 'none'}`);

    const missing = unconditional.filter((label) => !shown.includes(label));
    assert.deepEqual(missing, [], 'contributed commands missing from the palette');
    const known = new Set(expected.map(paletteLabel));
    // VS Code itself adds "<container>: Focus on <view> View" for each contributed view.
    const focusView = /^Lectern: Focus on (.+) View$/;
    const unknown = shown.filter((label) => !known.has(label) && !manifest.viewNames.includes(focusView.exec(label)?.[1] ?? ''));
    assert.deepEqual(unknown, [], 'palette entries under "Lectern" that package.json does not contribute');
    // Each contributed command is also found by its full label (the palette's fuzzy filter).
    for (const label of unconditional) {
      const entries = await vscode.paletteEntries(`>${label}`);
      assert.ok(entries.includes(label), `'${label}' not found by its own label (found: ${entries.join(' | ')})`);
    }
  });

  test('activation time is read from the real extension host', async (t) => {
    const activation = await vscode.activation();
    const line = `Lectern activation (${activation.activationEvent}): activate() ${activation.activateMs} ms; ` +
      `load + activate ${activation.loadAndActivateMs} ms (extension host log timestamps)`;
    t.diagnostic(line);
    console.log(line);
    assert.ok(Number.isInteger(activation.activateMs) && activation.activateMs >= 0, 'activate() time parsed from the log');
    assert.ok(activation.loadAndActivateMs >= activation.activateMs - 1, 'load + activate covers activate()');
  });
});
