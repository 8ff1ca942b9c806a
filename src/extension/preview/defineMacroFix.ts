import * as vscode from 'vscode';
import type { MacrosProvider } from './macrosProvider';

/**
 * Quick fix for "Undefined control sequence: \foo": define `\foo` in `.lectern/macros.tex` — the
 * preamble the note already uses (nearest from its folder up to the workspace folder), or a new one
 * in the note's folder. `\newcommand{\foo}{}` is appended with the cursor inside the braces, so the
 * author types the expansion; every note under that folder then renders with it (the macros
 * provider watches the file). The diagnostic is reported once per macro and note, so one fix
 * clears every use.
 */
export const UNDEFINED_MACRO_CODE = 'undefined-macro';

export class DefineMacroCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly macros: MacrosProvider) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.code !== UNDEFINED_MACRO_CODE) continue;
      const name = /Undefined control sequence: (\\[A-Za-z]+)/.exec(diagnostic.message)?.[1];
      if (!name) continue;
      const target = await this.macros.preambleFor(document.uri);
      if (!target) continue;
      const action = new vscode.CodeAction(`Define ${name} in ${vscode.workspace.asRelativePath(target)}`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.command = { command: DEFINE_MACRO_COMMAND, title: action.title, arguments: [target.toString(), name] };
      actions.push(action);
    }
    return actions;
  }
}

export const DEFINE_MACRO_COMMAND = 'lectern.math.defineMacro';

/** Appends `\newcommand{name}{}` to the preamble (created if missing) and puts the cursor in the body. */
export async function defineMacro(target: unknown, name: unknown): Promise<void> {
  if (typeof target !== 'string' || typeof name !== 'string' || !/^\\[A-Za-z]+$/.test(name)) return;
  const uri = vscode.Uri.parse(target);
  let existing = '';
  try {
    existing = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, new Uint8Array());
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
  const end = document.positionAt(document.getText().length);
  const line = `${prefix}\\newcommand{${name}}{}\n`;
  await editor.edit((edit) => edit.insert(end, line));
  const bodyLine = end.line + (prefix ? 1 : 0);
  const cursor = new vscode.Position(bodyLine, `\\newcommand{${name}}{`.length);
  editor.selection = new vscode.Selection(cursor, cursor);
}
