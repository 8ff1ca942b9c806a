import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { activateLectern } from './extension.shared';
import { openLogChannel } from './log';
import { NodeWorkerParseHost } from './model/nodeWorkerHost';
import { nodeLocalFiles } from './nodeFiles';
import type { Platform } from './platform';

// The log channel's set-up (asynchronous, in the host) starts while the host fetches the context.
openLogChannel();

/**
 * The desktop entry (`main`, dist/extension.js): the Node extension host. Only this file and what
 * it alone imports may use Node's modules; the browser entry is web/extension.web.ts.
 */
const nodePlatform: Platform = {
  kind: 'node',
  createParseHost: (context, log) => new NodeWorkerParseHost(path.join(context.extensionPath, 'dist', 'extension-parseWorker.js'), log),
  localFiles: nodeLocalFiles,
  async isWriteProtected(uri) {
    if (uri.scheme !== 'file') return false;
    try {
      return ((await stat(uri.fsPath)).mode & 0o200) === 0;
    } catch {
      return false;
    }
  },
};

export function activate(context: vscode.ExtensionContext): void {
  activateLectern(context, nodePlatform);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
