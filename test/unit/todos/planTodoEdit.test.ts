import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdit, parseNotes } from '../../../src/core';
import { buildTodoTree } from '../../../src/core/todoTree';
import { displaySectionPath, todoLabel } from '../../../src/core/todoLabels';
import { planTodoEdit } from '../../../src/core/edit';
import type { TodoFileNode, TodoTreeNode } from '../../../src/core/todoTree';

/** The tree model and the edit planning on real parses (not fixtures): what the extension runs. */

const note = [
  '# Summary of IACV',
  '',
  '## Lecture 8',
  '',
  '### Losses',
  '',
  'Cross entropy (TODO: When to use MSE?) is common.',
  '',
  '### Splits',
  '',
  '- [ ] Read §3',
  '- [x] Done task',
  '',
  '## Lecture 9',
  '',
  'Text. TODO: why pooling?',
  '',
  'And `TODO: not this` in code.',
  '',
  '```',
  'TODO inside a fence',
  '```',
  '',
].join('\r\n');

function outline(nodes: readonly TodoTreeNode[], depth = 0): string[] {
  return nodes.flatMap((n) =>
    n.kind === 'todo'
      ? [`${'  '.repeat(depth)}- ${todoLabel(n.todo)}`]
      : [`${'  '.repeat(depth)}${n.kind === 'file' ? n.path : n.kind === 'folder' ? n.folder.name : n.title} [${n.counts.open}/${n.counts.total}]`, ...outline(n.children, depth + 1)],
  );
}

test('a real parse groups under lecture → topic, code is not a TODO', () => {
  const tree = buildTodoTree([{ key: 'file:///n.md', path: 'n.md', parse: parseNotes(note) }], { showResolved: true });
  assert.deepEqual(outline(tree.roots), [
    'n.md [3/4]',
    '  Lecture 8 [2/3]',
    '    Losses [1/1]',
    '      - When to use MSE?',
    '    Splits [1/2]',
    '      - Read §3',
    '      - Done task',
    '  Lecture 9 [1/1]',
    '    - why pooling?',
  ]);
  assert.equal((tree.roots[0] as TodoFileNode).documentTitle, 'Summary of IACV');
  const parse = parseNotes(note);
  assert.deepEqual(displaySectionPath(parse, parse.todos[0]), ['Lecture 8', 'Losses'], 'lists drop the document title too');
});

test('resolve then reopen through planTodoEdit restores the bytes (CRLF kept)', () => {
  const todo = parseNotes(note).todos.find((t) => t.text === 'When to use MSE?')!;
  const resolved = planTodoEdit(note, todo.id, todo.text, 'when the target is continuous');
  assert.ok(resolved.ok, !resolved.ok ? resolved.message : '');
  const after = applyEdit(note, resolved.edit);
  const read = parseNotes(after).todos.find((t) => t.text === 'When to use MSE?')!;
  assert.equal(read.status, 'resolved');
  assert.equal(read.answer, 'when the target is continuous');
  assert.equal(after.split('\r\n').length, note.split('\r\n').length, 'no line added or lost');

  const again = planTodoEdit(after, todo.id, todo.text, 'twice');
  assert.deepEqual(again.ok ? 'ok' : again.reason, 'alreadyDone');

  const reopened = planTodoEdit(after, read.id, read.text, undefined);
  assert.ok(reopened.ok);
  assert.equal(applyEdit(after, reopened.edit), note);
});

test('planTodoEdit refuses a TODO that is gone or was edited, and follows a renamed heading', () => {
  const todo = parseNotes(note).todos.find((t) => t.text === 'why pooling?')!;
  const edited = note.replace('why pooling?', 'why max pooling?');
  const gone = planTodoEdit(edited, todo.id, todo.text, 'x');
  assert.deepEqual(gone.ok ? 'ok' : gone.reason, 'gone');

  const renamed = note.replace('## Lecture 9', '## Lecture 9 (CNNs)');
  const moved = planTodoEdit(renamed, todo.id, todo.text, 'fewer parameters');
  assert.ok(moved.ok, 'found by its unique question');
  const after = applyEdit(renamed, moved.edit);
  assert.equal(parseNotes(after).todos.find((t) => t.text === 'why pooling?')?.answer, 'fewer parameters');
  // Only the TODO's own text changed.
  assert.equal(after.slice(0, moved.edit.startOffset), renamed.slice(0, moved.edit.startOffset));
  assert.equal(after.slice(after.length - (renamed.length - moved.edit.endOffset)), renamed.slice(moved.edit.endOffset));
});
