import * as vscode from 'vscode';
import { parseNotes } from '../../core';
import type { ParseResult } from '../../core';
import type { TodoFileInput, TodoFolderInput } from '../../core/todoTree';
import type { Services } from '../services';
import { KeyedDebouncer } from '../model/debounce';
import { onDidApplyTodoEdit } from './resolveTodo';
import { BACKGROUND_PARSE_MIN_CHARS } from './backgroundParser';
import type { BackgroundParser } from './backgroundParser';

/** One note known to the index: parsed from an open document or read from disk. */
export interface IndexedNote extends TodoFileInput {
  readonly uri: vscode.Uri;
  readonly source: 'document' | 'disk';
  /** Document version for `document` notes. */
  readonly version?: number;
  readonly parse: ParseResult;
}

/** Re-parse an edited document at most this long after the last keystroke (issue: ≤ 300 ms). */
export const EDIT_DEBOUNCE_MS = 250;
/** Changes on disk often come in bursts (git checkout, save-all): coalesce them. */
const DISK_DEBOUNCE_MS = 100;
/** Files above this size are skipped with a log line instead of stalling the extension host. */
const MAX_NOTE_BYTES = 50 * 1024 * 1024;
const EXCLUDE = '{**/node_modules/**,**/.git/**}';
/** Schemes of documents a user writes notes in (not git diffs, output channels, …). */
const NOTE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-userdata']);

export function isNoteDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' && NOTE_SCHEMES.has(document.uri.scheme);
}

/** Cheap size check (no getText()): the offset of the document's end. */
function isLarge(document: vscode.TextDocument): boolean {
  const last = document.lineAt(document.lineCount - 1);
  return document.offsetAt(last.range.end) >= BACKGROUND_PARSE_MIN_CHARS;
}

export type IndexState = 'loading' | 'ready';

/**
 * Every note in the workspace with its parse, kept current:
 * - files matching `lectern.notesGlob` in each folder (read with `workspace.fs`), watched on disk;
 * - every open Markdown document (untitled too), re-parsed from memory after typing pauses.
 *
 * Keystrokes only reset a timer; the parse runs once the user pauses, and only for the document
 * that changed. An open document always wins over the file on disk.
 */
export class TodoIndex implements vscode.Disposable {
  private readonly notesByKey = new Map<string, IndexedNote>();
  /** Files the glob matched on disk, so closing their document falls back to the disk version. */
  private readonly diskKeys = new Set<string>();
  private readonly timers = new KeyedDebouncer();
  private readonly subscriptions: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private generation = 0;
  private fireTimer: NodeJS.Timeout | undefined;
  private readonly changedKeys = new Set<string>();
  private _state: IndexState = 'loading';
  private _ready: Promise<void>;

  private readonly _onDidChange = new vscode.EventEmitter<ReadonlySet<string>>();
  /** Fires (coalesced) with the keys of the notes that changed, appeared or disappeared. */
  readonly onDidChange = this._onDidChange.event;

  /** Background parses in flight per document, and whether another edit arrived meanwhile. */
  private readonly inFlight = new Map<string, { again: boolean }>();

