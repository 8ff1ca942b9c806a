/**
 * Restricted Mode, as a student meets it: workspace trust ON (the other e2e files turn it off) and a
 * notes folder nobody trusted, like one downloaded from a course site. VS Code disables extensions
 * that do not declare `capabilities.untrustedWorkspaces`; Lectern declares "limited" support, so the
 * TODO tree and the preview must work there.
 *
 * The folder's own `.vscode/settings.json` points `lectern.notesGlob` at nothing. That setting is in
 * Lectern's `restrictedConfigurations`, so VS Code ignores the folder's value until it is trusted:
 * the tree listing the notes' TODOs also shows the restriction in effect.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseNotes } from '../../src/core';
import { repoRoot, startVSCode, type VSCodeSession } from './lib';

const notes = 'iacv-lectures-08-14.md';
const parsed = parseNotes(fs.readFileSync(path.join(repoRoot, 'notes', notes), 'utf8'));
const open = parsed.todos.filter((t) => t.status === 'open').length;

const view = '[id="workbench.view.extension.lectern"]';
const rows = `${view} .monaco-list-row`;

describe('Lectern in Restricted Mode (workspace trust on, folder not trusted)', () => {
  let vscode: VSCodeSession;

  before(async () => {
    vscode = await startVSCode({
      name: 'restricted-mode',
      workspaceTrust: true,
      files: { '.vscode/settings.json': JSON.stringify({ 'lectern.notesGlob': 'no-such-folder/**/*.md' }) },
    });
  });
  after(async () => {
    await vscode?.close();
  });

  test('the window is in Restricted Mode and the TODO tree lists the notes', async () => {
    await vscode.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // The view's command appears once the workbench has registered the extension's contributions,
    // which can lag the Restricted Mode badge on a busy machine: retry for up to a minute.
    for (let attempt = 1; ; attempt++) {
      try {
        await vscode.runCommand('View: Show Lectern');
        break;
      } catch (e) {
        if (attempt >= 6) throw e;
        await vscode.page.waitForTimeout(10_000);
      }
    }
    // Before any note is open: the tree can only list it by scanning the folder with the default glob.
    const fileRow = vscode.page.locator(rows, { hasText: notes });
    await fileRow.first().waitFor({ state: 'visible', timeout: 60_000 });
    await vscode.screenshot('restricted-todo-tree');
    const description = (await fileRow.first().locator('.label-description').textContent())?.trim();
    assert.equal(description, `${open} / ${parsed.todos.length}`);
    const activation = await vscode.activation(); // throws unless Lectern's activation is in the logs
    assert.match(activation.activationEvent, /\S/);
  });

  test('the preview renders the notes\' math', async () => {
    await vscode.openFile(notes);
    await vscode.runCommand('Lectern: Open Preview to the Side');
    const preview = await vscode.waitForWebviewFrame({ selector: 'body.lectern-ready #lectern-content .katex', timeoutMs: 90_000 });
    const formulas = await preview.evaluate<number>(`document.querySelectorAll('#lectern-content .katex').length`);
    assert.ok(formulas > 10, `${formulas} formulas rendered`);
    await vscode.screenshot('restricted-preview');
    await vscode.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  });
});
