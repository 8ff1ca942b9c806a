/**
 * Worker-thread entry (bundled to dist/extension-parseWorker.js): parses notes, and plans resolve /
 * reopen edits, off the extension host's main thread. A 10 MB note takes over a second to parse
 * (and a verified resolve parses it several times); here that time blocks nobody.
 */
import { parentPort } from 'node:worker_threads';
import { parseNotes } from '../../core';
import { planTodoEdit } from '../../core/edit';
import type { WorkerRequest, WorkerResponse } from './backgroundParser';

parentPort?.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    const started = Date.now();
    const options = { tags: request.tags };
    const value =
      request.kind === 'parse'
        ? parseNotes(request.text, options)
        : planTodoEdit(request.text, request.todoId, request.expectedText, request.answer, options);
    response = { id: request.id, ok: true, value, ms: Date.now() - started };
  } catch (err) {
    response = { id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response);
});
