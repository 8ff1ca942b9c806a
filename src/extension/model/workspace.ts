import type { TextChange } from '../../core';
import type { TodoFolderInput } from '../../core/todoTree';
import type { Event } from './lifecycle';

/**
 * What the document model needs from its host, and nothing more: open documents with versions and
 * their edits, the note files on disk (listed, stat'ed, read, watched), where a note sits in the
 * workspace, and the settings that change a parse. Modelled on the Markdown language service's
 * `IWorkspace`: VS Code implements it in `extension/vscodeNotes.ts`, tests and benchmarks use
 * `InMemoryNotesWorkspace`. Notes are named by key (a URI's `toString()`).
 */
export interface NotesWorkspace {
  /** The Markdown documents open now. */
  openDocuments(): readonly NoteDocument[];
  /** The open document of `key`, if any. */
  openDocument(key: string): NoteDocument | undefined;
  readonly onDidOpenDocument: Event<NoteDocument>;
  /** One document version's edits, in order (each in offsets of the text the previous one left). */
  readonly onDidChangeDocument: Event<NoteDocumentChange>;
  readonly onDidCloseDocument: Event<NoteDocument>;

  /** The note files on disk (the notes glob in every workspace folder). */
  listNotes(): Promise<string[]>;
  /** Starts watching the listed note files; the model calls it again (after disposing) on a rescan. */
  watchNotes(): NotesWatcher;
  /** Rejects when the file does not exist or cannot be read. Never opens the file. */
  stat(key: string): Promise<NoteStat>;
  /** The file's text (a UTF-8 BOM dropped, as editors do). Only called for regular files. */
  readNote(key: string): Promise<string>;
  /** The set of notes changed (folders added or removed, the notes glob edited): list them again. */
  readonly onDidChangeNoteSet: Event<void>;

  /** Where the note sits, for the TODO tree: its path relative to its folder, and the folder. */
  placement(key: string): NotePlacement;
  /** The TODO tags in force for the note (validated, never empty). */
  todoTags(key: string): readonly string[];
  /** A setting that changes parses (the TODO tags) changed: every parse is stale. */
  readonly onDidChangeParseSettings: Event<void>;
}

export interface NoteDocument {
  readonly key: string;
  readonly version: number;
  readonly isClosed: boolean;
  /**
   * A note the TODO index lists (a user's document), as opposed to another Markdown document the
   * features may still parse (a git diff side, an output channel).
   */
  readonly isNote: boolean;
  /** The length of the text, without building it. */
  length(): number;
  getText(): string;
}

export interface NoteDocumentChange {
  readonly document: NoteDocument;
  readonly changes: readonly TextChange[];
}

export interface NotesWatcher {
  readonly onDidCreate: Event<string>;
  readonly onDidChange: Event<string>;
  readonly onDidDelete: Event<string>;
  dispose(): void;
}

/**
 * `other` is anything but a regular file or a directory: a FIFO (reading it blocks until a writer
 * comes), a character device (`/dev/zero` never ends), a socket, a dangling link.
 */
export type NoteFileKind = 'file' | 'directory' | 'other';

export interface NoteStat {
  readonly kind: NoteFileKind;
  readonly size: number;
}

export interface NotePlacement {
  readonly path: string;
  readonly folder?: TodoFolderInput;
}
