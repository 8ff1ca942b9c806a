import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../src/core/lines';

/** The line of `offset` by a scan from the start: what `lineAt` must answer, whatever it remembers. */
function referenceLineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      if (i + 1 <= offset) line++;
    }
  }
  return line;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('lineAt answers as a scan from the start, in any order of offsets (its remembered line is only a shortcut)', () => {
  const rand = prng(11);
  const pieces = ['a', 'bc', '\n', '\r\n', '\r', '', 'TODO'];
  for (let round = 0; round < 200; round++) {
    let text = '';
    const length = Math.floor(rand() * 40);
    for (let i = 0; i < length; i++) text += pieces[Math.floor(rand() * pieces.length)];
    const lines = new LineIndex(text);
    // Ascending runs (the parser's order), repeats, steps back and offsets out of range.
    let offset = 0;
    for (let q = 0; q < 60; q++) {
      const r = rand();
      if (r < 0.5) offset += Math.floor(rand() * 3);
      else if (r < 0.7) offset -= Math.floor(rand() * 6);
      else if (r < 0.9) offset = Math.floor(rand() * (text.length + 2));
      else offset = rand() < 0.5 ? -1 : text.length + 3;
      const expected = referenceLineAt(text, Math.max(0, offset));
      assert.equal(lines.lineAt(offset), expected, `${JSON.stringify(text)} at ${offset}`);
      if (offset >= 0 && offset <= text.length) {
        assert.deepEqual(lines.positionAt(offset), { line: expected, character: offset - lines.starts[expected] });
      }
    }
  }
});
