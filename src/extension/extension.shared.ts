import type * as vscode from 'vscode';
import { createLogger } from './log';
import { LecternConfig } from './config';
import { Notes } from './vscodeNotes';
import type { Platform } from './platform';
import type { Services } from './services';
import { registerTodosFeatures } from './todos/register';
import { registerPreviewFeatures } from './preview/register';
import { registerDemosFeatures } from './demos/register';

/**
 * The composition root, shared by the desktop (extension.ts) and the web (web/extension.web.ts)
 * entry points: builds the shared services once and hands them to each feature. Nothing heavy
 * happens here; features load their heavy parts (renderers, webviews) on first use.
 */
export function activateLectern(context: vscode.ExtensionContext, platform: Platform): void {
  const started = Date.now();
  const log = createLogger(context);
  const config = new LecternConfig();
  // The parse worker starts on the first large note; the first scan starts after activate() returns.
  const notes = new Notes(config, log, platform.createParseHost(context, log), platform.localFiles);
  context.subscriptions.push(notes);
  const services: Services = { context, log, config, notes, platform };

  registerTodosFeatures(services);
  registerPreviewFeatures(services);
  registerDemosFeatures(services);

  log.info(`Lectern activated in ${Date.now() - started} ms (${platform.kind === 'web' ? 'web worker' : 'Node'} extension host)`);
}
