import * as vscode from 'vscode';
import type { ModelNote, ModelState } from '../model/notesModel';
import type { Notes } from '../vscodeNotes';

export { isNoteDocument } from '../vscodeNotes';

/** One note the index lists, with its URI for the VS Code side. */
export interface IndexedNote extends ModelNote {
  readonly uri: vscode.Uri;
}

/**
 * The TODO feature's view of the document model: every listed note with its parse, as VS Code
 * URIs. The model does the work (which notes, which parse, when); this only adapts.
 */
export class TodoIndex {
  private readonly withUri = new WeakMap<ModelNote, IndexedNote>();
  /** Fires (coalesced) with the keys of the notes that changed, appeared or disappeared. */
  readonly onDidChange: Notes['onDidChange'];

  constructor(private readonly notesModel: Notes) {
    this.onDidChange = notesModel.onDidChange;
  }

  get state(): ModelState {
    return this.notesModel.model.state;
  }

  /** Resolves when the current scan is complete. */
  get ready(): Promise<void> {
    return this.notesModel.model.ready;
  }

  notes(): IndexedNote[] {
    return this.notesModel.model.notes().map((n) => this.indexed(n));
  }

  get(uri: vscode.Uri): IndexedNote | undefined {
    return this.getByKey(uri.toString());
  }

  getByKey(key: string): IndexedNote | undefined {
    const note = this.notesModel.model.get(key);
    return note ? this.indexed(note) : undefined;
  }

  /** Re-scans everything: folders, watchers, open documents. */
  refresh(): Promise<void> {
    return this.notesModel.model.refresh();
  }

  private indexed(note: ModelNote): IndexedNote {
    let out = this.withUri.get(note);
    if (!out) {
      out = { ...note, uri: vscode.Uri.parse(note.key) };
      this.withUri.set(note, out);
    }
    return out;
  }
}
