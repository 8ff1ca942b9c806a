import type * as vscode from 'vscode';
import type { Logger } from './log';
import type { ParseHost } from './model/parseHost';
import type { NoteStat } from './model/workspace';

/**
 * What differs between the desktop (Node) extension host and the browser's web-worker extension
 * host (vscode.dev, github.dev, code-server's web worker host). Each entry point supplies one:
 * extension.ts (Node: `worker_threads`, `fs`) and web/extension.web.ts (Blob-URL web worker).
 * Everything else — the features, the model, the renderers — is the same code in both.
 */
export interface Platform {
  /** Shown in the log at activation (and read by the end-to-end tests). */
  readonly kind: 'node' | 'web';
  /** Where big notes are parsed off the extension host's thread. */
  createParseHost(context: vscode.ExtensionContext, log: Logger): ParseHost;
  /**
   * Whether a note on disk is write-protected beyond what `workspace.fs.stat` reports (Node: the
   * owner's write bit, as VS Code's own "write locked" check). The web host has no local disk.
   */
  isWriteProtected(uri: vscode.Uri): Promise<boolean>;
  /** The Node host's own file access for `file:` notes (the web host goes through `workspace.fs`). */
  readonly localFiles?: LocalFiles;
}

/** Reads notes on the extension host's own disk by path; `stat` follows symbolic links. */
export interface LocalFiles {
  stat(path: string): Promise<NoteStat>;
  read(path: string): Promise<Uint8Array>;
}
