import * as vscode from 'vscode';
import type { ModelLog } from '../model/log';
import type { ParseHostResponse } from '../model/parseHost';
import { WorkerParseHost, type WorkerChannel } from '../model/workerParseHost';

/**
 * The browser extension host's parse host: a web worker made from a Blob URL. The web extension
 * host refuses workers from the extension's own (`vscode-remote:`) URI and `data:` URLs, but takes
 * Blob URLs; so the bundled worker (dist/web/parseWorker.js, one self-contained file) is read
 * through `workspace.fs` and handed over as a Blob. Started on the first big note only.
 */
export class WebWorkerParseHost extends WorkerParseHost {
  constructor(extensionUri: vscode.Uri, log: ModelLog) {
    super(() => webWorkerChannel(vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'parseWorker.js')), log, 'web worker');
  }
}

/** The part of the DOM's `Worker` used here (the extension is compiled without the DOM library). */
interface WebWorker {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: ParseHostResponse }) => void) | null;
  onerror: ((event: { message?: string; preventDefault(): void }) => void) | null;
  onmessageerror: (() => void) | null;
  terminate(): void;
}
declare const Worker: new (url: string, options?: { name?: string }) => WebWorker;

async function webWorkerChannel(script: vscode.Uri): Promise<WorkerChannel> {
  const code = await vscode.workspace.fs.readFile(script);
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  let worker: WebWorker;
  try {
    worker = new Worker(url, { name: 'Lectern parser' });
  } finally {
    // The worker has its script once constructed; the URL is not needed again.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return {
    post: (request) => worker.postMessage(request),
    listen: (onMessage, onFailure) => {
      worker.onmessage = (event) => onMessage(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        onFailure(new Error(event.message || 'worker error'));
      };
      worker.onmessageerror = () => onFailure(new Error('a message could not be read'));
    },
    terminate: () => worker.terminate(),
  };
}
