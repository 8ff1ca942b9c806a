import type { TextChange } from '../../core';
import { Emitter } from './lifecycle';
import type { NoteDocument, NoteDocumentChange, NoteFileKind, NotePlacement, NoteStat, NotesWatcher, NotesWorkspace } from './workspace';

/**
 * A `NotesWorkspace` held in memory, for plain-Node tests and benchmarks of the model and its
 * consumers (the Markdown language service's `InMemoryWorkspace`, for notes). Files live under
 * one folder, `ROOT`; `open`, `edit`, `close`, `writeFile`, `deleteFile` and `setTags` fire the
 * events an editor would, synchronously, after the state changed.
 */
export const ROOT = 'file:///notes';

export class InMemoryNotesWorkspace implements NotesWorkspace {
  private readonly files = new Map<string, { kind: NoteFileKind; text: string }>();
  private readonly docs = new Map<string, InMemoryDocument>();
  private tags: readonly string[] = ['TODO', 'FIXME'];
  private watchers: InMemoryWatcher[] = [];
  /** Keys passed to `readNote`, in order: tests check that a FIFO is never read. */
  readonly reads: string[] = [];
  /** How often `listNotes` ran. */
  listings = 0;

  private readonly _onDidOpen = new Emitter<NoteDocument>();
  private readonly _onDidChange = new Emitter<NoteDocumentChange>();
  private readonly _onDidClose = new Emitter<NoteDocument>();
  private readonly _onDidChangeNoteSet = new Emitter<void>();
  private readonly _onDidChangeSettings = new Emitter<void>();
  readonly onDidOpenDocument = this._onDidOpen.event;
  readonly onDidChangeDocument = this._onDidChange.event;
  readonly onDidCloseDocument = this._onDidClose.event;
  readonly onDidChangeNoteSet = this._onDidChangeNoteSet.event;
  readonly onDidChangeParseSettings = this._onDidChangeSettings.event;

  static key(name: string): string {
    return `${ROOT}/${name}`;
  }

  // ---- what the model sees ----

  openDocuments(): readonly NoteDocument[] {
    return [...this.docs.values()];
  }

  openDocument(key: string): NoteDocument | undefined {
    return this.docs.get(key);
  }

  listNotes(): Promise<string[]> {
    this.listings++;
    return Promise.resolve([...this.files.keys()].filter((k) => k.endsWith('.md')));
  }

  watchNotes(): NotesWatcher {
    const watcher = new InMemoryWatcher(() => (this.watchers = this.watchers.filter((w) => w !== watcher)));
    this.watchers.push(watcher);
    return watcher;
  }

  stat(key: string): Promise<NoteStat> {
    const file = this.files.get(key);
    if (!file) return Promise.reject(new Error(`${key}: no such file`));
    return Promise.resolve({ kind: file.kind, size: file.kind === 'file' ? Buffer.byteLength(file.text) : 0 });
  }

  readNote(key: string): Promise<string> {
    this.reads.push(key);
    const file = this.files.get(key);
    if (!file) return Promise.reject(new Error(`${key}: no such file`));
    // What reading a FIFO with no writer does: never return.
    if (file.kind === 'other') return new Promise<string>(() => undefined);
    return Promise.resolve(file.text);
  }

  placement(key: string): NotePlacement {
    const inRoot = key.startsWith(`${ROOT}/`);
    return { path: inRoot ? key.slice(ROOT.length + 1) : key, folder: inRoot ? { key: ROOT, name: 'notes', index: 0 } : undefined };
  }

  todoTags(): readonly string[] {
    return this.tags;
  }

  // ---- what a test does ----

  /** Creates or overwrites a file (fires the watchers' create or change). */
  writeFile(name: string, text: string): string {
    const key = InMemoryNotesWorkspace.key(name);
    const existed = this.files.has(key);
    this.files.set(key, { kind: 'file', text });
    for (const w of this.watchers) (existed ? w.changed : w.created).fire(key);
    return key;
  }

  /** A FIFO, device or socket named like a note. */
  addSpecialFile(name: string): string {
    const key = InMemoryNotesWorkspace.key(name);
    this.files.set(key, { kind: 'other', text: '' });
    for (const w of this.watchers) w.created.fire(key);
    return key;
  }

  deleteFile(name: string): void {
    const key = InMemoryNotesWorkspace.key(name);
    this.files.delete(key);
    for (const w of this.watchers) w.deleted.fire(key);
  }

  /** Opens a document (with the file's text unless `text` is given). */
  open(name: string, text?: string, options: { isNote?: boolean } = {}): InMemoryDocument {
    const key = InMemoryNotesWorkspace.key(name);
    const doc = new InMemoryDocument(key, text ?? this.files.get(key)?.text ?? '', options.isNote ?? true);
    this.docs.set(key, doc);
    this._onDidOpen.fire(doc);
    return doc;
  }

  /** Replaces `[start, end)` of the open document with `newText`: one new version, one change event. */
  edit(doc: InMemoryDocument, start: number, end: number, newText: string): void {
    this.applyEdits(doc, [{ startOffset: start, endOffset: end, newText }]);
  }

  /** Several changes in one version, each in offsets of the text the previous one left. */
  applyEdits(doc: InMemoryDocument, changes: readonly TextChange[]): void {
    for (const c of changes) doc.apply(c);
    doc.version++;
    this._onDidChange.fire({ document: doc, changes });
  }

  close(doc: InMemoryDocument): void {
    this.docs.delete(doc.key);
    doc.isClosed = true;
    this._onDidClose.fire(doc);
  }

  setTags(tags: readonly string[]): void {
    this.tags = tags;
    this._onDidChangeSettings.fire();
  }

  /** Folders added or removed, the notes glob changed. */
  changeNoteSet(): void {
    this._onDidChangeNoteSet.fire();
  }
}

export class InMemoryDocument implements NoteDocument {
  version = 1;
  isClosed = false;

  constructor(
    readonly key: string,
    private text: string,
    readonly isNote: boolean,
  ) {}

  length(): number {
    return this.text.length;
  }

  getText(): string {
    return this.text;
  }

  apply(change: TextChange): void {
    this.text = this.text.slice(0, change.startOffset) + change.newText + this.text.slice(change.endOffset);
  }
}

class InMemoryWatcher implements NotesWatcher {
  readonly created = new Emitter<string>();
  readonly changed = new Emitter<string>();
  readonly deleted = new Emitter<string>();
  readonly onDidCreate = this.created.event;
  readonly onDidChange = this.changed.event;
  readonly onDidDelete = this.deleted.event;

  constructor(private readonly onDispose: () => void) {}

  dispose(): void {
    this.onDispose();
    for (const e of [this.created, this.changed, this.deleted]) e.dispose();
  }
}
