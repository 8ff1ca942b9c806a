import * as vscode from 'vscode';
import { todoLabel } from '../../core/todoLabels';
import type { Services } from '../services';
import type { IndexedNote, TodoIndex } from './todoIndex';
import { DIAGNOSTIC_SOURCE } from '../diagnosticSource';
import { Disposable } from '../model/lifecycle';

/** Open TODOs as Information diagnostics, behind `lectern.todo.showInProblems` (default off). */
export class TodoDiagnostics extends Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('lectern-todos');

  constructor(private readonly services: Services, private readonly index: TodoIndex) {
    super();
    this._registerAll(
      this.collection,
      index.onDidChange((keys) => {
        for (const key of keys) this.updateNote(key, index.getByKey(key));
      }),
    );
    this.updateAll();
  }

  updateAll(): void {
    this.collection.clear();
    for (const note of this.index.notes()) this.updateNote(note.key, note);
  }

  private updateNote(key: string, note: IndexedNote | undefined): void {
    const uri = note?.uri ?? vscode.Uri.parse(key);
    if (!note || !this.services.config.todoShowInProblems(uri)) {
      this.collection.delete(uri);
      return;
    }
    const diagnostics = note.parse.todos
      .filter((t) => t.status === 'open')
      .map((t) => {
        const { start, end } = t.span.range;
        const d = new vscode.Diagnostic(
          new vscode.Range(start.line, start.character, end.line, end.character),
          `${t.tag === 'task' ? 'Open task' : t.tag}: ${todoLabel(t)}`,
          vscode.DiagnosticSeverity.Information,
        );
        d.source = DIAGNOSTIC_SOURCE;
        return d;
      });
    this.collection.set(uri, diagnostics);
  }

}
