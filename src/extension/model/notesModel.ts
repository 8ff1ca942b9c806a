import { createSnapshot, snapshotFromRaw, tryUpdateSnapshot, updateSnapshot } from '../../core';
import type { NotesSnapshot, ParseResult, TextChange, TodoEditPlan } from '../../core';
import { planTodoEdit } from '../../core/edit';
import type { TodoFileInput } from '../../core/todoTree';
import { KeyedDebouncer } from './debounce';
import { errorMessage } from './errors';
import { Disposable, Emitter, type CancellationToken, type Event } from './lifecycle';
import type { ModelLog } from './log';
import { nextTurn } from './nextTurn';
import type { ParseHost } from './parseHost';
import type { NoteDocument, NotesWatcher, NotesWorkspace } from './workspace';

/** One note with its latest parse: an open document's, or the file's on disk. */
export interface ModelNote extends TodoFileInput {
  readonly source: 'document' | 'disk';
  /** The document version parsed (`document` notes). */
  readonly version?: number;
  readonly parse: ParseResult;
}

export type ModelState = 'loading' | 'ready';

export interface NotesModelOptions {
  readonly log: ModelLog;
  /** Re-parse an edited document this long after the last keystroke (default 250 ms, issue: ≤ 300 ms). */
  readonly editDelayMs?: number;
  /** Changes on disk come in bursts (git checkout, save-all): coalesced over this long (default 100 ms). */
  readonly diskDelayMs?: number;
  /**
   * Notes at least this long are never parsed in full on this thread: the parse host takes them
   * (default 256 K characters; smaller ones parse faster than a round trip to a worker).
   */
  readonly largeNoteChars?: number;
  /** Files above this size are skipped with a log line (default 50 MB). */
  readonly maxNoteBytes?: number;
  /** Start the first scan at once instead of on the next turn (tests; the extension defers it). */
  readonly scanNow?: boolean;
}

/** A note entry: the open document's, or the disk file's when no document is open. */
interface Entry {
  readonly key: string;
  readonly source: 'document' | 'disk';
  readonly document?: NoteDocument;
  /** Latest published parse. */
  note?: ModelNote;
  /** Documents: the parse incremental updates start from. */
  snapshot?: NotesSnapshot;
  /** Documents: edits after `snapshot` (or after the text of the full parse in flight). */
  pending: TextChange[];
  /** Documents: a full parse of this version is in flight; edits after it go to `pending`. */
  parsingVersion?: number;
  /** The step in flight (one per entry: steps never overlap). */
  running?: Promise<void>;
  /** Raised when the entry is replaced, closed or invalidated: its running step publishes nothing. */
  stale: boolean;
}

/**
 * The one owner of note parses (modelled on the Markdown language service's document caches): every
 * note of the workspace — open documents and note files on disk — with its latest parse, kept
 * current, and one `onDidChange` event for all of it. The TODO index, the tree, CodeLens,
 * diagnostics, hover, preview and demos all read here.
 *
 * - Versioned: a document's parse is of a known version; `parse(document)` answers for the version
 *   the document has now, and stale work is dropped (never published over a newer parse).
 * - Incremental: an edit of an open document updates its snapshot (`tryUpdateSnapshot`: only the
 *   blocks around the edit are parsed again), which in a 3.2 MB note takes milliseconds.
 * - Off the main thread: a full parse of a large note (first open, or an edit that changes what
 *   follows it, like an opened fence) goes to the parse host; edits meanwhile queue behind it.
 * - Settings: when the TODO tags change, every parse is dropped and made again.
 * - Refuses what is not a regular file (FIFO, device, socket) from its stat, without reading it.
 *
 * No `vscode` here (the layering test enforces it): the host comes in as a `NotesWorkspace`.
 */
