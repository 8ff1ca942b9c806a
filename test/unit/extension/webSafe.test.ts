import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { utf8ToBase64 } from '../../../src/core/base64';
import { relativeHref } from '../../../src/core/relativePath';
import { createNonce } from '../../../src/extension/webviewHtml';

/**
 * The helpers that replaced Node's `Buffer`, `path` and `crypto` in code both extension hosts run
 * (issue #17), checked against what Node itself gives.
 */
test('utf8ToBase64 equals Buffer’s base64, also for non-ASCII and long input', () => {
  for (const text of ['', 'a', '<svg>∑ x² ≤ ℝ</svg>', '😀'.repeat(5), 'x'.repeat(100_000) + 'é']) {
    assert.equal(utf8ToBase64(text), Buffer.from(text, 'utf8').toString('base64'));
  }
});

test('relativeHref equals path.posix.relative, percent-encoded', () => {
  const cases: [string, string][] = [
    ['/notes', '/notes/img.png'],
    ['/notes/out', '/notes/figs/a b.png'],
    ['/a/b/c', '/x/y.png'],
    ['/notes', '/notes/sub/deeper/img.png'],
    ['/', '/img.png'],
    ['/notes/img.png', '/notes/img.png/x.png'],
  ];
  for (const [from, to] of cases) {
    const expected = path.posix.relative(from, to).split('/').map(encodeURIComponent).join('/');
    assert.equal(relativeHref(from, to), expected, `${from} → ${to}`);
  }
});

test('createNonce: 18 random bytes in base64, different every time', () => {
  const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
  assert.equal(nonces.size, 100);
  for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 18);
});

test('relativeHref compares Windows paths without case when asked (drive letters from the Explorer and the save dialog differ)', () => {
  assert.equal(relativeHref('/C:/Users/Me/notes', '/c:/Users/me/notes/img/a.png', { ignoreCase: true }), 'img/a.png');
  assert.equal(relativeHref('/C:/Users/Me/out', '/c:/Users/me/notes/a.png', { ignoreCase: true }), '../notes/a.png');
  // Case-sensitive by default (POSIX file systems).
  assert.equal(relativeHref('/home/Me/notes', '/home/me/notes/a.png'), '../../me/notes/a.png');
});

