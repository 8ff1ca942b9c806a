import type * as vscode from 'vscode';
import type { Logger } from './log';
import type { LecternConfig } from './config';
import type { Notes } from './vscodeNotes';
import type { Platform } from './platform';

/** What the composition root hands every feature. Features register their disposables themselves. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: Logger;
  readonly config: LecternConfig;
  /** The document model: every parse of a note comes from here. */
  readonly notes: Notes;
  /** What differs between the desktop and the browser extension hosts. */
  readonly platform: Platform;
}
