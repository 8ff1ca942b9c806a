/**
 * Web-worker entry (bundled to dist/web/parseWorker.js as one self-contained file: it runs from a
 * Blob URL, where no chunk could be loaded relative to it): the browser twin of
 * todos/parseWorker.ts. Same protocol, same work (`model/parseHost.ts`); the other end is
 * web/webWorkerHost.ts.
 */
import { answerParseHostRequest, type ParseHostRequest, type ParseHostResponse } from '../model/parseHost';

const scope = globalThis as unknown as { onmessage: ((event: { data: ParseHostRequest }) => void) | null; postMessage(message: ParseHostResponse): void };

scope.onmessage = (event) => scope.postMessage(answerParseHostRequest(event.data));
