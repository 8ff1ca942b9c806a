import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedDebouncer } from '../../../src/extension/model/debounce';

test('KeyedDebouncer runs each key once, after the last schedule; cancel and dispose drop pending runs', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const ran: string[] = [];
  const d = new KeyedDebouncer();
  d.schedule('a', 100, () => ran.push('a1'));
  t.mock.timers.tick(60);
  d.schedule('a', 100, () => ran.push('a2'));
  d.schedule('b', 50, () => ran.push('b'));
  t.mock.timers.tick(60);
  assert.deepEqual(ran, ['b'], 'a was rescheduled, so its first run is dropped and its second is not due yet');
  t.mock.timers.tick(40);
  assert.deepEqual(ran, ['b', 'a2']);
  d.schedule('c', 10, () => ran.push('c'));
  d.cancel('c');
  d.cancel('missing');
  d.schedule('e', 10, () => ran.push('e'));
  d.dispose();
  t.mock.timers.tick(100);
  assert.deepEqual(ran, ['b', 'a2']);
  d.schedule('a', 10, () => ran.push('a3'));
  t.mock.timers.tick(10);
  assert.deepEqual(ran, ['b', 'a2', 'a3'], 'usable again after dispose');
});
