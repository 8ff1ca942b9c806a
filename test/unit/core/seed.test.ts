import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdit, checkMath, parseNotes, reopenTodo, resolveTodo } from '../../../src/core';
import { fixture, spanText, todoLines } from './support';

/**
 * The author's raw lecture summary (a copy of ../shared/seed/000_2c48dc0d66e6265d.txt). The
 * numbers were measured by hand with VS Code's math delimiter rules.
 */
const seed = fixture('seed.md');

test('seed: exactly the nine TODOs the author wrote, at their lines', () => {
  const parse = parseNotes(seed);
  assert.deepEqual(todoLines(parse), [23, 78, 144, 174, 212, 233, 251, 252, 282]);
  assert.ok(parse.todos.every((t) => t.tag === 'TODO' && t.status === 'open'));
});

test('seed: question texts follow the forms (colon, parenthesised, bare, before math)', () => {
  const parse = parseNotes(seed);
  assert.deepEqual(
    parse.todos.map((t) => [t.text, spanText(seed, t)]),
    [
      ['Check when to use classification/cross entropy/MSE.', 'TODO: Check when to use classification/cross entropy/MSE.'],
      ['What does this mean?', 'TODO: What does this mean?'],
      ['', 'TODO'], // "(TODO)"
      ['', 'TODO'], // "NSA (TODO), but …"
      ['', 'TODO'], // "Detailed Algorithm TODO"
      ['what?', 'TODO: what?'],
      ['how do we get 2x and 8x?', 'TODO: how do we get 2x and 8x?'],
      ['check that.', 'TODO: check that.'],
      ['what are the symbols?', 'TODO: what are the symbols?'], // stops before ": $$ … $$"
    ],
  );
});

test('seed: 47 math spans, each covering its delimiters exactly', () => {
  const parse = parseNotes(seed);
  assert.equal(parse.math.length, 47);
  for (const m of parse.math) {
    const source = seed.slice(m.span.startOffset, m.span.endOffset);
    const delimiter = m.display ? '$$' : '$';
    assert.ok(source.startsWith(delimiter), `span starts with ${delimiter}: ${JSON.stringify(source.slice(0, 20))}`);
    assert.ok(source.endsWith('$'), `span ends with $: ${JSON.stringify(source.slice(-20))}`);
  }
  assert.equal(parse.math.filter((m) => !m.display).length, 26, "inline $…$ spans (the rest are $$ display spans)");
});

test('seed: checkMath finds the one real KaTeX error, at line 162 column 82', () => {
  const errors = checkMath(seed);
  assert.equal(errors.length, 1);
  const [error] = errors;
  // The block opened on line 162 runs to line 163; KaTeX stops at the "$$" that looked like its end.
  assert.deepEqual(error.range.start, { line: 161, character: 81 });
  assert.equal(seed.split('\n')[161].slice(81, 83), '$$');
  assert.match(error.message, /\$/);
});

test('seed: every TODO resolves and reopens byte-identically', () => {
  const parse = parseNotes(seed);
  for (const todo of parse.todos) {
    const resolved = resolveTodo(seed, todo.id, 'Because `x` < $y$ -- see *notes*');
    assert.ok(resolved.ok, resolved.ok ? '' : resolved.error);
    const after = applyEdit(seed, resolved.edit);
    const again = parseNotes(after).todos.find((t) => t.id === todo.id);
    assert.equal(again?.status, 'resolved');
    assert.equal(again?.answer, 'Because `x` < $y$ -- see *notes*');
    assert.equal(parseNotes(after).math.length, 47, 'the answer adds no math');
    const reopened = reopenTodo(after, todo.id);
    assert.ok(reopened.ok);
    assert.equal(applyEdit(after, reopened.edit), seed);
  }
});
