import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotes } from '../../../src/core';

test('ATX and setext headings form a tree with levels, paths, slugs and line ranges', () => {
  const text = [
    'Intro before any heading.', // 0
    '',
    'Lecture 8', // 2  setext h1
    '=========',
    '',
    '## Losses', // 5
    '',
    'Cross entropy', // 7  setext h2
    '-------------',
    '',
    '### Deep *dive* with `code`', // 10
    '',
    '# Lecture 9 #', // 12
    'text',
  ].join('\n');
  const { sections, lineCount } = parseNotes(text);
  assert.equal(lineCount, 14);
  assert.deepEqual(
    sections.map((s) => [s.index, s.level, s.title, s.slug, s.path, s.startLine, s.endLine, s.parent, s.children]),
    [
      [0, 0, '', '', [], 0, 14, undefined, [1, 5]],
      [1, 1, 'Lecture 8', 'lecture-8', ['Lecture 8'], 2, 12, 0, [2, 3]],
      [2, 2, 'Losses', 'losses', ['Lecture 8', 'Losses'], 5, 7, 1, []],
      [3, 2, 'Cross entropy', 'cross-entropy', ['Lecture 8', 'Cross entropy'], 7, 12, 1, [4]],
      [4, 3, 'Deep dive with code', 'deep-dive-with-code', ['Lecture 8', 'Cross entropy', 'Deep dive with code'], 10, 12, 3, []],
      [5, 1, 'Lecture 9', 'lecture-9', ['Lecture 9'], 12, 14, 0, []],
    ],
  );
});

test('slugs are GitHub-style and unique within the document', () => {
  const { sections } = parseNotes('# Hello, World!\n# Hello World\n# Hello World\n# Ünïcode & Math $x$\n# 1.2 — Part');
  assert.deepEqual(
    sections.slice(1).map((s) => s.slug),
    ['hello-world', 'hello-world-1', 'hello-world-2', 'ünïcode--math-x', '12--part'],
  );
});

test('front matter is not content: no heading, no TODO, contentStartLine after it', () => {
  const text = '---\ntitle: Notes\n# not a heading\n---\n# Real\nTODO: real';
  const parse = parseNotes(text);
  assert.equal(parse.contentStartLine, 4);
  assert.deepEqual(parse.sections.map((s) => s.title), ['', 'Real']);
  assert.equal(parse.sections[0].startLine, 4);
  assert.deepEqual(parse.todos.map((t) => t.text), ['real']);
  // Without a closing fence, `---` is a thematic break and the rest is content.
  const open = parseNotes('---\n# Heading\nTODO: x');
  assert.equal(open.contentStartLine, 0);
  assert.deepEqual(open.sections.map((s) => s.title), ['', 'Heading']);
  // Only at the very top.
  assert.equal(parseNotes('\n---\na: 1\n---\n').contentStartLine, 0);
});

test('a document without headings is one root section covering every line', () => {
  const { sections, lineCount } = parseNotes('a\nb\n');
  assert.equal(lineCount, 3);
  assert.deepEqual(sections, [{ index: 0, level: 0, title: '', slug: '', path: [], startLine: 0, endLine: 3, parent: undefined, children: [] }]);
});
