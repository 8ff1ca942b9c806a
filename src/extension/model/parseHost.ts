import type { TodoEditPlan } from '../../core';
import { planTodoEdit } from '../../core/edit';
import { parseRaw, type RawParse } from '../../core/parse';
import { errorMessage } from './errors';
import type { IDisposable } from './lifecycle';

/**
 * Where the expensive pure work on big notes runs: a worker thread in the desktop extension host
 * (`NodeWorkerParseHost`), this thread in tests (`InThreadParseHost`), and a Blob-URL web worker
 * in the web extension host (`web/webWorkerHost.ts`) — the model only sees this interface. A raw parse (not the finished
 * `ParseResult`) crosses the boundary so the model can keep updating it incrementally.
 */
export interface ParseHost extends IDisposable {
  parseRaw(text: string, tags: readonly string[]): Promise<RawParse>;
  planEdit(text: string, tags: readonly string[], todoId: string, expectedText: string, answer: string | undefined): Promise<TodoEditPlan>;
}

/** Requests and replies of the worker protocol (`extension/todos/parseWorker.ts`). */
export type ParseHostRequest =
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

export type ParseHostResponse =
  | { readonly id: number; readonly ok: true; readonly value: RawParse | TodoEditPlan; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** Answers one request; the worker runs this, and so does the in-thread host. */
export function handleParseHostRequest(request: ParseHostRequest): RawParse | TodoEditPlan {
  const options = { tags: request.tags };
  return request.kind === 'parse' ? parseRaw(request.text, options) : planTodoEdit(request.text, request.todoId, request.expectedText, request.answer, options);
}

/**
 * A worker's reply to one request: the answer and how long it took, or the error's message (an
 * exception cannot cross the boundary). Both workers (Node and web) send this; each keeps only its
 * transport.
 */
export function answerParseHostRequest(request: ParseHostRequest): ParseHostResponse {
  try {
    const started = Date.now();
    return { id: request.id, ok: true, value: handleParseHostRequest(request), ms: Date.now() - started };
  } catch (err) {
    return { id: request.id, ok: false, error: errorMessage(err) };
  }
}

/** Runs everything on this thread (a turn of the event loop later, so callers see the same ordering). */
export class InThreadParseHost implements ParseHost {
  /** How many requests it answered, by kind: tests check what went "to the worker". */
  readonly calls = { parse: 0, plan: 0 };

  async parseRaw(text: string, tags: readonly string[]): Promise<RawParse> {
    await Promise.resolve();
    this.calls.parse++;
    return parseRaw(text, { tags });
  }

  async planEdit(text: string, tags: readonly string[], todoId: string, expectedText: string, answer: string | undefined): Promise<TodoEditPlan> {
    await Promise.resolve();
    this.calls.plan++;
    return planTodoEdit(text, todoId, expectedText, answer, { tags });
  }

  dispose(): void {
    // Nothing to release.
  }
}
