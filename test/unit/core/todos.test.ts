import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotes } from '../../../src/core';
import { spanText } from './support';

function todos(text: string, tags?: string[]) {
  return parseNotes(text, tags ? { tags } : {}).todos.map((t) => ({ tag: t.tag, text: t.text, source: spanText(text, t), status: t.status }));
}

test('forms: colon, parenthesised, bare at the end, dash, first word of a line', () => {
  assert.deepEqual(todos('TODO: is this right?'), [{ tag: 'TODO', text: 'is this right?', source: 'TODO: is this right?', status: 'open' }]);
  assert.deepEqual(todos('Local statistics (TODO: what does this mean?) matter.'), [
    { tag: 'TODO', text: 'what does this mean?', source: 'TODO: what does this mean?', status: 'open' },
  ]);
  assert.deepEqual(todos('NSA (TODO), but random search works too.'), [{ tag: 'TODO', text: '', source: 'TODO', status: 'open' }]);
  assert.deepEqual(todos('Detailed Algorithm TODO'), [{ tag: 'TODO', text: '', source: 'TODO', status: 'open' }]);
  assert.deepEqual(todos('Proof TODO.'), [{ tag: 'TODO', text: '', source: 'TODO', status: 'open' }]);
  assert.deepEqual(todos('FIXME - wrong sign'), [{ tag: 'FIXME', text: 'wrong sign', source: 'FIXME - wrong sign', status: 'open' }]);
  assert.deepEqual(todos('TODO check the slides'), [{ tag: 'TODO', text: 'check the slides', source: 'TODO check the slides', status: 'open' }]);
  assert.deepEqual(todos('**TODO**: bold tag'), [{ tag: 'TODO', text: 'bold tag', source: 'TODO**: bold tag', status: 'open' }]);
});

test('the question stops before display math, at a closing parenthesis, and before the next TODO', () => {
  assert.deepEqual(
    todos('- Variable rate TODO: what are the symbols?: $$ \\left( 1 - \\frac{i}{max} \\right)^p $$').map((t) => t.source),
    ['TODO: what are the symbols?'],
  );
  assert.deepEqual(todos('Is $x$ positive (TODO: check $f(x)$ here) or not?').map((t) => t.text), ['check $f(x)$ here']);
  assert.deepEqual(
    todos('TODO: first question TODO: second one FIXME: third').map((t) => t.source),
    ['TODO: first question', 'TODO: second one', 'FIXME: third'],
  );
  assert.deepEqual(todos('a (TODO) b (TODO: c) d TODO').map((t) => t.source), ['TODO', 'TODO: c', 'TODO']);
});

test('whole uppercase words only: TODOS, todo, TODO_LIST and mid-sentence prose are not TODOs', () => {
  assert.deepEqual(todos('My TODOS pile up. todo: lowercase. Todo: title case. TODO_LIST: no. XTODO: no.'), []);
  assert.deepEqual(todos('I keep a TODO list in my head.'), []);
  assert.deepEqual(todos('HACK: custom tag, TODO: not configured', ['HACK']).map((t) => t.tag), ['HACK']);
  assert.deepEqual(todos('TODO: invalid tags are ignored', ['todo', 'two words', '']), []);
});

test('never a TODO: code spans, fences, indented code, math, link destinations, autolinks, images, front matter, comments, headings', () => {
  const text = [
    '---',
    'title: TODO: not content',
    '---',
    '# Heading with TODO: not a TODO',
    '',
    'Inline `TODO: code` and ``TODO: x`` here.',
    '',
    '```',
    'TODO: fenced',
    '```',
    '',
    '~~~python',
    '# TODO: fenced with tildes',
    '~~~',
    '',
    '    TODO: indented code',
    '',
    'Math $\\text{TODO: x}$ and $$\\text{TODO: y}$$ inline.',
    '',
    '$$',
    '\\text{TODO: block}',
    '$$',
    '',
    '[a link](https://example.com/TODO "TODO: title") and <https://example.com/TODO> and ![TODO: alt](TODO.png)',
    '',
    '<!-- TODO: hidden comment -->',
    '',
    '<!-- a comment',
    '',
    'TODO: still inside the comment',
    '-->',
    '',
    'TODO: the only real one',
  ].join('\n');
  const found = parseNotes(text).todos;
  assert.deepEqual(
    found.map((t) => [t.span.range.start.line, spanText(text, t)]),
    [[32, 'TODO: the only real one']],
  );
});

test('a TODO inside a link label is a TODO; its destination is not part of the question', () => {
  const text = 'See [TODO: check this](https://x.org/TODO) later.';
  assert.deepEqual(todos(text).map((t) => t.source), ['TODO: check this']);
});

