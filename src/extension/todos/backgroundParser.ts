import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { parseNotes } from '../../core';
import type { ParseResult } from '../../core';
import type { Logger } from '../log';

export interface ParseRequest {
  readonly id: number;
  readonly text: string;
  readonly tags: readonly string[];
}

export type ParseResponse =
  | { readonly id: number; readonly ok: true; readonly result: ParseResult; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** Notes at least this long are parsed on the worker; smaller ones parse faster than a round trip. */
export const BACKGROUND_PARSE_MIN_CHARS = 256 * 1024;

/**
 * Parses on one lazily started worker thread. If the worker cannot start or dies, parsing falls
 * back to this thread (slower for huge notes, but the tree stays correct).
 */
export class BackgroundParser implements vscode.Disposable {
  private worker: Worker | undefined;
  private failed = false;
  private disposed = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: ParseResult) => void; reject: (e: Error) => void }>();

  constructor(private readonly workerScript: string, private readonly log: Logger) {}

  static forExtension(context: vscode.ExtensionContext, log: Logger): BackgroundParser {
    return new BackgroundParser(path.join(context.extensionPath, 'dist', 'extension-parseWorker.js'), log);
  }

  async parse(text: string, tags: readonly string[]): Promise<ParseResult> {
    if (this.disposed) throw new Error('disposed');
    const worker = this.ensureWorker();
    if (!worker) return parseNotes(text, { tags });
    const id = this.nextId++;
    return new Promise<ParseResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: ParseRequest = { id, text, tags: [...tags] };
      worker.postMessage(request);
    }).catch((err: unknown) => {
      if (this.disposed) throw err;
      this.log.warn(`Background parse failed (${err instanceof Error ? err.message : String(err)}); parsing on the main thread`);
      return parseNotes(text, { tags });
    });
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      const worker = new Worker(this.workerScript);
      worker.unref();
      worker.on('message', (response: ParseResponse) => {
        const waiter = this.pending.get(response.id);
        if (!waiter) return;
        this.pending.delete(response.id);
        if (response.ok) {
          if (response.ms > 200) this.log.info(`Parsed a note in the background in ${response.ms} ms`);
          waiter.resolve(response.result);
        } else {
          waiter.reject(new Error(response.error));
        }
      });
      const fail = (err: Error) => {
        this.log.warn(`Parse worker stopped: ${err.message}`);
        this.failed = true;
        this.worker = undefined;
        for (const waiter of this.pending.values()) waiter.reject(err);
        this.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (this.worker === worker) fail(new Error(`exit code ${code}`));
      });
      this.worker = worker;
    } catch (err) {
      this.failed = true;
      this.log.warn(`Cannot start the parse worker: ${err instanceof Error ? err.message : String(err)}`);
    }
    return this.worker;
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failed = true;
    this.disposed = true;
    for (const waiter of this.pending.values()) waiter.reject(new Error('disposed'));
    this.pending.clear();
    void worker?.terminate();
  }
}