export class NotesModel extends Disposable {
  private readonly entries = new Map<string, Entry>();
  /** Note files the listing (or a watcher) found, so closing their document falls back to disk. */
  private readonly diskKeys = new Set<string>();
  private readonly timers = this._register(new KeyedDebouncer());
  private readonly changed = new Set<string>();
  private fireTimer: ReturnType<typeof setTimeout> | undefined;
  private watcher: NotesWatcher | undefined;
  private generation = 0;
  private _state: ModelState = 'loading';
  private _ready: Promise<void>;
  private readonly editDelayMs: number;
  private readonly diskDelayMs: number;
  private readonly largeNoteChars: number;
  private readonly maxNoteBytes: number;
  private readonly log: ModelLog;

  private readonly _onDidChange: Emitter<ReadonlySet<string>>;
  /** Fires (coalesced, once per turn of the event loop) with the keys of notes that changed, appeared or went. */
  readonly onDidChange: Event<ReadonlySet<string>>;

  constructor(
    private readonly workspace: NotesWorkspace,
    private readonly host: ParseHost,
    options: NotesModelOptions,
  ) {
    super();
    this.log = options.log;
    this.editDelayMs = options.editDelayMs ?? 250;
    this.diskDelayMs = options.diskDelayMs ?? 100;
    this.largeNoteChars = options.largeNoteChars ?? 256 * 1024;
    this.maxNoteBytes = options.maxNoteBytes ?? 50 * 1024 * 1024;
    this._onDidChange = this._register(new Emitter<ReadonlySet<string>>((err) => this.log.warn(`A note-change listener failed: ${errorMessage(err)}`)));
    this.onDidChange = this._onDidChange.event;

    this._register(workspace.onDidOpenDocument((document) => this.openDocument(document)));
    this._register(
      workspace.onDidChangeDocument(({ document, changes }) => {
        // Runs on every keystroke: queue the edit and (re)start a timer, nothing more.
        if (changes.length === 0) return;
        const entry = this.documentEntry(document);
        if (entry.snapshot || entry.parsingVersion !== undefined) entry.pending.push(...changes);
        this.schedule(entry, this.editDelayMs);
      }),
    );
    this._register(workspace.onDidCloseDocument((document) => this.closeDocument(document)));
    this._register(workspace.onDidChangeNoteSet(() => void this.refresh()));
    this._register(workspace.onDidChangeParseSettings(() => void this.invalidate()));
    this._register({
      dispose: () => {
        this.generation++;
        if (this.fireTimer) clearTimeout(this.fireTimer);
        this.watcher?.dispose();
        for (const entry of this.entries.values()) entry.stale = true;
        this.entries.clear();
      },
    });
    const start = () => (this.generation === 0 && !this.isDisposed ? this.refresh() : this._ready);
    this._ready = options.scanNow ? this.refresh() : nextTurn().then(start);
  }

  get state(): ModelState {
    return this._state;
  }

  /** Resolves when the current scan is complete. */
  get ready(): Promise<void> {
    return this._ready;
  }

  /** The notes the TODO index lists, each with its latest parse. */
  notes(): ModelNote[] {
    const out: ModelNote[] = [];
    for (const entry of this.entries.values()) if (entry.note && (entry.source === 'disk' || entry.document?.isNote)) out.push(entry.note);
    return out;
  }

  /** The latest parse of a listed note (possibly of an older version of an open document). */
  get(key: string): ModelNote | undefined {
    const entry = this.entries.get(key);
    return entry && (entry.source === 'disk' || entry.document?.isNote) ? entry.note : undefined;
  }

  /**
   * The parse of the document's current version. Pending edits are applied now (incrementally when
   * they can be); a large note that needs a full parse goes to the parse host. Resolves to
   * `undefined` when `token` is cancelled or the document closed before the parse was ready.
   */
  async parse(document: NoteDocument, token?: CancellationToken): Promise<ParseResult | undefined> {
    const entry = this.documentEntry(document);
    this.timers.cancel(entry.key);
    for (;;) {
      if (token?.isCancellationRequested || document.isClosed || entry.stale) return undefined;
      if (entry.running) {
        await entry.running;
        continue;
      }
      if (this.isCurrent(entry)) return entry.snapshot!.result;
      await this.run(entry, () => this.step(entry));
    }
  }

