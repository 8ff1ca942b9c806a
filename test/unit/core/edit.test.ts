import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdit, normalizeAnswer, parseNotes, relocateTodo, reopenTodo, resolveTodo } from '../../../src/core';
import type { EditResult } from '../../../src/core';
import { pick, prng, spanText } from './support';

function must(result: EditResult): Extract<EditResult, { ok: true }> {
  if (!result.ok) assert.fail(result.error);
  return result;
}

function resolveAll(text: string, answer: string): string {
  let current = text;
  for (const todo of parseNotes(text).todos) current = applyEdit(current, must(resolveTodo(current, todo.id, answer)).edit);
  return current;
}

test('the resolved format: struck tag, question kept, bold answer, on the same line', () => {
  const cases: Array<[string, string, string]> = [
    ['TODO: What does this mean?', 'local patterns', '~~TODO~~: What does this mean? **Answer: local patterns**'],
    ['NSA (TODO), but', 'Neural Architecture Search', 'NSA (~~TODO~~ **Answer: Neural Architecture Search**), but'],
    ['Detailed Algorithm TODO', '', 'Detailed Algorithm ~~TODO~~'],
    ['rate TODO: symbols?: $$ x^p $$', 'p is the power', 'rate ~~TODO~~: symbols? **Answer: p is the power**: $$ x^p $$'],
    ['- [ ] read §3', 'done', '- [x] read §3 **Answer: done**'],
    ['- [ ] read §3', '', '- [x] read §3'],
    ['> - TODO: quoted', 'yes', '> - ~~TODO~~: quoted **Answer: yes**'],
  ];
  for (const [open, answer, resolved] of cases) {
    const [todo] = parseNotes(open).todos;
    assert.equal(resolveAll(open, answer), resolved);
    const after = parseNotes(resolved).todos[0];
    assert.equal(after.id, todo.id, 'a resolved TODO keeps its id');
    assert.equal(after.status, 'resolved');
    assert.equal(after.answer, answer);
    assert.equal(after.text, todo.text);
    assert.equal(applyEdit(resolved, must(reopenTodo(resolved, todo.id)).edit), open);
  }
});

test('hostile answers are escaped and read back exactly (newlines become spaces)', () => {
  const answers = [
    'a $x$ b $$y$$',
    '**bold** and *it* and _u_',
    '`code` and ``` fence',
    '<!-- comment --> <script>alert(1)</script> -->',
    '[link](http://x) ![img](y) <http://z>',
    'back\\slash \\* \\\\ trailing\\',
    'line one\nline two\r\nline three\rfour',
    'TODO: nested tag FIXME and ~~TODO~~ and (TODO)',
    '| table | cell | & &amp; #heading',
    '**Answer: fake** ** *',
    '   padded   ',
  ];
  const open = 'Some text (TODO: question?) and more TODO: second $z$ end';
  for (const answer of answers) {
    const parse = parseNotes(open);
    for (const todo of parse.todos) {
      const result = must(resolveTodo(open, todo.id, answer));
      const after = applyEdit(open, result.edit);
      assert.equal(after.split('\n').length, 1, 'still one line');
      const again = parseNotes(after);
      assert.equal(again.todos.length, 2);
      assert.equal(again.math.length, 1, 'the answer adds no math');
      const resolved = again.todos.find((t) => t.id === todo.id);
      assert.equal(resolved?.answer, normalizeAnswer(answer));
      assert.equal(applyEdit(after, must(reopenTodo(after, todo.id)).edit), open);
    }
  }
});

test('resolving a resolved TODO replaces its answer; reopen still restores the original', () => {
  const open = 'TODO: q';
  const id = parseNotes(open).todos[0].id;
  const first = applyEdit(open, must(resolveTodo(open, id, 'one')).edit);
  const second = applyEdit(first, must(resolveTodo(first, id, 'two')).edit);
  assert.equal(second, '~~TODO~~: q **Answer: two**');
  assert.equal(applyEdit(second, must(reopenTodo(second, id)).edit), open);
});

