import * as vscode from 'vscode';
import { parseNotes } from '../core';
import type { ParseResult } from '../core';
import type { LecternConfig } from './config';

/**
 * One parse per (document, version, tags): the tree, CodeLens, diagnostics and preview all ask
 * here instead of parsing the same text again.
 */
export class ParsedDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; tagsKey: string; result: ParseResult }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly config: LecternConfig) {
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString())),
    );
  }

  get(document: vscode.TextDocument): ParseResult {
    const key = document.uri.toString();
    const tags = this.config.todoTags(document.uri);
    const tagsKey = tags.join(',');
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version && hit.tagsKey === tagsKey) return hit.result;
    const result = parseNotes(document.getText(), { tags });
    this.cache.set(key, { version: document.version, tagsKey, result });
    return result;
  }

  /**
   * Keeps a parse made off the main thread (the TODO index parses big notes on a worker), so the
   * CodeLens, diagnostics and preview asking for the same version do not parse it again here.
   */
  remember(document: vscode.TextDocument, version: number, tags: readonly string[], result: ParseResult): void {
    if (document.isClosed || document.version !== version) return;
    this.cache.set(document.uri.toString(), { version, tagsKey: tags.join(','), result });
  }

  invalidate(): void {
    this.cache.clear();
  }

  dispose(): void {
    this.cache.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
