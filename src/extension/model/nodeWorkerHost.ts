import { Worker } from 'node:worker_threads';
import type { ModelLog } from './log';
import type { ParseHostResponse } from './parseHost';
import { WorkerParseHost, type WorkerChannel } from './workerParseHost';

/**
 * The desktop extension host's parse host: a `worker_threads` worker running
 * dist/extension-parseWorker.js. Node-only; the web extension has its own (extension/web).
 */
export class NodeWorkerParseHost extends WorkerParseHost {
  constructor(workerScript: string, log: ModelLog) {
    super(() => nodeWorkerChannel(workerScript), log, 'worker thread');
  }
}

/**
 * A `worker_threads` worker as a `WorkerChannel`; takes the `Worker` constructor's arguments (the
 * bench runs the web worker bundle through it behind a shim: test/bench/webWorkerHost.ts).
 */
export function nodeWorkerChannel(...args: ConstructorParameters<typeof Worker>): WorkerChannel {
  const worker = new Worker(...args);
  worker.unref();
  return {
    post: (request) => worker.postMessage(request),
    listen: (onMessage, onFailure) => {
      worker.on('message', (response: ParseHostResponse) => onMessage(response));
      worker.on('error', onFailure);
      worker.on('exit', (code) => onFailure(new Error(`exit code ${code}`)));
    },
    terminate: () => void worker.terminate(),
  };
}
