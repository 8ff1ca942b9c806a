import * as vscode from 'vscode';
import { adjacentTodo } from '../../../core/todoNavigation';
import { isNoteDocument } from '../todoIndex';
import type { Command, TodoFeature } from './command';

/** Moves the cursor to the next / previous open TODO of the active note, wrapping around. */
abstract class NavigateTodoCommand implements Command {
  abstract readonly id: string;
  protected abstract readonly direction: 'next' | 'previous';

  constructor(private readonly feature: TodoFeature) {}

  async execute(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isNoteDocument(editor.document)) {
      void vscode.window.showInformationMessage('Lectern: Next/Previous TODO works in a Markdown note.');
      return false;
    }
    const parse = await this.feature.services.notes.parse(editor.document);
    if (!parse) return false;
    const todos = parse.todos;
    const target = adjacentTodo(todos, editor.selection.active, this.direction);
    if (!target) {
      vscode.window.setStatusBarMessage('$(check) Lectern: no open TODOs in this note', 3000);
      return false;
    }
    const { start } = target.todo.span.range;
    const position = new vscode.Position(start.line, start.character);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    if (target.wrapped) {
      vscode.window.setStatusBarMessage(
        this.direction === 'next' ? 'Lectern: reached the end of the note, continued from the top' : 'Lectern: reached the top of the note, continued from the end',
        3000,
      );
    }
    void this.feature.tree.reveal(editor.document.uri.toString(), target.todo.id);
    return true;
  }
}

export class NextTodoCommand extends NavigateTodoCommand {
  readonly id = 'lectern.todo.next';
  protected readonly direction = 'next';
}

export class PreviousTodoCommand extends NavigateTodoCommand {
  readonly id = 'lectern.todo.previous';
  protected readonly direction = 'previous';
}
