import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPreviewFromWebview, isPreviewState, isPreviewToWebview } from '../../../src/shared/protocol';

test('valid messages from the preview webview pass', () => {
  for (const message of [
    { type: 'ready' },
    { type: 'revealLine', line: 0 },
    { type: 'revealLine', line: 12.5 },
    { type: 'selectLine', line: 3 },
    { type: 'resolveTodo', todoId: 't-1234abcd' },
    { type: 'openDemo', demo: 'dropout', sectionIndex: 4 },
    { type: 'openLink', href: 'https://example.com' },
  ]) {
    assert.ok(isPreviewFromWebview(message), JSON.stringify(message));
  }
});

test('malformed or unknown messages from the webview are rejected', () => {
  for (const message of [
    null,
    undefined,
    'ready',
    [],
    {},
    { type: 'eval', code: 'x' },
    { type: 'revealLine' },
    { type: 'revealLine', line: -1 },
    { type: 'revealLine', line: Number.NaN },
    { type: 'revealLine', line: '3' },
    { type: 'resolveTodo', todoId: '' },
    { type: 'resolveTodo', todoId: 'x'.repeat(10_000) },
    { type: 'resolveTodo', todoId: 42 },
    { type: 'openDemo', demo: 'dropout', sectionIndex: -1 },
    { type: 'openDemo', demo: 'dropout', sectionIndex: 1.5 },
    { type: 'openDemo', demo: '', sectionIndex: 1 },
    { type: 'openLink', href: '' },
    { type: 'openLink' },
  ]) {
    assert.equal(isPreviewFromWebview(message), false, JSON.stringify(message));
  }
});

test('messages to the webview and the persisted state are checked too', () => {
  assert.ok(isPreviewToWebview({ type: 'render', uri: 'file:///n.md', title: 'Preview n.md', html: '<p>x</p>' }));
  assert.ok(isPreviewToWebview({ type: 'render', uri: 'file:///n.md', title: 't', html: '', line: 4 }));
  assert.ok(isPreviewToWebview({ type: 'scrollToLine', line: 10 }));
  assert.equal(isPreviewToWebview({ type: 'render', uri: 'file:///n.md', html: '' }), false);
  assert.equal(isPreviewToWebview({ type: 'scrollToLine', line: -2 }), false);
  assert.ok(isPreviewState({ uri: 'file:///notes/a.md', line: 0 }));
  assert.equal(isPreviewState({ uri: '', line: 0 }), false);
  assert.equal(isPreviewState({ uri: 'file:///a.md' }), false);
  assert.equal(isPreviewState('file:///a.md'), false);
});

test('patch messages are validated: splices of strings, sequence numbers, a whole line delta', () => {
  const patch = { type: 'patch', uri: 'file:///n.md', base: 3, seq: 4, splices: [{ start: 2, deleteCount: 1, html: ['<p>x</p>'] }], shiftFrom: 3, lineDelta: -2 };
  assert.ok(isPreviewToWebview(patch));
  assert.equal(isPreviewToWebview({ ...patch, splices: [{ start: 2, deleteCount: 1, html: [1] }] }), false);
  assert.equal(isPreviewToWebview({ ...patch, splices: [{ start: -1, deleteCount: 1, html: [] }] }), false);
  assert.equal(isPreviewToWebview({ ...patch, base: 1.5 }), false);
  assert.equal(isPreviewToWebview({ ...patch, lineDelta: 0.5 }), false);
  assert.equal(isPreviewToWebview({ ...patch, splices: 'x' }), false);
  assert.ok(isPreviewFromWebview({ type: 'outOfSync' }));
});
