import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRaw } from '../../../src/core/parse';
import { silentLog } from '../../../src/extension/model/log';
import { answerParseHostRequest, handleParseHostRequest, type ParseHostRequest, type ParseHostResponse } from '../../../src/extension/model/parseHost';
import { WorkerParseHost, type WorkerChannel } from '../../../src/extension/model/workerParseHost';

/**
 * The worker host both extension hosts use (a Node worker thread on the desktop, a Blob-URL web
 * worker in the browser), against fake workers: it waits for an asynchronous start, matches replies
 * to requests, and falls back to this thread when the worker cannot start or dies.
 */
const note = '# Chapter\n\nTODO: why?\n\n- [ ] revise\n';

/** A worker that answers on a later turn, as a real one would; `dieOnPost` makes it fail instead. */
function fakeWorker(options: { dieOnPost?: boolean } = {}): WorkerChannel & { posted: ParseHostRequest[]; terminated: boolean } {
  let reply: ((r: ParseHostResponse) => void) | undefined;
  let fail: ((e: Error) => void) | undefined;
  const channel = {
    posted: [] as ParseHostRequest[],
    terminated: false,
    post(request: ParseHostRequest) {
      channel.posted.push(request);
      setTimeout(() => {
        if (options.dieOnPost) fail?.(new Error('worker died'));
        else reply?.({ id: request.id, ok: true, value: handleParseHostRequest(request), ms: 0 });
      }, 0);
    },
    listen(onMessage: (r: ParseHostResponse) => void, onFailure: (e: Error) => void) {
      reply = onMessage;
      fail = onFailure;
    },
    terminate() {
      channel.terminated = true;
    },
  };
  return channel;
}

test('parses through a worker that starts asynchronously (the web host reads its script first)', async () => {
  const worker = fakeWorker();
  let starts = 0;
  const host = new WorkerParseHost(
    async () => {
      starts++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return worker;
    },
    silentLog,
    'web worker',
  );
  const [a, b] = await Promise.all([host.parseRaw(note, ['TODO']), host.parseRaw(note, ['TODO', 'FIXME'])]);
  assert.equal(starts, 1, 'one worker for concurrent requests');
  assert.equal(worker.posted.length, 2);
  assert.deepEqual(a, parseRaw(note, { tags: ['TODO'] }));
  assert.deepEqual(b, parseRaw(note, { tags: ['TODO', 'FIXME'] }));
  host.dispose();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.ok(worker.terminated);
});

test('a worker that cannot start: the work runs on this thread', async () => {
  const warnings: string[] = [];
  const host = new WorkerParseHost(
    () => Promise.reject(new Error('Creating workers from remote extensions is currently not supported')),
    { ...silentLog, warn: (m) => warnings.push(m) },
    'web worker',
  );
  assert.deepEqual(await host.parseRaw(note, ['TODO']), parseRaw(note, { tags: ['TODO'] }));
  assert.deepEqual(await host.parseRaw(note, ['TODO']), parseRaw(note, { tags: ['TODO'] }));
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /Cannot start the parse web worker/);
  host.dispose();
});

test('a worker that dies mid-request: that request and later ones run on this thread', async () => {
  const worker = fakeWorker({ dieOnPost: true });
  let starts = 0;
  const host = new WorkerParseHost(() => (starts++, worker), silentLog);
  assert.deepEqual(await host.parseRaw(note, ['TODO']), parseRaw(note, { tags: ['TODO'] }));
  assert.deepEqual(await host.parseRaw(note, ['TODO']), parseRaw(note, { tags: ['TODO'] }));
  assert.equal(starts, 1, 'not restarted');
  assert.equal(worker.posted.length, 1);
  host.dispose();
});

test('after dispose, requests are refused', async () => {
  const host = new WorkerParseHost(() => fakeWorker(), silentLog);
  host.dispose();
  await assert.rejects(host.parseRaw(note, ['TODO']), /disposed/);
});

test("the workers' reply: the answer under the request's id, or the error's message", () => {
  const ok = answerParseHostRequest({ id: 7, kind: 'parse', text: note, tags: ['TODO'] });
  assert.ok(ok.ok);
  assert.equal(ok.id, 7);
  assert.deepEqual(ok.value, parseRaw(note, { tags: ['TODO'] }));
  assert.equal(typeof ok.ms, 'number');
  const failed = answerParseHostRequest({ id: 8, kind: 'parse', text: undefined as unknown as string, tags: ['TODO'] });
  assert.ok(!failed.ok);
  assert.equal(failed.id, 8);
  assert.equal(typeof failed.error, 'string');
  assert.notEqual(failed.error, '');
});
