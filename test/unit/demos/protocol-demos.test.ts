import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_IDS } from '../../../src/core/demos/mapping';
import {
  DEMO_ANSWER_MAX,
  isDemoBackendSetting,
  isDemoFromWebview,
  isDemoPanelId,
  isDemoPanelState,
  isDemoToWebview,
} from '../../../src/shared/protocol';

test('demo ids in the protocol match the core list', () => {
  for (const id of DEMO_IDS) assert.ok(isDemoPanelId(id), id);
  for (const bad of ['', 'Dropout', 'anchors ', null, 3, {}]) assert.equal(isDemoPanelId(bad), false, JSON.stringify(bad));
});

test('well-formed messages from the webview are accepted', () => {
  const good: unknown[] = [
    { type: 'ready', backend: 'webgl', summary: { outputSize: 16, inputSize: 8, factor: 2, checkerboard: false, preset: 'k4 s2 p1' } },
    { type: 'ready', backend: 'cpu', summary: {} },
    { type: 'backendFallback', reason: 'WebGL context lost' },
    { type: 'useAnswer', todoId: 'todo:abc', answer: 'o = 2i' },
    { type: 'error', message: 'boom' },
  ];
  for (const m of good) assert.ok(isDemoFromWebview(m), JSON.stringify(m));
});

test('malformed and unknown messages from the webview are rejected', () => {
  const bad: unknown[] = [
    null,
    'ready',
    [],
    {},
    { type: 'nope' },
    { type: 'ready', backend: 'wasm', summary: {} },
    { type: 'ready', backend: 'webgl' },
    { type: 'ready', backend: 'webgl', summary: { x: Number.NaN } },
    { type: 'ready', backend: 'webgl', summary: { x: { nested: 1 } } },
    { type: 'ready', backend: 'webgl', summary: Object.fromEntries(Array.from({ length: 65 }, (_, j) => [`k${j}`, j])) },
    { type: 'useAnswer', todoId: '', answer: 'x' },
    { type: 'useAnswer', todoId: 'a', answer: '   ' },
    { type: 'useAnswer', todoId: 'a', answer: 'x'.repeat(DEMO_ANSWER_MAX + 1) },
    { type: 'useAnswer', todoId: 7, answer: 'x' },
    { type: 'backendFallback' },
    { type: 'error', message: 42 },
    { type: 'openDemo', demo: 'anchors', sectionIndex: 1 },
  ];
  for (const m of bad) assert.equal(isDemoFromWebview(m), false, JSON.stringify(m));
});

test('messages to the webview are validated too', () => {
  assert.ok(isDemoToWebview({ type: 'visibility', visible: false }));
  assert.ok(isDemoToWebview({ type: 'todos', todos: [{ id: 'a', text: 'how do we get 2x and 8x?' }] }));
  assert.ok(isDemoToWebview({ type: 'answerResult', todoId: 'a', ok: true, message: 'Resolved' }));
  assert.equal(isDemoToWebview({ type: 'visibility', visible: 'yes' }), false);
  assert.equal(isDemoToWebview({ type: 'todos', todos: [{ id: '', text: 'x' }] }), false);
  assert.equal(isDemoToWebview({ type: 'todos', todos: 'a' }), false);
  assert.equal(isDemoToWebview({ type: 'render', html: '' }), false);
});

test('panel state and backend setting guards', () => {
  assert.ok(isDemoPanelState({ demo: 'anchors' }));
  assert.ok(isDemoPanelState({ demo: 'transposed-conv', section: { uri: 'file:///n.md', sectionIndex: 3, title: 'FCN upsampling' }, demoState: { i: 8 } }));
  assert.equal(isDemoPanelState({ demo: 'anchors', section: { uri: 'file:///n.md', sectionIndex: -1, title: '' } }), false);
  assert.equal(isDemoPanelState({ demo: 'x' }), false);
  assert.equal(isDemoPanelState(undefined), false);
  for (const b of ['auto', 'webgl', 'cpu']) assert.ok(isDemoBackendSetting(b));
  assert.equal(isDemoBackendSetting('wasm'), false);
});
