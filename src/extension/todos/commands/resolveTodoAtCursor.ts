import * as vscode from 'vscode';
import { todoAtPosition } from '../../../core/todoNavigation';
import { applyResolve } from '../resolveTodo';
import { askAnswer } from '../pickTodo';
import { isNoteDocument } from '../todoIndex';
import type { Command, TodoFeature } from './command';

/** Lectern: Resolve TODO at Cursor — the open TODO under (or on the line of) the cursor. */
export class ResolveTodoAtCursorCommand implements Command {
  readonly id = 'lectern.todo.resolveAtCursor';

  constructor(private readonly feature: TodoFeature) {}

  async execute(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isNoteDocument(editor.document)) {
      void vscode.window.showInformationMessage('Lectern: open a Markdown note and put the cursor on a TODO.');
      return false;
    }
    const parse = await this.feature.services.notes.parse(editor.document);
    if (!parse) return false;
    const todos = parse.todos;
    const todo = todoAtPosition(todos, editor.selection.active, 'open');
    if (!todo) {
      void vscode.window.showInformationMessage('Lectern: there is no open TODO at the cursor.');
      return false;
    }
    const answer = await askAnswer(todo.text);
    if (answer === undefined) return false;
    return applyResolve(editor.document.uri, todo.id, todo.text, answer, this.feature.services);
  }
}
