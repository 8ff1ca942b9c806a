import * as vscode from 'vscode';
import type { ParseResult } from '../core';
import type { LecternConfig } from './config';
import type { LocalFiles } from './platform';
import type { Logger } from './log';
import { Disposable, Emitter, type Event } from './model/lifecycle';
import { NotesModel } from './model/notesModel';
import type { ParseHost } from './model/parseHost';
import type { NoteDocument, NoteDocumentChange, NotePlacement, NoteStat, NotesWatcher, NotesWorkspace } from './model/workspace';

/** Schemes of documents a user writes notes in (not git diffs, output channels, …). */
const NOTE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-userdata']);
const EXCLUDE = '{**/node_modules/**,**/.git/**}';

export function isNoteDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' && NOTE_SCHEMES.has(document.uri.scheme);
}

/**
 * The `NotesWorkspace` of VS Code: thin, every decision is the model's. Markdown documents become
 * `NoteDocument`s (one wrapper per `TextDocument`, so the model can tell a reopened document from
 * the old one), edits carry VS Code's `contentChanges` as offsets, note files are found with the
 * `lectern.notesGlob` of each folder, and the settings that change a parse (`lectern.todo.tags`)
 * and the note set (`lectern.notesGlob`, folders) are listened to here, once, for every feature.
 */
export class VscodeNotesWorkspace extends Disposable implements NotesWorkspace {
  private readonly wrappers = new WeakMap<vscode.TextDocument, NoteDocument>();
  private readonly _onDidOpen = this._register(new Emitter<NoteDocument>());
  private readonly _onDidChange = this._register(new Emitter<NoteDocumentChange>());
  private readonly _onDidClose = this._register(new Emitter<NoteDocument>());
  private readonly _onDidChangeNoteSet = this._register(new Emitter<void>());
  private readonly _onDidChangeParseSettings = this._register(new Emitter<void>());
  readonly onDidOpenDocument = this._onDidOpen.event;
  readonly onDidChangeDocument = this._onDidChange.event;
  readonly onDidCloseDocument = this._onDidClose.event;
  readonly onDidChangeNoteSet = this._onDidChangeNoteSet.event;
  readonly onDidChangeParseSettings = this._onDidChangeParseSettings.event;