test('clear errors: unknown id, reopening an open TODO, math glued to the tag', () => {
  const text = 'TODO: q';
  assert.deepEqual(resolveTodo(text, 't-00000000', 'x'), { ok: false, error: 'No TODO with id t-00000000' });
  const id = parseNotes(text).todos[0].id;
  const reopen = reopenTodo(text, id);
  assert.equal(reopen.ok, false);
  assert.match(reopen.ok ? '' : reopen.error, /not resolved/);
  // `$a$TODO`: the `~~` would let the `$` before the tag close math. Refused, text untouched.
  const glued = '- $a$TODO: b $c$.';
  const gluedId = parseNotes(glued).todos[0].id;
  assert.equal(resolveTodo(glued, gluedId, 'x').ok, false);
});

test('relocateTodo: by id and question, else the only TODO with that question, never the first of several', () => {
  const parse = parseNotes('# A\n\nTODO: first\n\nTODO: second\n\n# B\n\nTODO: first\n');
  const second = parse.todos[1];
  assert.equal(relocateTodo(parse.todos, second.id, 'second'), second);
  assert.equal(relocateTodo(parse.todos, 't-ffffffff', 'second'), second);
  // Two TODOs ask "first": with the id gone, picking one would be a guess.
  assert.equal(relocateTodo(parse.todos, 't-ffffffff', 'first'), undefined);
  assert.equal(relocateTodo(parse.todos, parse.todos[2].id, 'first'), parse.todos[2]);
});

test('CRLF files stay CRLF; lines and the rest of the file are untouched', () => {
  const text = '# T\r\n\r\n- item (TODO: a)\r\n> TODO: b\r\n\r\nend\r\n';
  const after = resolveAll(text, 'multi\r\nline');
  assert.equal(after.split('\r\n').length, text.split('\r\n').length);
  assert.ok(!/[^\r]\n/.test(after), 'no bare LF');
  assert.equal(after, '# T\r\n\r\n- item (~~TODO~~: a **Answer: multi line**)\r\n> ~~TODO~~: b **Answer: multi line**\r\n\r\nend\r\n');
});

// ---- Properties over generated documents -------------------------------------------------------

const WORDS = ['gradient', 'loss', 'ReLU', 'the', 'batch', 'is', 'über', '→', 'x²', 'kernel', 'TODOS', 'todo', 'stride'];
const TODO_FORMS = [
  'TODO: why does it work?',
  '(TODO)',
  '(TODO: what is $k$?)',
  'FIXME: wrong sign',
  'TODO',
  'TODO: what are the symbols?: $$ a^b $$',
  'TODO - check slides',
];
const INLINE_EXTRAS = ['$x_1$', '`code TODO: no`', '[label](http://e.org/TODO)', '**bold**', '\\$5', '$$y$$', '<!-- TODO: hidden -->'];
const ANSWERS = ['', 'yes', 'a\nb', 'use $x$ *and* `y`', '-->', '<b>x</b>', '\\', '**', 'TODO: again', '(a) b)', ' ~~s~~ ', 'ünï ✓'];

function sentence(rand: () => number): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.2) parts.push(pick(rand, TODO_FORMS));
    else if (r < 0.35) parts.push(pick(rand, INLINE_EXTRAS));
    else parts.push(pick(rand, WORDS));
  }
  if (rand() < 0.5) parts.push(pick(rand, TODO_FORMS));
  return parts.join(' ');
}