  /**
   * The parse of the document's current version, made on this thread if need be: for the few
   * callers that must answer synchronously (the demo commands). Cheap after an edit (incremental);
   * a first parse of a large note blocks — prefer `parse`.
   */
  parseNow(document: NoteDocument): ParseResult {
    const entry = this.documentEntry(document);
    if (this.isCurrent(entry)) return entry.snapshot!.result;
    const tags = this.workspace.todoTags(entry.key);
    let next: NotesSnapshot | undefined;
    if (entry.snapshot && entry.parsingVersion === undefined && sameTags(entry.snapshot, tags)) {
      next = this.tryIncremental(entry, updateSnapshot);
    }
    next ??= createSnapshot(document.getText(), { tags }, document.version);
    // A full parse in flight for an older version publishes nothing over this one.
    entry.parsingVersion = undefined;
    entry.pending = [];
    this.publish(entry, next);
    return next.result;
  }

  /**
   * Brings the document's parse up to date now instead of after the typing delay (after Lectern's
   * own edits, so the tree follows at once).
   */
  flush(document: NoteDocument): Promise<void> {
    return this.parse(document).then(
      () => undefined,
      (err: unknown) => this.log.warn(`Parse of ${document.key} failed: ${errorMessage(err)}`),
    );
  }

  /** Whether a text this long is parsed (and planned on) by the parse host rather than on this thread. */
  isLarge(chars: number): boolean {
    return chars >= this.largeNoteChars;
  }

  /** Plans resolving (`answer`) or reopening (`undefined`) a TODO in `text`: on the parse host for a large note. */
  planEdit(text: string, tags: readonly string[], todoId: string, expectedText: string, answer: string | undefined): Promise<TodoEditPlan> {
    if (this.isLarge(text.length)) return this.host.planEdit(text, tags, todoId, expectedText, answer);
    return Promise.resolve(planTodoEdit(text, todoId, expectedText, answer, { tags }));
  }

  /** Drops every parse and makes them again (the TODO tags changed; Refresh TODOs). */
  invalidate(): Promise<void> {
    for (const entry of this.entries.values()) {
      if (entry.source !== 'document') continue;
      entry.stale = true;
      this.entries.delete(entry.key);
    }
    return this.refresh();
  }

  /** Lists, reads and parses everything again; the watchers restart too. */
  refresh(): Promise<void> {
    const generation = ++this.generation;
    this._state = 'loading';
    this.watcher?.dispose();
    this.watcher = this.watch();
    this._ready = this.scan(generation).catch((err: unknown) => this.log.warn(`Note scan failed: ${errorMessage(err)}`));
    return this._ready;
  }

  private async scan(generation: number): Promise<void> {
    const started = Date.now();
    // Open notes first: listing the workspace can take seconds right after start-up.
    const open = this.workspace.openDocuments();
    for (const document of open) this.openDocument(document);
    const listed = await this.workspace.listNotes();
    if (generation !== this.generation) return;

    const openKeys = new Set(this.workspace.openDocuments().map((d) => d.key));
    const fresh = new Map<string, ModelNote>();
    const toRead = listed.filter((key) => !openKeys.has(key));
    // A few files at a time: enough to hide latency, not enough to flood the host.
    for (let i = 0; i < toRead.length; i += 8) {
      const batch = await Promise.all(toRead.slice(i, i + 8).map((key) => this.readDisk(key)));
      if (generation !== this.generation) return;
      for (const note of batch) if (note) fresh.set(note.key, note);
    }

    const changed = new Set<string>();
    for (const [key, entry] of this.entries) {
      if (entry.source === 'disk' && !fresh.has(key)) {
        this.entries.delete(key);
        changed.add(key);
      }
    }
    for (const [key, note] of fresh) {
      if (this.entries.get(key)?.source === 'document') continue; // Opened while reading.
      this.entries.set(key, { key, source: 'disk', note, pending: [], stale: false });
      changed.add(key);
    }
    this.diskKeys.clear();
    for (const key of listed) this.diskKeys.add(key);
    this._state = 'ready';
    this.log.info(`Notes: ${listed.length} note file(s), ${openKeys.size} open document(s) in ${Date.now() - started} ms`);
    this.fire(changed);
  }

