import * as vscode from 'vscode';
import { createLogger } from './log';
import { LecternConfig } from './config';
import { ParsedDocuments } from './parsedDocuments';
import type { Services } from './services';
import { registerTodosFeatures } from './todos/register';
import { registerPreviewFeatures } from './preview/register';
import { registerDemosFeatures } from './demos/register';

/**
 * The composition root: builds the shared services once and hands them to each feature.
 * Nothing heavy happens here; features load their heavy parts (renderers, webviews) on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  const log = createLogger(context);
  const config = new LecternConfig();
  const documents = new ParsedDocuments(config);
  context.subscriptions.push(documents);
  const services: Services = { context, log, config, documents };

  registerTodosFeatures(services);
  registerPreviewFeatures(services);
  registerDemosFeatures(services);

  log.info(`Lectern activated in ${Date.now() - started} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