function generateDocument(rand: () => number): string {
  const blocks: string[] = [];
  if (rand() < 0.2) blocks.push('---\ntitle: TODO: not content\n---');
  const n = 2 + Math.floor(rand() * 10);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.12) blocks.push(`${'#'.repeat(1 + Math.floor(rand() * 3))} ${pick(rand, WORDS)} ${pick(rand, WORDS)}`);
    else if (r < 0.18) blocks.push(`${pick(rand, WORDS)} heading\n${rand() < 0.5 ? '===' : '---'}`);
    else if (r < 0.32) blocks.push(`- ${sentence(rand)}\n- [ ] ${sentence(rand)}\n  - nested ${sentence(rand)}\n- [x] done ${pick(rand, WORDS)}`);
    else if (r < 0.44) blocks.push(`> ${sentence(rand)}\n> ${sentence(rand)}\n> > ${sentence(rand)}`);
    else if (r < 0.5) blocks.push('```\nTODO: in a fence\n```');
    else if (r < 0.55) blocks.push('    TODO: indented code');
    else if (r < 0.62) blocks.push(`$$\n\\frac{a}{b} ${pick(rand, WORDS)}\n$$`);
    else if (r < 0.68) blocks.push(`1. ${sentence(rand)}\n\t${sentence(rand)}`);
    else if (r < 0.72) blocks.push(`a | b TODO: cell |\n---|---|\n${pick(rand, WORDS)} | ${sentence(rand)} |`);
    else blocks.push(`${sentence(rand)}\n${sentence(rand)}`);
  }
  const text = blocks.join(rand() < 0.7 ? '\n\n' : '\n');
  return rand() < 0.3 ? text.replace(/\n/g, '\r\n') : text;
}

test('property: resolve then reopen is byte-identical; only the TODO changes; parse shows the answer', () => {
  const rand = prng(0x1ec7e2);
  let checked = 0;
  for (let doc = 0; doc < 100; doc++) {
    const text = generateDocument(rand);
    const parse = parseNotes(text);
    for (const todo of parse.todos) {
      const answer = pick(rand, ANSWERS);
      const result = resolveTodo(text, todo.id, answer);
      const where = `doc ${doc}, ${todo.id} ${JSON.stringify(spanText(text, todo))} in ${JSON.stringify(text)}`;
      assert.ok(result.ok, `${where}: ${result.ok ? '' : result.error}`);
      const { edit } = result;
      assert.equal(edit.startOffset, todo.span.startOffset, where);
      assert.equal(edit.endOffset, todo.span.endOffset, where);
      const after = applyEdit(text, edit);
      // Nothing outside the TODO's own span changes.
      assert.equal(after.slice(0, edit.startOffset), text.slice(0, edit.startOffset), where);
      assert.equal(after.slice(edit.startOffset + edit.newText.length), text.slice(edit.endOffset), where);
      assert.ok(!/[\r\n]/.test(edit.newText), `${where}: no line break inserted`);
      const again = parseNotes(after);
      const resolved = again.todos.find((t) => t.id === todo.id);
      assert.equal(resolved?.status, 'resolved', where);
      assert.equal(resolved?.answer, normalizeAnswer(answer), where);
      assert.equal(resolved?.text, todo.text, where);
      assert.deepEqual(again.todos.map((t) => t.id), parse.todos.map((t) => t.id), `${where}: other TODOs keep their ids`);
      assert.equal(again.math.length, parse.math.length, where);
      if (todo.status === 'open') {
        const reopened = reopenTodo(after, todo.id);
        assert.ok(reopened.ok, where);
        assert.equal(applyEdit(after, reopened.edit), text, `${where}: reopen restores the bytes`);
      }
      checked++;
    }
  }
  assert.ok(checked > 200, `enough TODOs exercised (${checked})`);
});

test('property: ids are stable when unrelated text is inserted in another section', () => {
  const rand = prng(42);
  for (let doc = 0; doc < 100; doc++) {
    const text = `# First\n\n${generateDocument(rand)}\n\n# Last\n\nTODO: end question`;
    const before = parseNotes(text).todos.map((t) => t.id);
    const edited = text.replace('# Last\n', '# Last\n\nA new paragraph with TODO: inserted here.\n\n');
    const after = new Set(parseNotes(edited).todos.map((t) => t.id));
    for (const id of before) assert.ok(after.has(id), `doc ${doc}: ${id} survives`);
  }
});
