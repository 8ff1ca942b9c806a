import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PreviewContentSync, RenderScheduler, type Timers } from '../../../src/extension/preview/previewScheduling';
import type { BlockRenderUpdate } from '../../../src/core/render/incrementalRender';
import { isPreviewToWebview } from '../../../src/shared/protocol';

/** A clock the test advances by hand: no wall-clock waits, no flakiness. */
class ManualClock implements Timers {
  now = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  set(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now + ms, callback });
    return id;
  }
  clear(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > this.now) continue;
      this.timers.delete(id);
      t.callback();
    }
  }
  get pending(): number {
    return this.timers.size;
  }
}

test('typing renders once, a quiet debounce after the last key', () => {
  const clock = new ManualClock();
  let runs = 0;
  const scheduler = new RenderScheduler(() => runs++, clock);
  for (let key = 0; key < 10; key++) {
    scheduler.schedule(150);
    clock.advance(100);
  }
  assert.equal(runs, 0, 'no render while keys come faster than the debounce');
  assert.equal(clock.pending, 1, 'one timer, restarted by each key');
  clock.advance(50);
  assert.equal(runs, 1);
  clock.advance(1000);
  assert.equal(runs, 1);
});

test('a zero delay renders on the next tick and replaces a pending debounce', () => {
  const clock = new ManualClock();
  let runs = 0;
  const scheduler = new RenderScheduler(() => runs++, clock);
  scheduler.schedule(150);
  scheduler.schedule(0);
  clock.advance(0);
  assert.equal(runs, 1);
  clock.advance(200);
  assert.equal(runs, 1, 'the replaced debounce does not render again');
});

test('a render is stale once a newer one began, and after disposal', () => {
  const clock = new ManualClock();
  const scheduler = new RenderScheduler(() => undefined, clock);
  const first = scheduler.begin();
  assert.equal(first(), false);
  const second = scheduler.begin();
  assert.equal(first(), true, 'the older render drops its result');
  assert.equal(second(), false);
  scheduler.schedule(10);
  scheduler.dispose();
  assert.equal(second(), true, 'a disposed panel posts nothing');
  assert.equal(clock.pending, 0, 'disposal cancels the pending render');
  scheduler.schedule(10);
  assert.equal(clock.pending, 0, 'nothing is scheduled after disposal');
});

const full: BlockRenderUpdate = {
  kind: 'full',
  blocks: ['<p>a</p>', '<p>b</p>'],
  stats: { formulas: 0, formulasRendered: 0, mathErrors: 0, todoBadges: 0, blocksRendered: 2, blocks: 2 },
};
const patch: BlockRenderUpdate = {
  kind: 'patch',
  splices: [{ start: 1, deleteCount: 1, html: ['<p style="x">c</p>'] }],
  shiftFrom: 2,
  lineDelta: 0,
  stats: { formulas: 0, formulasRendered: 0, mathErrors: 0, todoBadges: 0, blocksRendered: 1, blocks: 2 },
};

test('patches are numbered from the shell content and only sent while the webview is in sync', () => {
  const sync = new PreviewContentSync();
  const all = (): string[] => ['<p>a</p>', '<p style="x">c</p>'];
  const move = (h: string): string => h.replace(' style=', ' data-lectern-style=');
  assert.equal(sync.message('u', 't', patch, all, move).type, 'render', 'before any content the whole note goes');
  sync.shellSent();
  const first = sync.message('u', 't', patch, all, move);
  assert.ok(isPreviewToWebview(first));
  assert.deepEqual(first, {
    type: 'patch',
    uri: 'u',
    base: 0,
    seq: 1,
    splices: [{ start: 1, deleteCount: 1, html: ['<p data-lectern-style="x">c</p>'] }],
    shiftFrom: 2,
    lineDelta: 0,
  });
  const second = sync.message('u', 't', patch, all, move);
  assert.equal(second.type === 'patch' && second.base, 1, 'each patch applies to the previous one');
  sync.lost();
  const whole = sync.message('u', 't', patch, all, move);
  assert.equal(whole.type, 'render', 'a webview out of sync gets the whole note');
  assert.ok(
    whole.type === 'render' && whole.html === '<div class="lectern-block"><p>a</p></div><div class="lectern-block"><p data-lectern-style="x">c</p></div>',
  );
  assert.ok(isPreviewToWebview(whole));
  const after = sync.message('u', 't', full, all, move);
  assert.equal(after.type, 'render', 'a full render is sent whole');
  assert.equal(sync.message('u', 't', patch, all, move).type, 'patch');
});

test('a webview rebuilt from the shell is behind once content was posted since, and then gets the whole note', () => {
  const sync = new PreviewContentSync();
  const all = (): string[] => ['<p>a</p>'];
  sync.shellSent();
  assert.equal(sync.rebuilt(), false, 'the first ready: the shell is what the host last sent');
  assert.equal(sync.message('u', 't', patch, all).type, 'patch', 'still in sync');
  assert.equal(sync.rebuilt(), true, 'rebuilt after a patch: it shows the shell again');
  assert.equal(sync.synced, false);
  assert.equal(sync.message('u', 't', patch, all).type, 'render');
});
