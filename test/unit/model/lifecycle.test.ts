import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotes } from '../../../src/core';
import { Disposable, Emitter } from '../../../src/extension/model/lifecycle';
import { TodoTreeState } from '../../../src/extension/model/todoTreeState';

class Owner extends Disposable {
  constructor(private readonly log: string[]) {
    super();
  }
  own(name: string): void {
    this._register({ dispose: () => this.log.push(name) });
  }
}

test('Disposable disposes what it owns once, last registered first, and at once after it is disposed', () => {
  const log: string[] = [];
  const owner = new Owner(log);
  owner.own('a');
  owner.own('b');
  owner.dispose();
  owner.dispose();
  assert.deepEqual(log, ['b', 'a']);
  owner.own('late');
  assert.deepEqual(log, ['b', 'a', 'late']);
});

test('Emitter: listeners in order, unsubscribing works, a throwing listener is reported and the rest still run', () => {
  const errors: unknown[] = [];
  const emitter = new Emitter<number>((err) => errors.push(err));
  const seen: string[] = [];
  emitter.event((n) => seen.push(`first ${n}`));
  const second = emitter.event(() => {
    throw new Error('boom');
  });
  emitter.event((n) => seen.push(`third ${n}`));
  emitter.fire(1);
  second.dispose();
  emitter.fire(2);
  assert.deepEqual(seen, ['first 1', 'third 1', 'first 2', 'third 2']);
  assert.equal(errors.length, 1);
  emitter.dispose();
  emitter.fire(3);
  assert.equal(seen.length, 4);
});

test('TodoTreeState reports a change only when what the view shows changed', () => {
  const state = new TodoTreeState();
  const file = (text: string) => [{ key: 'file:///n.md', path: 'n.md', parse: parseNotes(text) }];
  assert.equal(state.rebuild(file('# A\n\nTODO: one\n'), false).changed, true);
  assert.equal(state.rebuild(file('# A\n\nTODO: one\n'), false).changed, false, 'a new parse of the same text');
  assert.equal(state.rebuild(file('# A\n\nTODO: one!\n'), false).changed, true);
  const leaf = state.findLeaf('file:///n.md', state.tree.roots.length ? parseNotes('# A\n\nTODO: one!\n').todos[0].id : '');
  assert.ok(leaf);
  assert.equal(state.parentOf(leaf)?.kind, 'file');
});