test('task items: - [ ] is an open TODO, - [x] a resolved one, in lists and blockquotes', () => {
  const text = ['- [ ] read chapter 3', '- [x] watch lecture 9', '* [X] capital x', '> - [ ] quoted task', '- [] not a task', '- [ ]', '1. [ ] ordered'].join('\n');
  const found = parseNotes(text).todos;
  assert.deepEqual(
    found.map((t) => [t.tag, t.status, t.text, spanText(text, t), t.span.range.start.line]),
    [
      ['task', 'open', 'read chapter 3', '[ ] read chapter 3', 0],
      ['task', 'resolved', 'watch lecture 9', '[x] watch lecture 9', 1],
      ['task', 'resolved', 'capital x', '[X] capital x', 2],
      ['task', 'open', 'quoted task', '[ ] quoted task', 3],
      ['task', 'open', '', '[ ]', 5],
      ['task', 'open', 'ordered', '[ ] ordered', 6],
    ],
  );
  assert.equal(found[1].answer, '');
  assert.equal(found[0].answer, undefined);
});

test('source positions are exact inside lists, blockquotes, nested containers, tabs and CRLF', () => {
  const cases: Array<[string, number, number]> = [
    ['- item\n  continued TODO: in list', 1, 12],
    ['> quote\n> more (TODO: quoted)', 1, 8],
    ['> - a\n>   - b\n>     TODO: nested', 2, 6],
    ['1. one\n   > two\n   > TODO: deep', 2, 5],
    ['-\tTODO: after a tab', 0, 2],
    ['>\tTODO: a tab in a quote', 0, 2],
    ['>\t\tTODO: indented code in a quote is not a TODO', -1, 0],
    ['lazy\ncontinuation TODO: x', 1, 13],
    ['  indented paragraph TODO: y', 0, 21],
    ['first\r\nsecond TODO: crlf\r\nthird', 1, 7],
    ['\uFEFFTODO: after a BOM', 0, 1],
    ['a\u0000b TODO: after NUL', 0, 4],
    ['Term | TODO: in a cell |\n---|---|\nx | y TODO: z |', 0, 7],
    ['Term | TODO: in a cell |\n---|---|\nx | y TODO: z |', 2, 6],
  ];
  for (const [text, line, character] of cases) {
    if (line < 0) {
      assert.deepEqual(parseNotes(text).todos, [], JSON.stringify(text));
      continue;
    }
    const found = parseNotes(text).todos.find((t) => t.span.range.start.line === line);
    assert.ok(found, `a TODO on line ${line} of ${JSON.stringify(text)}`);
    assert.deepEqual(found.span.range.start, { line, character }, JSON.stringify(text));
    assert.ok(/^(TODO|FIXME)/.test(spanText(text, found)), `span holds the tag: ${JSON.stringify(spanText(text, found))}`);
  }
});

test('CRLF: the same TODOs, math and sections as LF, at the same lines and columns', () => {
  const lf = '# Title\n\nText TODO: one\n\n## Sub\n\n> $$\n> x^2\n> $$\n\n- [ ] task\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  const a = parseNotes(lf);
  const b = parseNotes(crlf);
  assert.deepEqual(b.todos.map((t) => [t.id, t.span.range, spanText(crlf, t)]), a.todos.map((t) => [t.id, t.span.range, spanText(lf, t)]));
  assert.deepEqual(b.math.map((m) => [m.content, m.span.range]), a.math.map((m) => [m.content, m.span.range]));
  assert.deepEqual(b.sections, a.sections);
  assert.equal(b.lineCount, a.lineCount);
});

test('ids: short, stable across edits elsewhere, distinct for repeated questions', () => {
  const text = '# A\n\nTODO: same\n\nTODO: same\n\n# B\n\nTODO: other\n\nBare TODO\n\nAnother bare TODO';
  const before = parseNotes(text).todos;
  assert.ok(before.every((t) => /^t-[0-9a-f]{8}$/.test(t.id)));
  assert.equal(new Set(before.map((t) => t.id)).size, before.length);
  const edited = 'Intro paragraph added.\n\n' + text.replace('# B\n', '# B\n\nNew text, and a new TODO: elsewhere\n');
  const after = parseNotes(edited).todos;
  for (const t of before) {
    const same = after.find((a) => a.id === t.id);
    assert.ok(same, `id ${t.id} (${t.text || 'bare'}) survives`);
    assert.equal(same.text, t.text);
  }
});

test('section paths of TODOs; TODOs before the first heading have an empty path', () => {
  const text = 'TODO: root\n\n# Lecture 9\n\n## CNNs\n\nTODO: inner\n\n# Lecture 10\n\nTODO: top';
  assert.deepEqual(
    parseNotes(text).todos.map((t) => t.sectionPath),
    [[], ['Lecture 9', 'CNNs'], ['Lecture 10']],
  );
});