  constructor(
    private readonly config: LecternConfig,
    private readonly localFiles?: LocalFiles,
  ) {
    super();
    this._register(
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.languageId === 'markdown') this._onDidOpen.fire(this.wrap(d));
      }),
    );
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId !== 'markdown' || e.contentChanges.length === 0) return;
        const changes = e.contentChanges.map((c) => ({ startOffset: c.rangeOffset, endOffset: c.rangeOffset + c.rangeLength, newText: c.text }));
        this._onDidChange.fire({ document: this.wrap(e.document), changes });
      }),
    );
    this._register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        const wrapper = this.wrappers.get(d);
        if (wrapper) this._onDidClose.fire(wrapper);
      }),
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this._onDidChangeNoteSet.fire()));
    this._register(
      config.onDidChange((change) => {
        if (change.affects('lectern.todo.tags')) this._onDidChangeParseSettings.fire();
        else if (change.affects('lectern.notesGlob')) this._onDidChangeNoteSet.fire();
      }),
    );
  }

  /** The model's view of a VS Code document (the same object for the same document). */
  wrap(document: vscode.TextDocument): NoteDocument {
    let wrapper = this.wrappers.get(document);
    if (!wrapper) {
      const isNote = isNoteDocument(document);
      wrapper = {
        key: document.uri.toString(),
        get version() {
          return document.version;
        },
        get isClosed() {
          return document.isClosed;
        },
        isNote,
        // The offset of the end: no getText(), which joins every line of the document.
        length: () => document.offsetAt(document.lineAt(document.lineCount - 1).range.end),
        getText: () => document.getText(),
      };
      this.wrappers.set(document, wrapper);
    }
    return wrapper;
  }

  openDocuments(): readonly NoteDocument[] {
    return vscode.workspace.textDocuments.filter((d) => d.languageId === 'markdown').map((d) => this.wrap(d));
  }

  openDocument(key: string): NoteDocument | undefined {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && d.languageId === 'markdown');
    return document ? this.wrap(document) : undefined;
  }

  async listNotes(): Promise<string[]> {
    const keys: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, this.config.notesGlob(folder.uri)), EXCLUDE);
      for (const uri of uris) keys.push(uri.toString());
    }
    return keys;
  }

  watchNotes(): NotesWatcher {
    const created = new Emitter<string>();
    const changed = new Emitter<string>();
    const deleted = new Emitter<string>();
    const disposables: vscode.Disposable[] = [];
    const ignored = (uri: vscode.Uri) => /[\\/](?:node_modules|\.git)[\\/]/.test(uri.path);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, this.config.notesGlob(folder.uri)));
      disposables.push(
        watcher,
        watcher.onDidCreate((uri) => ignored(uri) || created.fire(uri.toString())),
        watcher.onDidChange((uri) => ignored(uri) || changed.fire(uri.toString())),
        watcher.onDidDelete((uri) => deleted.fire(uri.toString())),
      );
    }
    return {
      onDidCreate: created.event,
      onDidChange: changed.event,
      onDidDelete: deleted.event,
      dispose: () => {
        for (const d of disposables) d.dispose();
        for (const e of [created, changed, deleted]) e.dispose();
      },
    };
  }

  async stat(key: string): Promise<NoteStat> {
    const uri = vscode.Uri.parse(key);
    // The Node host reads `file:` notes itself, without `workspace.fs`'s round trip to the
    // workbench before every call (issue #15); the web host has only `workspace.fs`.
    if (uri.scheme === 'file' && this.localFiles) return this.localFiles.stat(uri.fsPath);
    const stat = await vscode.workspace.fs.stat(uri);
    // `Unknown` (0) is what a FIFO, socket or device reports; a symbolic link carries the kind of its target.
    const kind = (stat.type & vscode.FileType.File) !== 0 ? 'file' : (stat.type & vscode.FileType.Directory) !== 0 ? 'directory' : 'other';
    return { kind, size: stat.size };
  }

  async readNote(key: string): Promise<string> {
    const uri = vscode.Uri.parse(key);
    const bytes = uri.scheme === 'file' && this.localFiles ? await this.localFiles.read(uri.fsPath) : await vscode.workspace.fs.readFile(uri);
    // TextDecoder drops a BOM, as VS Code's documents do, so offsets agree with an opened editor.
    return new TextDecoder('utf-8').decode(bytes);
  }

  placement(key: string): NotePlacement {
    const uri = vscode.Uri.parse(key);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return {
      path: uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false),
      folder: folder ? { key: folder.uri.toString(), name: folder.name, index: folder.index } : undefined,
    };
  }

  todoTags(key: string): readonly string[] {
    return this.config.todoTags(vscode.Uri.parse(key));
  }
}

/**
 * What the features hold: the model, with `vscode.TextDocument` in and out. Every parse of a
 * note goes through here.
 */
export class Notes extends Disposable {
  readonly workspace: VscodeNotesWorkspace;
  readonly model: NotesModel;
  readonly onDidChange: Event<ReadonlySet<string>>;

  constructor(config: LecternConfig, log: Logger, host: ParseHost, localFiles?: LocalFiles) {
    super();
    this.workspace = this._register(new VscodeNotesWorkspace(config, localFiles));
    this._register(host);
    this.model = this._register(new NotesModel(this.workspace, host, { log }));
    this.onDidChange = this.model.onDidChange;
  }

  /** The parse of the document's current version (off this thread for large notes). */
  parse(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<ParseResult | undefined> {
    return this.model.parse(this.workspace.wrap(document), token);
  }

  /** The parse of the document's current version, now (see `NotesModel.parseNow`). */
  parseNow(document: vscode.TextDocument): ParseResult {
    return this.model.parseNow(this.workspace.wrap(document));
  }

  /** Brings the note's parse up to date at once (after Lectern's own edits). */
  flush(document: vscode.TextDocument): Promise<void> {
    return this.model.flush(this.workspace.wrap(document));
  }
}
