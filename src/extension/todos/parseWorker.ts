/**
 * Worker-thread entry (bundled to dist/extension-parseWorker.js): parses notes off the extension
 * host's main thread. A 10 MB note takes over a second to parse; here that second blocks nobody.
 */
import { parentPort } from 'node:worker_threads';
import { parseNotes } from '../../core';
import type { ParseRequest, ParseResponse } from './backgroundParser';

parentPort?.on('message', (request: ParseRequest) => {
  let response: ParseResponse;
  try {
    const started = Date.now();
    const result = parseNotes(request.text, { tags: request.tags });
    response = { id: request.id, ok: true, result, ms: Date.now() - started };
  } catch (err) {
    response = { id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response);
});
