import type * as vscode from 'vscode';
import { activateLectern } from '../extension.shared';
import { openLogChannel } from '../log';
import type { Platform } from '../platform';
import { setUpChunkLoading } from './chunkLoading';
import { WebWorkerParseHost } from './webWorkerHost';

/**
 * The browser entry (`browser`, dist/web/extension.js): the web-worker extension host of
 * vscode.dev, github.dev and code-server. No Node here (test/unit/webBundle.test.ts checks the
 * bundle): big notes parse in a Blob-URL web worker, files go through `workspace.fs`, nonces come
 * from Web Crypto. The features are the desktop's own (extension.shared.ts).
 */
// The log channel's set-up (a round trip to the workbench) starts while the host fetches the context.
openLogChannel();

const webPlatform: Platform = {
  kind: 'web',
  createParseHost: (context, log) => new WebWorkerParseHost(context.extensionUri, log),
  // Write protection shows through `workspace.fs.stat`'s permissions; there is no disk to ask.
  isWriteProtected: () => Promise.resolve(false),
};

export function activate(context: vscode.ExtensionContext): void {
  setUpChunkLoading(context.extensionUri);
  activateLectern(context, webPlatform);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
