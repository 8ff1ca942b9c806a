import { Worker } from 'node:worker_threads';
import type { TodoEditPlan } from '../../core';
import type { RawParse } from '../../core/parse';
import { errorMessage } from './errors';
import type { ModelLog } from './log';
import { handleParseHostRequest, type ParseHost, type ParseHostRequest, type ParseHostResponse } from './parseHost';

type Request = ParseHostRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * One lazily started `worker_threads` worker for the desktop extension host. If the worker cannot
 * start or dies, the work runs on this thread instead (slower for huge notes, never wrong).
 */
export class NodeWorkerParseHost implements ParseHost {
  private worker: Worker | undefined;
  private failed = false;
  private disposed = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly workerScript: string,
    private readonly log: ModelLog,
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
    const worker = this.ensureWorker();
    if (!worker) return onThisThread();
    const id = this.nextId++;
    try {
      return await new Promise<T>((resolve, reject) => {
        this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ ...request, id });
      });
    } catch (err) {
      if (this.disposed) throw err;
      this.log.warn(`Background ${request.kind} failed (${errorMessage(err)}); running it on the main thread`);
      return onThisThread();
    }
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      const worker = new Worker(this.workerScript);
      worker.unref();
      worker.on('message', (response: ParseHostResponse) => {
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
      this.log.warn(`Cannot start the parse worker: ${errorMessage(err)}`);
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
