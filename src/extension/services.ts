import * as vscode from 'vscode';
import type { Logger } from './log';
import type { ParsedDocuments } from './parsedDocuments';
import type { LecternConfig } from './config';

/** What the composition root hands every feature. Features register their disposables themselves. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: Logger;
  readonly config: LecternConfig;
  readonly documents: ParsedDocuments;
}
