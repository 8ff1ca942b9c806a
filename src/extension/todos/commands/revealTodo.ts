import * as vscode from 'vscode';
import { parseNotes } from '../../../core';
import { relocateTodo } from '../../../core/edit';
import { toTodoRef } from '../todoRef';
import type { Command, TodoFeature } from './command';

/** Opens the note and selects the TODO — where it is now, not where it was when listed. */
export class RevealTodoCommand implements Command {
  readonly id = 'lectern.todo.reveal';

  constructor(private readonly feature: TodoFeature) {}

  async execute(arg?: unknown): Promise<boolean> {
    const ref = toTodoRef(arg);
    if (!ref) return false;
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(ref.uri);
    } catch {
      void vscode.window.showWarningMessage(`Lectern: ${vscode.workspace.asRelativePath(ref.uri, false)} no longer exists.`);
      return false;
    }
    const todos =
      document.languageId === 'markdown'
        ? ((await this.feature.services.notes.parse(document))?.todos ?? [])
        : parseNotes(document.getText(), { tags: this.feature.services.config.todoTags(ref.uri) }).todos;
    const current = relocateTodo(todos, ref.id, ref.text);
    const range = current?.span.range ?? ref.range;
    const selection = range
      ? document.validateRange(new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character))
      : undefined;
    await vscode.window.showTextDocument(document, { selection, preserveFocus: false, preview: true });
    if (!current) vscode.window.setStatusBarMessage('Lectern: the TODO has changed since the tree was built', 3000);
    return true;
  }
}
