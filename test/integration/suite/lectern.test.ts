/**
 * Lectern through the vscode API, in a real extension host (see ./index.ts for how it is run).
 * The workspace is a copy of notes/; the lecture notes are the subject.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseNotes } from '../../../src/core';
import { exportTodosAsJson } from '../../../src/core/todoExport';

const lectureNotes = 'iacv-lectures-08-14.md';

function lectern(): vscode.Extension<unknown> {
  const extension = vscode.extensions.all.find(
    (e) => e.packageJSON?.publisher === 'lectern-notes' && e.packageJSON?.name === 'lectern',
  );
  assert.ok(extension, 'Lectern is installed');
  return extension;
}

function notesUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder (a copy of notes/) is open');
  return vscode.Uri.joinPath(folder.uri, lectureNotes);
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** Polls `probe` until it returns a value (conditions, never fixed sleeps). */
async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Lectern (vscode API)', () => {
  it('activates when a Markdown note is opened', async () => {
    const extension = lectern();
    const document = await vscode.workspace.openTextDocument(notesUri());
    assert.equal(document.languageId, 'markdown');
    await vscode.window.showTextDocument(document);
    await until('Lectern to activate', () => (extension.isActive ? true : undefined));
  });

  it('registers every command it contributes', async () => {
    const contributed = ((lectern().packageJSON.contributes?.commands ?? []) as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), [], 'contributed but not registered');
  });

  it("exports the notes' TODOs exactly as the core parser finds them", async () => {
    const uri = notesUri();
    const parse = parseNotes(await readText(uri));
    assert.ok(parse.todos.length > 0, 'the lecture notes have TODOs');

    const exportedOk = await vscode.commands.executeCommand<boolean>('lectern.todo.export', 'json');
    assert.equal(exportedOk, true, 'lectern.todo.export returned true');
    const editor = await until('the exported JSON editor', () =>
      vscode.window.activeTextEditor?.document.languageId === 'json' ? vscode.window.activeTextEditor : undefined,
    );
    const exported = (JSON.parse(editor.document.getText()) as { file: string }[]).filter((e) => e.file === lectureNotes);
    const expected = JSON.parse(exportTodosAsJson([{ key: uri.toString(), path: lectureNotes, parse }])) as unknown[];
    assert.deepEqual(exported, expected);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('exports the notes as standalone HTML with KaTeX math and no script', async () => {
    const uri = notesUri();
    const parse = parseNotes(await readText(uri));
    assert.ok(parse.math.length > 0, 'the lecture notes have math');
    const target = vscode.Uri.joinPath(uri, '..', 'integration-export', 'lectures.html');
    const result = await vscode.commands.executeCommand<vscode.Uri | undefined>('lectern.preview.exportHtml', uri, target);
    assert.equal(result?.toString(), target.toString(), 'lectern.preview.exportHtml returned the target');
    const html = await readText(target);
    const rendered = (html.match(/class="katex"/g) ?? []).length;
    assert.ok(rendered > 0, 'KaTeX rendered formulas');
    assert.ok(rendered <= parse.math.length, `${rendered} rendered formulas for ${parse.math.length} math spans`);
    assert.doesNotMatch(html, /<script/i, 'the export carries no script');
  });

  it('offers a quick fix that defines an unknown macro in .lectern/macros.tex, and the error goes once it has a body', async () => {
    const folder = vscode.Uri.joinPath(notesUri(), '..');
    const note = vscode.Uri.joinPath(folder, 'macro-quick-fix.md');
    const preamble = vscode.Uri.joinPath(folder, '.lectern', 'macros.tex');
    await vscode.workspace.fs.writeFile(note, new TextEncoder().encode('# Macros\n\nThe loss $\\lossTerm + 1$ and again $2\\lossTerm$.\n'));
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(note));
      const undefinedMacro = (): vscode.Diagnostic[] =>
        vscode.languages.getDiagnostics(note).filter((d) => d.code === 'undefined-macro' && d.message.includes('\\lossTerm'));
      const [diagnostic] = await until('the undefined-macro diagnostic', () => (undefinedMacro().length > 0 ? undefinedMacro() : undefined));
      assert.equal(undefinedMacro().length, 1, 'one diagnostic at the cause, not one per use');

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', note, diagnostic.range);
      const fix = actions.find((a) => a.title === 'Define \\lossTerm in .lectern/macros.tex');
      assert.ok(fix?.command, `a quick fix defining \\lossTerm among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(fix.isPreferred, true);
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

      const editor = await until('the preamble editor', () =>
        vscode.window.activeTextEditor?.document.uri.toString() === preamble.toString() ? vscode.window.activeTextEditor : undefined,
      );
      assert.equal(editor.document.getText(), '\\newcommand{\\lossTerm}{}\n');
      assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [0, '\\newcommand{\\lossTerm}{'.length], 'cursor inside the body braces');

      await editor.edit((edit) => edit.insert(editor.selection.active, '\\mathcal{L}'));
      assert.ok(await editor.document.save(), 'the preamble saved');
      assert.equal(await readText(preamble), '\\newcommand{\\lossTerm}{\\mathcal{L}}\n');
      await until('the diagnostic to clear', () => (undefinedMacro().length === 0 ? true : undefined));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(note);
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.lectern'), { recursive: true });
    }
  });
});
