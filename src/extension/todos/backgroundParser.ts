import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { parseNotes } from '../../core';
import type { ParseResult } from '../../core';
import { planTodoEdit } from '../../core/edit';
import type { TodoEditPlan } from '../../core/edit';
import type { Logger } from '../log';

export type WorkerRequest =
  | { readonly id: number; readonly kind: 'parse'; readonly text: string; readonly tags: readonly string[] }
  | {
      readonly id: number;
      readonly kind: 'plan';
      readonly text: string;
      readonly tags: readonly string[];
      readonly todoId: string;
      readonly expectedText: string;
      /** `undefined` plans a reopen. */
      readonly answer: string | undefined;
    };

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly value: ParseResult | TodoEditPlan; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly error: string };

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Notes at least this long are handled on the worker; smaller ones are faster than a round trip. */
export const BACKGROUND_PARSE_MIN_CHARS = 256 * 1024;

/**
 * One lazily started worker thread for the expensive pure work on big notes. If the worker cannot
 * start or dies, the work runs on this thread instead (slower for huge notes, never wrong).
 */
export class BackgroundParser implements vscode.Disposable {
  private worker: Worker | undefined;
  private failed = false;
  private disposed = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly workerScript: string, private readonly log: Logger) {}

  static forExtension(context: vscode.ExtensionContext, log: Logger): BackgroundParser {
    return new BackgroundParser(path.join(context.extensionPath, 'dist', 'extension-parseWorker.js'), log);
  }

  parse(text: string, tags: readonly string[]): Promise<ParseResult> {
    return this.run<ParseResult>({ kind: 'parse', text, tags }, () => parseNotes(text, { tags }));
  }

  planEdit(text: string, tags: readonly string[], todoId: string, expectedText: string, answer: string | undefined): Promise<TodoEditPlan> {
    return this.run<TodoEditPlan>({ kind: 'plan', text, tags: [...tags], todoId, expectedText, answer }, () =>
      planTodoEdit(text, todoId, expectedText, answer, { tags }),
    );
  }

  private async run<T>(request: Request, onThisThread: () => T): Promise<T> {
    if (this.disposed) throw new Error('disposed');
    const worker = this.ensureWorker();
    if (!worker) return onThisThread();
    const id = this.nextId++;
    try {
      return await new Promise<T>((resolve, reject) => {
        this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ ...request, id, tags: [...request.tags] });
      });
    } catch (err) {
      if (this.disposed) throw err;
      this.log.warn(`Background ${request.kind} failed (${err instanceof Error ? err.message : String(err)}); running it on the main thread`);
      return onThisThread();
    }
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      const worker = new Worker(this.workerScript);
      worker.unref();
      worker.on('message', (response: WorkerResponse) => {
        const waiter = this.pending.get(response.id);
        if (!waiter) return;
        this.pending.delete(response.id);
        if (response.ok) {
          if (response.ms > 200) this.log.info(`Worker job took ${response.ms} ms`);
          waiter.resolve(response.value);
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
