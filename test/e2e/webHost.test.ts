/**
 * Lectern in the browser's web-worker extension host (its `browser` entry, dist/web/extension.js),
 * as on vscode.dev and github.dev: code-server's user setting `remote.extensionKind` moves it
 * there. One session walks every feature once — cheaper than running every suite twice (issue
 * #17: the whole CI must stay under 20 minutes), and each step mirrors an assertion of the Node
 * host's suites (todos, preview, demos). Any single suite can also be rerun in this host with
 * LECTERN_E2E_HOST=web.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { applyEdit, parseNotes } from '../../src/core';
import { planTodoEdit } from '../../src/core/edit';
import { todoLabel } from '../../src/core/todoLabels';
import { checkScrollSync, exthostErrors, readManifest, repoRoot, startVSCode, type VSCodeSession } from './lib';
import { clickCodeLens, readStatus, waitForDemo, webviewProblems } from './lib/demos';

const notes = 'iacv-lectures-08-14.md';
const original = fs.readFileSync(path.join(repoRoot, 'notes', notes), 'utf8');
const openTodos = parseNotes(original).todos.filter((t) => t.status === 'open');
const target = openTodos.find((t) => /2x and 8x/.test(t.text)) ?? openTodos[0];
const answer = 'stride 2 doubles the size, stride 8 multiplies it by 8';

/** Past the model's 256 K-character threshold: parsed in the Blob-URL web worker, not on the host's thread. */
const bigNote = 'big-note.md';
const BIG_NOTE = [
  '# A long chapter',
  '',
  ...Array.from({ length: 3200 }, (_, i) => `Paragraph ${i} with $a_{${i}} + b^2$ and some words to make it long enough to matter here.\n`),
  '## Questions',
  '',
  'TODO: first question of the big note',
  '',
  '- [ ] second question of the big note',
  '',
  'FIXME: third question of the big note',
  '',
].join('\n');

const broken = 'broken-math.md';
const BROKEN_NOTE = ['# Planted errors', '', 'A fine formula $x^2 + y^2$ here.', '', 'A broken one $\\frac{a}{b$ there.', '', '$$', '\\sum_{i=1}^{n} \\badmacro{i}', '$$', ''].join('\n');
const macrosNote = 'macros/uses-macros.md';
const MACROS_NOTE = ['# Macros', '', 'From the folder: $x \\in \\RR^n$.', '', 'From the settings: $\\Loss(\\theta)$.', ''].join('\n');

const view = '[id="workbench.view.extension.lectern"]';
const rows = `${view} .monaco-list-row`;
const badge = '.activitybar .action-item:has(a[aria-label^="Lectern"]) .badge-content';

