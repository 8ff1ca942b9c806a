import type { TodoEditPlan } from '../../core';
import type { RawParse } from '../../core/parse';
import { errorMessage } from './errors';
import type { ModelLog } from './log';
import { handleParseHostRequest, type ParseHost, type ParseHostRequest, type ParseHostResponse } from './parseHost';

type Request = ParseHostRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The one thing a `WorkerParseHost` needs of a worker, whatever kind: a Node `worker_threads`
 * worker in the desktop extension host (`nodeWorkerHost.ts`), a Blob-URL web worker in the browser
 * (`extension/web/webWorkerHost.ts`), a fake in the unit tests.
 */
export interface WorkerChannel {
  post(request: ParseHostRequest): void;
  /** `onMessage` gets every reply; `onFailure` when the worker errs or exits (it is then dropped). */
  listen(onMessage: (response: ParseHostResponse) => void, onFailure: (err: Error) => void): void;
  terminate(): void;
}

/**
 * One lazily started worker that parses big notes and plans resolve/reopen edits. Starting it may
 * take a while (the web host reads the worker's script first), so requests wait for it. If the
 * worker cannot start or dies, the work runs on this thread instead (slower for huge notes, never
 * wrong).
 */
export class WorkerParseHost implements ParseHost {
  private worker: Promise<WorkerChannel | undefined> | undefined;
  private failed = false;
  private disposed = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();

  /** `start` makes the worker; `kind` names it in the log ("worker thread", "web worker"). */
  constructor(
    private readonly start: () => WorkerChannel | Promise<WorkerChannel>,
    private readonly log: ModelLog,
    private readonly kind = 'worker',
  ) {}

  parseRaw(text: string, tags: readonly string[]): Promise<RawParse> {
    return this.run<RawParse>({ kind: 'parse', text, tags: [...tags] });
  }

  planEdit(text: string, tags: readonly string[], todoId: string, expectedText: string, answer: string | undefined): Promise<TodoEditPlan> {
    return this.run<TodoEditPlan>({ kind: 'plan', text, tags: [...tags], todoId, expectedText, answer });
  }

  private async run<T>(request: Request): Promise<T> {
    if (this.disposed) throw new Error('disposed');
    const onThisThread = () => handleParseHostRequest({ ...request, id: 0 }) as T;
    const worker = await this.ensureWorker();
    if (this.disposed) throw new Error('disposed');
    if (!worker) return onThisThread();
    const id = this.nextId++;
    try {
      return await new Promise<T>((resolve, reject) => {
        this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.post({ ...request, id });
      });
    } catch (err) {
      if (this.disposed) throw err;
      this.log.warn(`Background ${request.kind} failed (${errorMessage(err)}); running it on the main thread`);
      return onThisThread();
    }
  }

  private ensureWorker(): Promise<WorkerChannel | undefined> {
    if (this.failed) return Promise.resolve(undefined);
    this.worker ??= this.startWorker();
    return this.worker;
  }

  private async startWorker(): Promise<WorkerChannel | undefined> {
    let worker: WorkerChannel;
    try {
      worker = await this.start();
    } catch (err) {
      this.failed = true;
      this.worker = undefined;
      this.log.warn(`Cannot start the parse ${this.kind}: ${errorMessage(err)}`);
      return undefined;
    }
    if (this.disposed) {
      worker.terminate();
      return undefined;
    }
    worker.listen(
      (response) => {
        const waiter = this.pending.get(response.id);
        if (!waiter) return;
        this.pending.delete(response.id);
        if (response.ok) {
          if (response.ms > 200) this.log.info(`Worker job took ${response.ms} ms`);
          waiter.resolve(response.value);
        } else {
          waiter.reject(new Error(response.error));
        }
      },
      (err) => {
        if (this.failed) return;
        this.log.warn(`Parse ${this.kind} stopped: ${err.message}`);
        this.failed = true;
        this.worker = undefined;
        for (const waiter of this.pending.values()) waiter.reject(err);
        this.pending.clear();
        // A web worker keeps running after an uncaught error or a message it could not read.
        worker.terminate();
      },
    );
    this.log.info(`Parse ${this.kind} started`);
    return worker;
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failed = true;
    this.disposed = true;
    for (const waiter of this.pending.values()) waiter.reject(new Error('disposed'));
    this.pending.clear();
    void worker?.then((w) => w?.terminate());
  }
}
