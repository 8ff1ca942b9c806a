import * as path from 'node:path';
import type * as vscode from 'vscode';
import { createLogger, openLogChannel } from './log';
import { LecternConfig } from './config';
import { NodeWorkerParseHost } from './model/nodeWorkerHost';
import { Notes } from './vscodeNotes';
import type { Services } from './services';
import { registerTodosFeatures } from './todos/register';
import { registerPreviewFeatures } from './preview/register';
import { registerDemosFeatures } from './demos/register';

// The log channel's set-up (asynchronous, in the host) starts while the host fetches the context.
openLogChannel();

/**
 * The composition root: builds the shared services once and hands them to each feature.
 * Nothing heavy happens here; features load their heavy parts (renderers, webviews) on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  const log = createLogger(context);
  const config = new LecternConfig();
  // The parse worker starts on the first large note; the first scan starts after activate() returns.
  const host = new NodeWorkerParseHost(path.join(context.extensionPath, 'dist', 'extension-parseWorker.js'), log);
  const notes = new Notes(config, log, host);
  context.subscriptions.push(notes);
  const services: Services = { context, log, config, notes };

  registerTodosFeatures(services);
  registerPreviewFeatures(services);
  registerDemosFeatures(services);

  log.info(`Lectern activated in ${Date.now() - started} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
