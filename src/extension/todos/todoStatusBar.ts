import * as vscode from 'vscode';
import type { TodoIndex } from './todoIndex';
import { isNoteDocument } from './todoIndex';
import { Disposable } from '../model/lifecycle';

/** `$(checklist) 3 TODOs` for the active Markdown note; click → Resolve TODO…; hidden elsewhere. */
export class TodoStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly index: TodoIndex) {
    super();
    this.item = vscode.window.createStatusBarItem('lectern.todos.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Lectern TODOs';
    this.item.command = 'lectern.todo.resolve';
    this._registerAll(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      index.onDidChange((keys) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && keys.has(active)) this.update();
      }),
    );
    this.update();
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !isNoteDocument(document)) {
      this.item.hide();
      return;
    }
    // The index is at most one debounce behind the editor; never parse on this path.
    const note = this.index.get(document.uri);
    const open = note ? note.parse.todos.filter((t) => t.status === 'open').length : 0;
    this.item.text = `$(checklist) ${open} TODO${open === 1 ? '' : 's'}`;
    this.item.tooltip = open > 0 ? `${open} open TODO${open === 1 ? '' : 's'} in this note — click to resolve one` : 'No open TODOs in this note';
    this.item.accessibilityInformation = { label: `${open} open TODOs in this note`, role: 'button' };
    this.item.show();
  }

}
