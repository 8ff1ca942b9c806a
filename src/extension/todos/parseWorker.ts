/**
 * Worker-thread entry (bundled to dist/extension-parseWorker.js): parses notes, and plans resolve /
 * reopen edits, off the extension host's main thread. A 10 MB note takes over a second to parse
 * (and a verified resolve parses it several times); here that time blocks nobody. The protocol and
 * the work itself live in `model/parseHost.ts`; `model/nodeWorkerHost.ts` is the other end.
 */
import { parentPort } from 'node:worker_threads';
import { answerParseHostRequest, type ParseHostRequest } from '../model/parseHost';

parentPort?.on('message', (request: ParseHostRequest) => parentPort?.postMessage(answerParseHostRequest(request)));
