/**
 * The web extension's parse path, measured in plain Node: the shared `WorkerParseHost` (what
 * src/extension/web/webWorkerHost.ts builds in the browser) over the built web worker bundle,
 * dist/web/parseWorker.js, run in a Node worker thread behind a small shim of the web worker API
 * (`onmessage` / `postMessage` on the global scope). The browser's Blob URL and its structured
 * clone are left out; the bundle, the protocol and the host class are the ones that ship.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLog } from '../../src/extension/model/log';
import { nodeWorkerChannel } from '../../src/extension/model/nodeWorkerHost';
import type { ParseHost } from '../../src/extension/model/parseHost';
import { WorkerParseHost } from '../../src/extension/model/workerParseHost';

const SHIM = `
const { parentPort, workerData } = require('node:worker_threads');
globalThis.postMessage = (message) => parentPort.postMessage(message);
parentPort.on('message', (data) => globalThis.onmessage && globalThis.onmessage({ data }));
require('node:vm').runInThisContext(require('node:fs').readFileSync(workerData, 'utf8'), { filename: workerData });
`;

export function webWorkerBundle(root: string): string | undefined {
  const file = path.join(root, 'dist', 'web', 'parseWorker.js');
  return fs.existsSync(file) ? file : undefined;
}

/** A parse host over dist/web/parseWorker.js; throws if the bundle is not built. */
export function webWorkerParseHost(bundle: string): ParseHost {
  return new WorkerParseHost(() => nodeWorkerChannel(SHIM, { eval: true, workerData: bundle }), silentLog, 'web worker bundle');
}