  private watch(): NotesWatcher {
    const watcher = this.workspace.watchNotes();
    watcher.onDidCreate((key) => {
      this.diskKeys.add(key);
      this.scheduleDisk(key);
    });
    watcher.onDidChange((key) => this.scheduleDisk(key));
    watcher.onDidDelete((key) => {
      this.diskKeys.delete(key);
      if (this.entries.get(key)?.source === 'document') return;
      this.timers.cancel(key);
      if (this.entries.delete(key)) this.fire(new Set([key]));
    });
    return watcher;
  }

  /**
   * Reads and parses a note file; `undefined` (with one log line) for what is not a regular file,
   * is too big, vanished or cannot be read. The stat comes first, so a FIFO is never opened.
   */
  private async readDisk(key: string): Promise<ModelNote | undefined> {
    const { path } = this.workspace.placement(key);
    try {
      const stat = await this.workspace.stat(key);
      if (stat.kind !== 'file') {
        this.log.warn(`Skipping ${path}: ${stat.kind === 'directory' ? 'a directory' : 'not a regular file (a FIFO, device or socket?)'}`);
        return undefined;
      }
      if (stat.size > this.maxNoteBytes) {
        this.log.warn(`Skipping ${path}: ${stat.size} bytes is more than ${this.maxNoteBytes}`);
        return undefined;
      }
      const text = await this.workspace.readNote(key);
      const tags = this.workspace.todoTags(key);
      const parse =
        text.length >= this.largeNoteChars
          ? snapshotFromRaw(text, { tags }, 0, await this.host.parseRaw(text, tags)).result
          : createSnapshot(text, { tags }).result;
      return { ...this.workspace.placement(key), key, source: 'disk', parse };
    } catch (err) {
      // Deleted between listing and reading, unreadable, …: not a note any more.
      this.log.warn(`Cannot read ${path}: ${errorMessage(err)}`);
      return undefined;
    }
  }

  private scheduleDisk(key: string): void {
    // The open document is the truth; the editor reloads it from disk itself when it is not dirty.
    if (this.entries.get(key)?.source === 'document' || this.workspace.openDocument(key)) return;
    this.timers.schedule(key, this.diskDelayMs, () => {
      const generation = this.generation;
      void this.readDisk(key).then((note) => {
        if (generation !== this.generation || this.entries.get(key)?.source === 'document') return;
        if (note) this.entries.set(key, { key, source: 'disk', note, pending: [], stale: false });
        else this.entries.delete(key);
        this.fire(new Set([key]));
      });
    });
  }

  private openDocument(document: NoteDocument): void {
    // Other Markdown (a git diff side, an output channel) is parsed only when a feature asks.
    if (!document.isNote) return;
    const entry = this.documentEntry(document);
    if (!entry.snapshot) this.schedule(entry, 0);
  }

  private closeDocument(document: NoteDocument): void {
    const entry = this.entries.get(document.key);
    if (entry?.source !== 'document' || entry.document !== document) return;
    entry.stale = true;
    this.timers.cancel(entry.key);
    this.entries.delete(entry.key);
    // Closed without saving, perhaps: the file on disk is what counts now.
    if (this.diskKeys.has(entry.key)) this.scheduleDisk(entry.key);
    else if (entry.note && document.isNote) this.fire(new Set([entry.key]));
  }

  /** The entry of an open document, made (replacing a disk entry) on first sight. */
  private documentEntry(document: NoteDocument): Entry {
    const existing = this.entries.get(document.key);
    if (existing?.source === 'document' && existing.document === document) return existing;
    if (existing) existing.stale = true;
    // The disk parse stays visible until the document's own lands.
    const entry: Entry = { key: document.key, source: 'document', document, note: existing?.note, pending: [], stale: false };
    this.entries.set(document.key, entry);
    return entry;
  }