  constructor(private readonly services: Services, private readonly parser: BackgroundParser) {
    this.subscriptions.push(
      this._onDidChange,
      vscode.workspace.onDidOpenTextDocument((doc) => {
        if (isNoteDocument(doc)) this.schedule(doc, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        // Only reset a timer here: this runs on every keystroke.
        if (event.contentChanges.length > 0 && isNoteDocument(event.document)) this.schedule(event.document, EDIT_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.onClose(doc)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
      onDidApplyTodoEdit((doc) => this.updateDocumentNow(doc)),
    );
    // The first scan parses the open notes synchronously: start it right after activate() returns,
    // which then stays within its budget (issue #15); the tree shows 'loading' until it lands.
    this._ready = new Promise<void>((resolve) => setImmediate(resolve)).then(() => (this.generation === 0 ? this.refresh() : this._ready));
  }

  get state(): IndexState {
    return this._state;
  }

  /** Resolves when the current scan is complete. */
  get ready(): Promise<void> {
    return this._ready;
  }

  notes(): IndexedNote[] {
    return [...this.notesByKey.values()];
  }

  get(uri: vscode.Uri): IndexedNote | undefined {
    return this.notesByKey.get(uri.toString());
  }

  getByKey(key: string): IndexedNote | undefined {
    return this.notesByKey.get(key);
  }

  /** Re-scans everything: folders, watchers, open documents. Settings changes come through here. */
  refresh(): Promise<void> {
    const generation = ++this.generation;
    this._state = 'loading';
    this.resetWatchers();
    this._ready = this.scan(generation).catch((err: unknown) => {
      this.services.log.error(`TODO scan failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this._ready;
  }

  private async scan(generation: number): Promise<void> {
    const started = Date.now();
    // Open notes first: the workspace search can take seconds right after startup.
    for (const doc of vscode.workspace.textDocuments) {
      if (isNoteDocument(doc) && !this.notesByKey.has(doc.uri.toString())) this.updateDocumentNow(doc);
    }
    const found: vscode.Uri[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const glob = this.services.config.notesGlob(folder.uri);
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), EXCLUDE);
      found.push(...uris);
    }
    if (generation !== this.generation) return;

    const fresh = new Map<string, IndexedNote>();
    const freshDisk = new Set(found.map((u) => u.toString()));
    const openDocs = new Map(vscode.workspace.textDocuments.filter(isNoteDocument).map((d) => [d.uri.toString(), d]));
    for (const doc of openDocs.values()) {
      if (!isLarge(doc)) fresh.set(doc.uri.toString(), this.fromDocument(doc));
      else this.updateDocumentNow(doc); // lands when the worker is done
    }

    // Read a few files at a time: enough to hide latency, not enough to flood the host.
    const toRead = found.filter((u) => !openDocs.has(u.toString()));
    for (let i = 0; i < toRead.length; i += 8) {
      const batch = await Promise.all(toRead.slice(i, i + 8).map((u) => this.fromDisk(u)));
      if (generation !== this.generation) return;
      for (const note of batch) if (note) fresh.set(note.key, note);
    }

    const changed = new Set<string>([...this.notesByKey.keys(), ...fresh.keys()]);
    for (const k of [...this.notesByKey.keys()]) {
      // Large open documents are parsed in the background and may already be in: keep them.
      if (!fresh.has(k) && !(openDocs.has(k) && this.notesByKey.get(k)?.source === 'document')) this.notesByKey.delete(k);
    }
    for (const [k, v] of fresh) this.notesByKey.set(k, v);
    this.diskKeys.clear();
    for (const k of freshDisk) this.diskKeys.add(k);
    this._state = 'ready';
    this.services.log.info(`TODO index: ${found.length} note file(s), ${openDocs.size} open document(s) in ${Date.now() - started} ms`);
    this.fire(changed);
  }

  private resetWatchers(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const glob = this.services.config.notesGlob(folder.uri);
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
      const ignored = (uri: vscode.Uri) => /[\\/](?:node_modules|\.git)[\\/]/.test(uri.path);
      this.watchers.push(
        watcher,
        watcher.onDidCreate((uri) => {
          if (ignored(uri)) return;
          this.diskKeys.add(uri.toString());
          this.scheduleDisk(uri);
        }),
        watcher.onDidChange((uri) => {
          if (!ignored(uri)) this.scheduleDisk(uri);
        }),
        watcher.onDidDelete((uri) => this.onDiskDelete(uri)),
      );
    }
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && isNoteDocument(d));
  }

  /** The parse of an open document; shares `ParsedDocuments`' cache with the other features. */
  private fromDocument(document: vscode.TextDocument): IndexedNote {
    const started = Date.now();
    const parse = this.services.documents.get(document);
    const elapsed = Date.now() - started;
    if (elapsed > 50) this.services.log.info(`Parsed ${document.uri.toString(true)} (${document.getText().length} chars) in ${elapsed} ms`);
    return { ...this.placement(document.uri), uri: document.uri, source: 'document', version: document.version, parse };
  }

  private async fromDisk(uri: vscode.Uri): Promise<IndexedNote | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      // A FIFO would block the read forever and a device (a `notes.md` → /dev/zero link) never ends.
      if ((stat.type & vscode.FileType.File) === 0) {
        this.services.log.warn(`Skipping ${uri.toString(true)}: not a regular file`);
        return undefined;
      }
      if (stat.size > MAX_NOTE_BYTES) {
        this.services.log.warn(`Skipping ${uri.toString(true)}: ${stat.size} bytes is more than ${MAX_NOTE_BYTES}`);
        return undefined;
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      // TextDecoder drops a BOM, as VS Code's documents do, so offsets agree with an opened editor.
      const text = new TextDecoder('utf-8').decode(bytes);
      const tags = this.services.config.todoTags(uri);
      const parse = text.length >= BACKGROUND_PARSE_MIN_CHARS ? await this.parser.parse(text, tags) : parseNotes(text, { tags });
      return { ...this.placement(uri), uri, source: 'disk', parse };
    } catch (err) {
      // Deleted between listing and reading, unreadable, …: not a note any more.
      this.services.log.warn(`Cannot read ${uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private placement(uri: vscode.Uri): { key: string; path: string; folder?: TodoFolderInput } {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const path = uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
    return {
      key: uri.toString(),
      path,
      folder: folder ? { key: folder.uri.toString(), name: folder.name, index: folder.index } : undefined,
    };
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    this.timers.schedule(document.uri.toString(), delay, () => {
      // Closed while waiting: onClose has taken care of it.
      if (document.isClosed) return;
      this.updateDocumentNow(document);
    });
  }

  /**
   * Parses a document now (after the debounce, or at once after Lectern's own edits so the tree
   * follows immediately). Large documents go to the worker thread; while one is being parsed,
   * further edits only mark it for one more pass, so parses never pile up.
   */
  updateDocumentNow(document: vscode.TextDocument): void {
    if (!isNoteDocument(document) || document.isClosed) return;
    const key = document.uri.toString();
    this.timers.cancel(key);
    const existing = this.notesByKey.get(key);
    if (existing?.source === 'document' && existing.version === document.version) return;
    if (!isLarge(document)) {
      this.notesByKey.set(key, this.fromDocument(document));
      this.fire(new Set([key]));
      return;
    }
    const running = this.inFlight.get(key);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.inFlight.set(key, state);
    const version = document.version;
    const generation = this.generation;
    const started = Date.now();
    const tags = this.services.config.todoTags(document.uri);
    this.parser
      .parse(document.getText(), tags)
      .then((parse) => {
        if (generation !== this.generation || document.isClosed) return;
        this.services.documents.remember(document, version, tags, parse);
        const current = this.notesByKey.get(key);
        // A slightly stale parse still beats none; the follow-up pass below catches up.
        if (current?.source === 'document' && (current.version ?? -1) >= version) return;
        this.notesByKey.set(key, { ...this.placement(document.uri), uri: document.uri, source: 'document', version, parse });
        this.services.log.trace(`Background parse of ${document.uri.toString(true)} v${version} in ${Date.now() - started} ms`);
        this.fire(new Set([key]));
      })
      .catch((err: unknown) => this.services.log.warn(`Parse of ${key} failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.inFlight.delete(key);
        if ((state.again || document.version !== version) && !document.isClosed && generation === this.generation) {
          this.updateDocumentNow(document);
        }
      });
  }

  private scheduleDisk(uri: vscode.Uri): void {
    const key = uri.toString();
    // The open document is the truth; VS Code reloads it from disk itself when it is not dirty.
    if (this.openDocument(uri)) return;
    this.timers.schedule(key, DISK_DEBOUNCE_MS, () => {
      const generation = this.generation;
      void this.fromDisk(uri).then((note) => {
        if (generation !== this.generation || this.openDocument(uri)) return;
        if (note) this.notesByKey.set(key, note);
        else this.notesByKey.delete(key);
        this.fire(new Set([key]));
      });
    });
  }

  private onDiskDelete(uri: vscode.Uri): void {
    const key = uri.toString();
    this.diskKeys.delete(key);
    if (this.openDocument(uri)) return;
    this.timers.cancel(key);
    if (this.notesByKey.delete(key)) this.fire(new Set([key]));
  }

  private onClose(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.timers.cancel(key);
    if (this.notesByKey.get(key)?.source !== 'document') return;
    if (this.diskKeys.has(key)) {
      // Closed without saving, perhaps: the file on disk is what counts now.
      this.scheduleDisk(document.uri);
    } else {
      this.notesByKey.delete(key);
      this.fire(new Set([key]));
    }
  }

  /** Coalesces bursts of changes into one event per turn of the event loop. */
  private fire(keys: ReadonlySet<string>): void {
    for (const k of keys) this.changedKeys.add(k);
    if (this.fireTimer) return;
    this.fireTimer = setTimeout(() => {
      this.fireTimer = undefined;
      const changed = new Set(this.changedKeys);
      this.changedKeys.clear();
      this._onDidChange.fire(changed);
    }, 0);
  }

  dispose(): void {
    this.generation++;
    this.timers.dispose();
    if (this.fireTimer) clearTimeout(this.fireTimer);
    for (const w of this.watchers) w.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.notesByKey.clear();
  }
}
