/**
 * The TODO workflow in a real VS Code (code-server) driven by headless Chromium, as a user does it:
 * the Lectern view lists the open TODOs of notes/ under their sections with the right counts and
 * badge; Resolve TODO… from the command palette (typing into the quick pick and the input box)
 * writes the answer into the note, moves the TODO to resolved in the tree and updates the badge;
 * one Undo restores the original bytes; Next / Previous TODO move the cursor (keybindings too).
 *
 * The oracle for "right" is the pure core on the same file: the tree the UI shows must be the tree
 * model built from parseNotes, and the text after resolving must be exactly the core's edit.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applyEdit, parseNotes } from '../../src/core';
import type { Todo } from '../../src/core';
import { buildTodoTree } from '../../src/core/todoTree';
import { planTodoEdit } from '../../src/core/edit';
import { todoLabel } from '../../src/core/todoLabels';
import type { TodoTreeNode } from '../../src/core/todoTree';
import { exthostErrors, readManifest, repoRoot, startVSCode, type VSCodeSession } from './lib';

const notes = 'iacv-lectures-08-14.md';
const original = fs.readFileSync(path.join(repoRoot, 'notes', notes), 'utf8');
const parsed = parseNotes(original);
const openTodos = parsed.todos.filter((t) => t.status === 'open');
/** The TODO this test resolves: the transposed-convolution question, else one in the middle. */
const target: Todo = openTodos.find((t) => /2x and 8x/.test(t.text)) ?? openTodos[Math.floor(openTodos.length / 2)];
const answer = 'output = (input - 1) * stride + kernel - 2 * padding, so stride 2 doubles and stride 8 gives 8x';

const view = '[id="workbench.view.extension.lectern"]';
const rows = `${view} .monaco-list-row`;
const badge = '.activitybar .action-item:has(a[aria-label^="Lectern"]) .badge-content';

interface Row {
  level: number;
  label: string;
  description: string;
}

/** What the view must show: the core's tree model as (level, label, description) rows. */
function expectedRows(nodes: readonly TodoTreeNode[], level = 1): Row[] {
  return nodes.flatMap((n): Row[] => {
    switch (n.kind) {
      case 'todo':
        return [{ level, label: todoLabel(n.todo), description: `L${n.todo.span.range.start.line + 1}` }];
      case 'file':
        return [{ level, label: path.basename(n.path), description: `${n.counts.open} / ${n.counts.total}` }, ...expectedRows(n.children, level + 1)];
      case 'section':
        return [{ level, label: n.title, description: `${n.counts.open} / ${n.counts.total}` }, ...expectedRows(n.children, level + 1)];
      case 'folder':
        return [{ level, label: n.folder.name, description: `${n.counts.open} / ${n.counts.total}` }, ...expectedRows(n.children, level + 1)];
    }
  });
}