  private schedule(entry: Entry, delay: number): void {
    this.timers.schedule(entry.key, delay, () => {
      void this.parse(entry.document!).catch((err: unknown) => this.log.warn(`Parse of ${entry.key} failed: ${errorMessage(err)}`));
    });
  }

  private isCurrent(entry: Entry): boolean {
    const { snapshot, document } = entry;
    return (
      snapshot !== undefined &&
      entry.parsingVersion === undefined &&
      entry.pending.length === 0 &&
      snapshot.version === document!.version &&
      sameTags(snapshot, this.workspace.todoTags(entry.key))
    );
  }

  private async run(entry: Entry, step: () => Promise<void>): Promise<void> {
    const running = step().finally(() => {
      if (entry.running === running) entry.running = undefined;
    });
    entry.running = running;
    await running;
  }

  /** One step towards the current version: an incremental update, else a full parse. */
  private async step(entry: Entry): Promise<void> {
    const document = entry.document!;
    const tags = this.workspace.todoTags(entry.key);
    if (entry.snapshot && entry.pending.length > 0 && sameTags(entry.snapshot, tags)) {
      const next = this.tryIncremental(entry, tryUpdateSnapshot);
      if (next) {
        entry.pending = [];
        this.publish(entry, next);
        return;
      }
    }
    // A full parse of the text as it is now; edits from here on queue behind it.
    const text = document.getText();
    const version = document.version;
    entry.pending = [];
    if (text.length < this.largeNoteChars) {
      this.publish(entry, createSnapshot(text, { tags }, version));
      return;
    }
    entry.parsingVersion = version;
    const started = Date.now();
    try {
      const raw = await this.host.parseRaw(text, tags);
      // Replaced, closed, invalidated, or overtaken by a synchronous parse meanwhile: drop it.
      if (entry.stale || entry.parsingVersion !== version) return;
      entry.parsingVersion = undefined;
      this.publish(entry, snapshotFromRaw(text, { tags }, version, raw));
      this.log.trace(`Background parse of ${entry.key} v${version} in ${Date.now() - started} ms`);
    } finally {
      if (entry.parsingVersion === version) {
        // The parse failed: the next step starts over from the text.
        entry.parsingVersion = undefined;
        entry.snapshot = undefined;
      }
    }
  }

  /** The snapshot with the pending edits applied, or `undefined` when they need a full parse. */
  private tryIncremental(
    entry: Entry,
    update: (snapshot: NotesSnapshot, changes: readonly TextChange[], options: { version: number; text: string }) => NotesSnapshot | undefined,
  ): NotesSnapshot | undefined {
    const document = entry.document!;
    try {
      return update(entry.snapshot!, entry.pending, { version: document.version, text: document.getText() });
    } catch (err) {
      // The edits do not fit the text (an event was missed): parse the text as it is.
      this.log.warn(`Edits of ${entry.key} do not match its text (${errorMessage(err)}); parsing it again`);
      return undefined;
    }
  }

  private publish(entry: Entry, snapshot: NotesSnapshot): void {
    if (entry.stale) return;
    entry.snapshot = snapshot;
    if (snapshot.result.failure) this.log.warn(`The parser failed on ${entry.key}: ${snapshot.result.failure}`);
    entry.note = { ...this.workspace.placement(entry.key), key: entry.key, source: 'document', version: snapshot.version, parse: snapshot.result };
    if (entry.document?.isNote) this.fire(new Set([entry.key]));
  }

  /** Coalesces bursts of changes into one event per turn of the event loop. */
  private fire(keys: ReadonlySet<string>): void {
    if (this.isDisposed || keys.size === 0) return;
    for (const k of keys) this.changed.add(k);
    if (this.fireTimer) return;
    this.fireTimer = setTimeout(() => {
      this.fireTimer = undefined;
      const changed = new Set(this.changed);
      this.changed.clear();
      this._onDidChange.fire(changed);
    }, 0);
  }
}

function sameTags(snapshot: NotesSnapshot, tags: readonly string[]): boolean {
  const had = snapshot.options.tags ?? [];
  return had.length === tags.length && had.every((t, i) => t === tags[i]);
}
