import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotes, resolveTodo, applyEdit } from '../../../src/core';
import { buildTodoTree, sameTreeView, type TodoTreeNode } from '../../../src/core/todoTree';

// The view skips a refresh when the new tree shows the same as the old one, so `sameTreeView` must
// tell apart everything the view shows — and nothing else.

const note = ['# Notes', '', '## Lecture 9', '', '### CNNs', '', 'Convolutions share weights.', '', 'Local statistics (TODO: What does this mean?)', '', '### Pooling', '', 'TODO: Why max?', ''].join('\n');
const tree = (text: string, showResolved = false): View => new View(buildTodoTree([{ key: 'file:///n.md', path: 'n.md', parse: parseNotes(text) }], { showResolved }).roots);

/** A tree compared with `sameTreeView`, so the tests below read as (in)equalities. */
class View {
  constructor(readonly roots: readonly TodoTreeNode[]) {}
}
const same = (a: View, b: View): boolean => sameTreeView(a.roots, b.roots) && sameTreeView(b.roots, a.roots);
const equal = (a: View, b: View) => assert.ok(same(a, b), 'the trees should show the same');
const notEqual = (a: View, b: View) => assert.ok(!same(a, b), 'the trees should differ');

test('the same text parsed twice gives the same signature', () => {
  equal(tree(note), tree(`${note}`));
});

test('an edit that changes nothing shown (prose without TODOs) keeps the signature', () => {
  equal(tree(note), tree(note.replace('share weights', 'share their weights')));
});

test('a changed question, a moved line, a renamed section or a new TODO change the signature', () => {
  const base = tree(note);
  notEqual(tree(note.replace('Why max?', 'Why max pooling?')), base);
  notEqual(tree(note.replace('### Pooling\n', '### Pooling\n\nMore text.\n')), base);
  notEqual(tree(note.replace('### Pooling', '### Pooling layers')), base);
  notEqual(tree(`${note}\nFIXME: cite the paper\n`), base);
  notEqual(tree(note.replace('# Notes', '# My notes')), base);
});

test('the file a TODO is in: its path and its folder', () => {
  const parse = parseNotes(note);
  // Same keys throughout: only what is shown differs (a renamed folder, a moved file's path).
  const files = (path: string, folderName: string) =>
    new View(
      buildTodoTree([
        { key: 'file:///a/n.md', path, parse, folder: { key: 'a', name: folderName, index: 0 } },
        { key: 'file:///b/o.md', path: 'o.md', parse, folder: { key: 'b', name: 'b', index: 1 } },
      ]).roots,
    );
  equal(files('n.md', 'a'), files('n.md', 'a'));
  notEqual(files('n.md', 'a'), files('m.md', 'a'));
  notEqual(files('n.md', 'a'), files('n.md', 'c'));
});

test('resolving a TODO, its answer and the open-only filter change the signature', () => {
  const parse = parseNotes(note);
  const id = parse.todos[1].id;
  const answered = (answer: string) => {
    const r = resolveTodo(note, id, answer);
    assert.ok(r.ok);
    return applyEdit(note, r.edit);
  };
  notEqual(tree(answered('keeps the strongest response'), true), tree(note, true));
  notEqual(tree(answered('keeps the strongest response'), true), tree(answered('translation robustness'), true));
  notEqual(tree(answered('x')), tree(answered('x'), true));
});
