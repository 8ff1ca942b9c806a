import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotes, resolveTodo, applyEdit } from '../../../src/core';
import { buildTodoTree, treeSignature } from '../../../src/core/todoTree';

// The view skips a refresh when the signature is unchanged, so the signature must change with
// everything the view shows — and only then.

const note = ['# Notes', '', '## Lecture 9', '', '### CNNs', '', 'Convolutions share weights.', '', 'Local statistics (TODO: What does this mean?)', '', '### Pooling', '', 'TODO: Why max?', ''].join('\n');
const tree = (text: string, showResolved = false) =>
  treeSignature(buildTodoTree([{ key: 'file:///n.md', path: 'n.md', parse: parseNotes(text) }], { showResolved }).roots);

test('the same text parsed twice gives the same signature', () => {
  assert.equal(tree(note), tree(`${note}`));
});

test('an edit that changes nothing shown (prose without TODOs) keeps the signature', () => {
  assert.equal(tree(note), tree(note.replace('share weights', 'share their weights')));
});

test('a changed question, a moved line, a renamed section or a new TODO change the signature', () => {
  const base = tree(note);
  assert.notEqual(tree(note.replace('Why max?', 'Why max pooling?')), base);
  assert.notEqual(tree(note.replace('### Pooling\n', '### Pooling\n\nMore text.\n')), base);
  assert.notEqual(tree(note.replace('### Pooling', '### Pooling layers')), base);
  assert.notEqual(tree(`${note}\nFIXME: cite the paper\n`), base);
});

test('resolving a TODO, its answer and the open-only filter change the signature', () => {
  const parse = parseNotes(note);
  const id = parse.todos[1].id;
  const answered = (answer: string) => {
    const r = resolveTodo(note, id, answer);
    assert.ok(r.ok);
    return applyEdit(note, r.edit);
  };
  assert.notEqual(tree(answered('keeps the strongest response'), true), tree(note, true));
  assert.notEqual(tree(answered('keeps the strongest response'), true), tree(answered('translation robustness'), true));
  assert.notEqual(tree(answered('x')), tree(answered('x'), true));
});