describe('Lectern in the web worker extension host (vscode.dev / github.dev)', () => {
  let vscode: VSCodeSession;
  let preview: Frame;
  const openCount = openTodos.length + 3;

  async function waitForBadge(value: number): Promise<void> {
    await vscode.page.locator(badge, { hasText: new RegExp(`^${value}$`) }).waitFor({ state: 'visible', timeout: 30_000 });
  }

  async function focusEditor(): Promise<void> {
    await vscode.runCommand('View: Focus Active Editor Group');
  }

  /** Runs a palette command that itself opens a quick input (so the palette never closes). */
  async function startPaletteCommand(label: string): Promise<void> {
    await vscode.page.keyboard.press('F1');
    const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${label}`);
    await vscode.page.locator('.quick-input-widget .monaco-list-row', { has: vscode.page.locator('.label-name', { hasText: label }) }).first().waitFor({ timeout: 10_000 });
    await vscode.page.keyboard.press('Enter');
  }

  async function saveAndRead(file: string): Promise<string> {
    const before = fs.statSync(file).mtimeMs;
    await focusEditor();
    await vscode.page.keyboard.press('Control+S');
    const deadline = Date.now() + 10_000;
    while (fs.statSync(file).mtimeMs === before && Date.now() < deadline) await vscode.page.waitForTimeout(100);
    await vscode.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
    return fs.readFileSync(file, 'utf8');
  }

  before(async () => {
    vscode = await startVSCode({
      name: 'web-host',
      host: 'web',
      openFile: notes,
      files: { [bigNote]: BIG_NOTE, [broken]: BROKEN_NOTE, [macrosNote]: MACROS_NOTE, 'macros/.lectern/macros.tex': '\\newcommand{\\RR}{\\mathbb{R}}\n' },
      settings: {
        'files.autoSave': 'off',
        'lectern.math.macros': { '\\Loss': '\\mathcal{L}' },
        // `webgl` allows SwiftShader (headless Chromium); `auto` would pick the CPU there.
        'lectern.demos.backend': 'webgl',
      },
    });
  });
  after(async () => {
    await vscode?.close();
  });

  test('activates in the web worker extension host, not the Node one', async (t) => {
    assert.equal(vscode.extensionHost, 'web');
    const activation = await vscode.activation(60_000);
    t.diagnostic(`web host activation (${activation.activationEvent}): activate() ${activation.activateMs} ms; load + activate ${activation.loadAndActivateMs} ms`);
    await vscode.waitForLog(/Lectern activated in \d+ ms \(web worker extension host\)/);
    // Nothing of it in the Node extension host.
    const nodeHost = (await vscode.server.findLogFiles(/exthost\d+\/remoteexthost\.log$/)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    assert.doesNotMatch(nodeHost, /_doActivateExtension lectern-notes\.lectern/, 'Lectern also ran in the Node extension host');
  });

  test('the TODO tree and badge list every note, the big one parsed in the Blob-URL web worker', async (t) => {
    await vscode.runCommand('View: Show Lectern');
    await vscode.page.locator(rows).first().waitFor({ state: 'visible', timeout: 30_000 });
    await waitForBadge(openCount);
    const started = await vscode.waitForLog(/Parse web worker started/);
    assert.ok(started);
    const bigRow = vscode.page.locator(rows, { has: vscode.page.locator('.label-name', { hasText: bigNote }) });
    await bigRow.first().waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal((await bigRow.first().locator('.label-description').textContent())?.trim(), '3 / 3');
    await vscode.page.locator(rows, { hasText: 'first question of the big note' }).first().waitFor({ timeout: 10_000 });
    await vscode.screenshot('tree');
    const lecternLog = await vscode.outputChannelLog();
    assert.doesNotMatch(lecternLog, /Cannot start the parse web worker|Parse web worker stopped|running it on the main thread/);
    t.diagnostic(`${openCount} open TODOs; big note ${BIG_NOTE.length} characters`);
  });

  test('Resolve TODO… writes the core’s edit; one Undo restores the note', async () => {
    await startPaletteCommand('Lectern: Resolve TODO…');
    const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
    await vscode.page.locator('.quick-input-widget .quick-input-box input[placeholder^="Type to filter open TODOs"]').waitFor({ timeout: 10_000 });
    await input.pressSequentially(target.text.slice(0, 24), { delay: 20 });
    await vscode.page.locator('.quick-input-widget .monaco-list-row', { hasText: todoLabel(target) }).first().waitFor({ timeout: 10_000 });
    await vscode.page.keyboard.press('Enter');
    await vscode.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Resolve:' }).waitFor({ timeout: 10_000 });
    await input.pressSequentially(answer, { delay: 5 });
    await vscode.page.keyboard.press('Enter');
    await vscode.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    await waitForBadge(openCount - 1);
    const file = path.join(vscode.workspaceDir, notes);
    const resolved = await saveAndRead(file);
    const plan = planTodoEdit(original, target.id, target.text, answer);
    assert.ok(plan.ok);
    assert.equal(resolved, applyEdit(original, plan.edit), 'the note holds exactly the core’s resolve edit');
    await vscode.page.locator(rows, { hasText: todoLabel(target) }).waitFor({ state: 'detached', timeout: 10_000 });
    await vscode.screenshot('resolved');

    await focusEditor();
    await vscode.page.keyboard.press('Control+Z');
    assert.ok((await saveAndRead(file)) === original, 'byte-identical after one Undo');
    await waitForBadge(openCount);
  });

  test('Export TODOs opens the checklist', async () => {
    await startPaletteCommand('Lectern: Export TODOs');
    await vscode.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Markdown checklist' }).first().waitFor({ timeout: 10_000 });
    await vscode.page.keyboard.press('Enter');
    const line = vscode.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'first question of the big note' });
    await line.first().waitFor({ timeout: 20_000 });
    await vscode.screenshot('export-todos');
    await vscode.runCommand('View: Revert and Close Editor');
  });

  test('the preview renders the notes’ math and scrolls with the editor', async (t) => {
    await vscode.openFile(notes);
    await vscode.runCommand('Lectern: Open Preview to the Side');
    preview = await vscode.waitForWebviewFrame({ selector: 'body.lectern-ready #lectern-content .katex', timeoutMs: 60_000 });
    const counts = await preview.evaluate<{ katex: number; errors: number; lines: number }>(`(() => ({
      katex: document.querySelectorAll('#lectern-content .katex').length,
      errors: document.querySelectorAll('#lectern-content .katex-error').length,
      lines: document.querySelectorAll('#lectern-content [data-line]').length,
    }))()`);
    t.diagnostic(JSON.stringify(counts));
    assert.ok(counts.katex >= 10 && counts.lines > 20, JSON.stringify(counts));
    assert.equal(counts.errors, 0);
    await vscode.screenshot('preview');

    await checkScrollSync(vscode, preview, t);
  });

  test('macros from the settings and from .lectern/macros.tex render', async () => {
    await vscode.openFile(macrosNote);
    preview = await vscode.waitForWebviewFrame({ selector: 'body.lectern-ready #lectern-content .katex', title: 'Preview uses-macros.md', timeoutMs: 30_000 });
    await preview.waitForFunction(`document.querySelectorAll('#lectern-content .katex').length === 2`, undefined, { timeout: 20_000 });
    assert.equal(await preview.locator('#lectern-content .katex-error').count(), 0, 'both macros known');
    // KaTeX marks what the macros expand to: \\mathbb (from macros.tex) and \\mathcal (from the settings).
    assert.equal(await preview.locator('#lectern-content .katex .mathbb').count(), 1, '\\RR from macros.tex is \\mathbb{R}');
    assert.equal(await preview.locator('#lectern-content .katex .mathcal').count(), 1, '\\Loss from the settings is \\mathcal{L}');
    await vscode.screenshot('macros');
  });

  test('math diagnostics at the exact range, and the hover shows the formula', async (t) => {
    await vscode.openFile(broken);
    await vscode.page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await vscode.runCommand('Problems: Focus on Problems View');
    const problemRows = vscode.page.locator('.markers-panel .monaco-list-row');
    await problemRows.filter({ hasText: 'badmacro' }).first().waitFor({ timeout: 30_000 });
    const texts = await problemRows.allTextContents();
    t.diagnostic(texts.join(' | '));
    assert.ok(texts.some((r) => /Undefined control sequence: \\badmacro/.test(r) && /\[Ln 8, Col 16\]/.test(r)), texts.join(' | '));

    // The cursor into `$x^2 + y^2$` (line 3, column 18), then the hover from the keyboard.
    await vscode.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await vscode.page.keyboard.press('Control+G');
    await vscode.page.keyboard.type('3:18');
    await vscode.page.keyboard.press('Enter');
    await vscode.page.keyboard.press('Control+K');
    await vscode.page.keyboard.press('Control+I');
    const image = vscode.page.locator('.monaco-hover img[src^="data:image/svg+xml"]').first();
    await image.waitFor({ state: 'visible', timeout: 20_000 });
    const size = await image.evaluate((img: { naturalWidth: number; naturalHeight: number }) => ({ width: img.naturalWidth, height: img.naturalHeight }));
    assert.ok(size.width > 0 && size.height > 0, 'the SVG (base64 without Buffer) decodes');
    await vscode.screenshot('hover');
    await vscode.page.keyboard.press('Escape');
  });

  test('Export HTML writes the page and KaTeX assets through workspace.fs', async () => {
    await vscode.openFile(broken);
    await startPaletteCommand('Lectern: Export HTML');
    await vscode.page.waitForFunction(
      `(() => { const i = document.querySelector('.quick-input-widget input'); return !!i && i.value.endsWith('broken-math.html'); })()`,
      undefined,
      { timeout: 15_000 },
    );
    await vscode.page.keyboard.press('Enter');
    await vscode.page.locator('.notifications-toasts', { hasText: 'Exported broken-math.html' }).first().waitFor({ timeout: 30_000 });
    const html = fs.readFileSync(path.join(vscode.workspaceDir, 'broken-math.html'), 'utf8');
    assert.match(html, /<link rel="stylesheet" href="lectern-assets\/katex.min.css">/);
    assert.match(html, /class="katex"/);
    assert.doesNotMatch(html, /<script/i);
    assert.ok(fs.readdirSync(path.join(vscode.workspaceDir, 'lectern-assets', 'fonts')).includes('KaTeX_Main-Regular.woff2'));
    await vscode.screenshot('exported');
  });

  test('a demo runs on WebGL and "Use as answer" resolves its TODO', async (t) => {
    await vscode.openFile(notes);
    await clickCodeLens(vscode, 'transposed-conv');
    const frame = await waitForDemo(vscode, 'transposed-conv');
    const status = await readStatus(frame);
    t.diagnostic(`${status.text} ${JSON.stringify(status.summary)}`);
    assert.equal(status.backend, 'webgl', `backend (notice: ${status.notice || 'none'})`);
    assert.equal(status.error, undefined);
    await frame.locator('#demo-answer-use').dispatchEvent('click');
    await frame.waitForSelector('#demo-answer-result[data-ok="true"]', { timeout: 30_000 });
    await vscode.waitForLog(/Resolved .+ in \S*iacv-lectures-08-14\.md/, { timeoutMs: 10_000 });
    await waitForBadge(openCount - 1);
    await vscode.screenshot('demo-answered');
    const problems = webviewProblems(vscode);
    assert.deepEqual(problems.csp, [], 'CSP violations in the webviews');
    assert.deepEqual(problems.errors, [], 'console errors in the webviews');
  });

  test('no errors from Lectern in the web worker host', async () => {
    const { ours } = exthostErrors(await vscode.extensionHostLog(), readManifest().extensionId);
    // One line is VS Code's own, not an error of Lectern's: the workbench asked for the children of a
    // TODO-tree node the extension host had just replaced (the tree refreshed after Resolve/Undo while
    // the request crossed the web worker's message channel); the host answers [] and the workbench
    // asks again (extHostTreeViews `getChildren`). Seen once in three CI runs, never in the Node host.
    const staleTreeHandle = /^No tree item with id '[^']*' found\.$/;
    assert.deepEqual(
      ours.map((l) => l.message).filter((m) => !staleTreeHandle.test(m)),
      [],
      'errors about Lectern in the web worker extension host log',
    );
    const lecternLog = await vscode.outputChannelLog();
    assert.deepEqual(lecternLog.split('\n').filter((l) => /\[(error|warning)\]/.test(l)), [], "errors or warnings in Lectern's output channel");
  });
});