describe('Lectern TODOs in VS Code (code-server)', () => {
  let vscode: VSCodeSession;
  const notesPath = () => path.join(vscode.workspaceDir, notes);

  /** The rows the tree renders (it is virtual: all of ours fit in the viewport). */
  async function treeRows(): Promise<Row[]> {
    return vscode.page.$$eval(rows, (els) =>
      els
        .map((el) => ({
          top: el.getBoundingClientRect().top,
          level: Number(el.getAttribute('aria-level')),
          label: (el.querySelector('.label-name')?.textContent ?? '').trim(),
          description: (el.querySelector('.label-description')?.textContent ?? '').trim(),
        }))
        .sort((a, b) => a.top - b.top)
        .map(({ level, label, description }) => ({ level, label, description })),
    );
  }

  async function waitForTree(expected: Row[], what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    let shown: Row[] = [];
    while (Date.now() < deadline) {
      shown = await treeRows();
      if (JSON.stringify(shown) === JSON.stringify(expected)) return;
      await vscode.page.waitForTimeout(100);
    }
    assert.deepEqual(shown, expected, what);
  }

  async function waitForBadge(value: string): Promise<void> {
    await vscode.page.locator(badge, { hasText: new RegExp(`^${value}$`) }).waitFor({ state: 'visible', timeout: 20_000 });
  }

  async function cursorPosition(): Promise<{ line: number; column: number }> {
    const item = vscode.page.locator('[id="status.editor.selection"]');
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    const text = (await item.textContent()) ?? '';
    const m = /Ln (\d+), Col (\d+)/.exec(text);
    assert.ok(m, `status bar shows the cursor position (it shows '${text}')`);
    return { line: Number(m[1]), column: Number(m[2]) };
  }

  async function waitForCursor(line: number, column: number, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    let shown = await cursorPosition();
    while ((shown.line !== line || shown.column !== column) && Date.now() < deadline) {
      await vscode.page.waitForTimeout(100);
      shown = await cursorPosition();
    }
    assert.deepEqual(shown, { line, column }, what);
  }

  /** Runs a palette command that itself opens a quick input (so the palette never closes). */
  async function startPaletteCommand(label: string): Promise<void> {
    await vscode.page.keyboard.press('F1');
    const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${label}`);
    const row = vscode.page.locator('.quick-input-widget .monaco-list-row', { has: vscode.page.locator('.label-name', { hasText: label }) });
    await row.first().waitFor({ state: 'visible', timeout: 10_000 });
    await vscode.page.keyboard.press('Enter');
  }

  async function focusEditor(): Promise<void> {
    await vscode.runCommand('View: Focus Active Editor Group');
  }

  /** Saves the active editor and waits until the file on disk has `expected`'s length. */
  async function saveAndRead(): Promise<string> {
    const before = fs.statSync(notesPath()).mtimeMs;
    await focusEditor();
    await vscode.page.keyboard.press('Control+S');
    const deadline = Date.now() + 10_000;
    while (fs.statSync(notesPath()).mtimeMs === before && Date.now() < deadline) await vscode.page.waitForTimeout(100);
    await vscode.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
    return fs.readFileSync(notesPath(), 'utf8');
  }

  before(async () => {
    // LECTERN_E2E_VSIX: test a VSIX other than build/lectern.vsix (e.g. while others rebuild it).
    const vsix = process.env.LECTERN_E2E_VSIX ? [process.env.LECTERN_E2E_VSIX] : undefined;
    // Auto save off, so "the tree follows the unsaved document" is about the unsaved document.
    vscode = await startVSCode({ name: 'todos', openFile: notes, vsix, settings: { 'files.autoSave': 'off' } });
    await vscode.activation();
    await vscode.runCommand('View: Show Lectern');
    await vscode.page.locator(rows).first().waitFor({ state: 'visible', timeout: 20_000 });
  });
  after(async () => {
    await vscode?.close();
  });

  test('the view lists the open TODOs under their sections with the right counts and badge', async (t) => {
    const model = buildTodoTree([{ key: 'n', path: notes, parse: parsed }]);
    const expected = expectedRows(model.roots);
    await waitForTree(expected, 'tree rows (level, label, description)');
    await waitForBadge(String(openTodos.length));
    await vscode.screenshot('tree-open-todos');
    t.diagnostic(`${expected.length} rows, ${openTodos.length} open TODOs`);

    const status = vscode.page.locator('.statusbar-item', { hasText: `${openTodos.length} TODOs` });
    await status.waitFor({ state: 'visible', timeout: 10_000 });
  });

  test('Resolve TODO… through the palette writes the answer, moves it to resolved, updates the badge', async () => {
    await startPaletteCommand('Lectern: Resolve TODO…');
    const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
    // Our quick pick replaces the palette: its placeholder says so.
    await vscode.page
      .locator('.quick-input-widget .quick-input-box input[placeholder^="Type to filter open TODOs"]')
      .waitFor({ state: 'visible', timeout: 10_000 });
    const listed = await vscode.page.locator('.quick-input-widget .monaco-list-row').count();
    assert.ok(listed > 0, 'the quick pick lists open TODOs');
    await input.pressSequentially(target.text.slice(0, 24), { delay: 20 });
    const row = vscode.page.locator('.quick-input-widget .monaco-list-row', { hasText: todoLabel(target) });
    await row.first().waitFor({ state: 'visible', timeout: 10_000 });
    await vscode.screenshot('resolve-quick-pick');
    await vscode.page.keyboard.press('Enter');

    // Then the input box for the answer (its title names the question).
    await vscode.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Resolve:' }).waitFor({ state: 'visible', timeout: 10_000 });
    await input.pressSequentially(answer, { delay: 5 });
    await vscode.screenshot('resolve-answer');
    await vscode.page.keyboard.press('Enter');
    await vscode.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });

    await waitForBadge(String(openTodos.length - 1));
    const afterResolve = await saveAndRead();
    const plan = planTodoEdit(original, target.id, target.text, answer);
    assert.ok(plan.ok);
    assert.equal(afterResolve, applyEdit(original, plan.edit), 'the note holds exactly the core’s resolve edit');
    const reread = parseNotes(afterResolve).todos.find((t) => t.text === target.text);
    assert.equal(reread?.status, 'resolved');
    assert.equal(reread?.answer, answer);

    // Open-only view: the TODO's leaf is gone; with resolved shown it is there, marked resolved.
    const leaf = vscode.page.locator(rows, { hasText: todoLabel(target) });
    await leaf.waitFor({ state: 'detached', timeout: 10_000 });
    await vscode.runCommand('Lectern: Show Resolved TODOs');
    const resolvedLeaf = vscode.page.locator(`${rows}[aria-label^="Resolved TODO: ${todoLabel(target).replace(/"/g, '\\"')}"]`);
    await resolvedLeaf.waitFor({ state: 'visible', timeout: 10_000 });
    await vscode.screenshot('tree-shows-resolved');
    await vscode.runCommand('Lectern: Show Open TODOs Only');
    await resolvedLeaf.waitFor({ state: 'detached', timeout: 10_000 });
  });

  test('one Undo restores the original text exactly', async () => {
    await focusEditor();
    await vscode.page.keyboard.press('Control+Z');
    const restored = await saveAndRead();
    assert.ok(restored === original, 'the file is byte-identical to the original after one Undo');
    await waitForBadge(String(openTodos.length));
    await vscode.screenshot('after-undo');
  });

  test('Next / Previous TODO move the cursor (keybindings ctrl+alt+] / ctrl+alt+[), wrapping around', async () => {
    await focusEditor();
    await vscode.page.keyboard.press('Control+Home');
    await waitForCursor(1, 1, 'cursor at the top');
    const first = openTodos[0].span.range.start;
    const second = openTodos[1].span.range.start;
    const last = openTodos[openTodos.length - 1].span.range.start;

    await vscode.runCommand('Lectern: Next TODO');
    await waitForCursor(first.line + 1, first.character + 1, 'Next TODO (palette) → first TODO');
    await focusEditor();
    await vscode.page.keyboard.press('Control+Alt+BracketRight');
    await waitForCursor(second.line + 1, second.character + 1, 'ctrl+alt+] → second TODO');
    await vscode.page.keyboard.press('Control+Alt+BracketLeft');
    await waitForCursor(first.line + 1, first.character + 1, 'ctrl+alt+[ → back to the first');
    await vscode.page.keyboard.press('Control+Alt+BracketLeft');
    await waitForCursor(last.line + 1, last.character + 1, 'Previous from the first wraps to the last');
    await vscode.screenshot('next-previous');
  });

  test('Add TODO at Cursor, then typing: the tree follows the unsaved document', async () => {
    const question = 'Does the tree follow typing before saving?';
    const lastLine = original.split('\n').pop() ?? '';
    const lineCount = original.split('\n').length;
    // Put the cursor at the end of the note, and see it there, before running the command: a key
    // pressed while focus is still moving to the editor would go nowhere.
    await focusEditor();
    await vscode.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await vscode.page.keyboard.press('Control+End');
    await waitForCursor(lineCount, lastLine.length + 1, 'cursor at the end of the note');
    await vscode.runCommand('Lectern: Add TODO at Cursor');
    // The command runs after the palette closes: wait for its cursor before typing on.
    if (lastLine.trim() === '') await waitForCursor(lineCount, 'TODO: '.length + 1, 'cursor after the inserted "TODO: "');
    else await waitForCursor(lineCount + 1, 'TODO: '.length + 1, 'cursor after "TODO: " on a new line');
    await vscode.page.keyboard.type(question, { delay: 15 });
    const leaf = vscode.page.locator(rows, { hasText: question });
    await leaf.waitFor({ state: 'visible', timeout: 10_000 });
    await waitForBadge(String(openTodos.length + 1));
    await vscode.page.locator('.statusbar-item', { hasText: `${openTodos.length + 1} TODOs` }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await vscode.page.locator('.editor-group-container.active .tab.active.dirty').count(), 1, 'still unsaved');
    assert.equal(fs.readFileSync(notesPath(), 'utf8'), original, 'nothing written to disk yet');
    await vscode.screenshot('added-todo-live');

    const expectedText = lastLine.trim() === '' ? `${original}TODO: ${question}` : `${original}\nTODO: ${question}`;
    assert.equal(await saveAndRead(), expectedText);
  });

  test('no errors from Lectern', async () => {
    const { ours } = exthostErrors(await vscode.extensionHostLog(), readManifest().extensionId);
    assert.deepEqual(ours.map((l) => l.message), []);
    const lecternLog = await vscode.outputChannelLog();
    assert.deepEqual(lecternLog.split('\n').filter((l) => /\[error\]/.test(l)), []);
    const errors = (await vscode.notifications()).filter((n) => n.severity === 'error' || n.severity === 'warning');
    assert.deepEqual(errors, []);
  });
});
