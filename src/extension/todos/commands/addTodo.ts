import * as vscode from 'vscode';
import { planTodoInsertion } from '../../../core/todoInsertion';
import type { Command, TodoFeature } from './command';

/** Lectern: Add TODO at Cursor — types `TODO: ` where the question goes and leaves the cursor there. */
export class AddTodoCommand implements Command {
  readonly id = 'lectern.todo.add';

  constructor(private readonly feature: TodoFeature) {}

  async execute(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'markdown') {
      void vscode.window.showInformationMessage('Lectern: open a Markdown note to add a TODO.');
      return false;
    }
    const { document } = editor;
    const cursor = editor.selection.active;
    const line = document.lineAt(cursor.line);
    const tag = this.feature.services.config.todoTags(document.uri)[0] ?? 'TODO';
    const plan = planTodoInsertion(line.text, tag, document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
    const at = plan.at === 'cursor' ? cursor : line.range.end;
    // A WorkspaceEdit (one undo step) rather than editor.edit, which refuses when the editor's
    // view of the version lags (e.g. right after the command palette closed).
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, at, plan.text);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      this.feature.services.log.warn(`Add TODO: VS Code refused the edit of ${document.uri.toString(true)} v${document.version} at ${at.line}:${at.character}`);
      void vscode.window.showWarningMessage('Lectern: could not insert the TODO (is the note read-only?).');
      return false;
    }
    const end = document.positionAt(document.offsetAt(at) + plan.cursorOffset);
    editor.selection = new vscode.Selection(end, end);
    editor.revealRange(new vscode.Range(end, end));
    return true;
  }
}
