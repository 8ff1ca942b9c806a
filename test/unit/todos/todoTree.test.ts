import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { adjacentTodo, orderTodosForPick, todoAtPosition } from '../../../src/core/todoNavigation';
import { buildTodoTree, walkTodoTree } from '../../../src/core/todoTree';
import { exportTodosAsJson, exportTodosAsMarkdown } from '../../../src/core/todoExport';
import { planTodoInsertion } from '../../../src/core/todoInsertion';
import { relocateTodo } from '../../../src/core/edit';
import { todoLabel } from '../../../src/core/todoLabels';
import type { TodoFileNode, TodoSectionNode, TodoTreeNode } from '../../../src/core/todoTree';
import { file, sectionsFrom, todosFrom } from './fixtures';

/** A compact picture of a tree: `label [open/total]` for containers, `- question` for leaves. */
function outline(nodes: readonly TodoTreeNode[], depth = 0): string[] {
  const pad = '  '.repeat(depth);
  return nodes.flatMap((n) => {
    switch (n.kind) {
      case 'todo':
        return [`${pad}- ${todoLabel(n.todo)}${n.todo.status === 'resolved' ? ' ✓' : ''}`];
      case 'folder':
        return [`${pad}${n.folder.name} [${n.counts.open}/${n.counts.total}]`, ...outline(n.children, depth + 1)];
      case 'file':
        return [`${pad}${n.path} [${n.counts.open}/${n.counts.total}]`, ...outline(n.children, depth + 1)];
      case 'section':
        return [`${pad}${n.title} [${n.counts.open}/${n.counts.total}]`, ...outline(n.children, depth + 1)];
    }
  });
}

/** The headings of `lectureNotes`; `shift` moves every heading but the title down that many lines. */
function lectureSections(shift = 0) {
  return [
    { title: 'Summary of IACV', level: 1, line: 0 },
    { title: 'Lecture 8', level: 2, line: 2 + shift },
    { title: 'Losses', level: 3, line: 4 + shift },
    { title: 'Data splits', level: 3, line: 20 + shift },
    { title: 'Lecture 9', level: 2, line: 40 + shift },
    { title: 'CNNs', level: 3, line: 42 + shift },
  ];
}

const lectureNotes = file(
  'notes/iacv.md',
  lectureSections(),
  [
    { text: 'What are HoG and SIFT?', line: 3 },
    { text: 'When to use cross entropy vs MSE?', line: 10 },
    { text: 'Why zero overlap?', line: 25, status: 'resolved', answer: 'Leakage.' },
    { text: 'Receptive field?', line: 45 },
    { text: '', line: 46 },
  ],
);

describe('grouping', () => {
  test('files → section path → leaves, with the lone document title folded into the file', () => {
    const tree = buildTodoTree([lectureNotes], { showResolved: true });
    assert.deepEqual(outline(tree.roots), [
      'notes/iacv.md [4/5]',
      '  Lecture 8 [2/3]',
      '    - What are HoG and SIFT?',
      '    Losses [1/1]',
      '      - When to use cross entropy vs MSE?',
      '    Data splits [0/1]',
      '      - Why zero overlap? ✓',
      '  Lecture 9 [2/2]',
      '    CNNs [2/2]',
      '      - Receptive field?',
      '      - (TODO)',
    ]);
    assert.equal((tree.roots[0] as TodoFileNode).documentTitle, 'Summary of IACV');
    assert.deepEqual(tree.counts, { open: 4, total: 5 });
  });

  test('the document title stays a level when folding is off or there are several top headings', () => {
    const unfolded = buildTodoTree([lectureNotes], { foldDocumentTitle: false });
    assert.deepEqual(outline(unfolded.roots).slice(0, 3), ['notes/iacv.md [4/5]', '  Summary of IACV [4/5]', '    Lecture 8 [2/3]']);

    const twoTops = file('two.md', [{ title: 'A', level: 1, line: 0 }, { title: 'B', level: 1, line: 10 }], [
      { text: 'a?', line: 1 },
      { text: 'b?', line: 11 },
    ]);
    assert.deepEqual(outline(buildTodoTree([twoTops]).roots), ['two.md [2/2]', '  A [1/1]', '    - a?', '  B [1/1]', '    - b?']);
  });

  test('TODOs before the first heading sit directly under the file, before any section', () => {
    const f = file('pre.md', [{ title: 'A', level: 2, line: 5 }, { title: 'B', level: 2, line: 9 }], [
      { text: 'in A', line: 6 },
      { text: 'preamble', line: 1 },
    ]);
    assert.deepEqual(outline(buildTodoTree([f]).roots), ['pre.md [2/2]', '  - preamble', '  A [1/1]', '    - in A']);
  });

  test('two sections with the same title stay apart', () => {
    const f = file('dup.md', [
      { title: 'L1', level: 2, line: 0 },
      { title: 'Summary', level: 3, line: 1 },
      { title: 'L2', level: 2, line: 10 },
      { title: 'Summary', level: 3, line: 11 },
      { title: 'Summary', level: 3, line: 15 },
    ], [
      { text: 'x', line: 2 },
      { text: 'y', line: 12 },
      { text: 'z', line: 16 },
    ]);
    const tree = buildTodoTree([f]);
    assert.deepEqual(outline(tree.roots), [
      'dup.md [3/3]',
      '  L1 [1/1]',
      '    Summary [1/1]',
      '      - x',
      '  L2 [2/2]',
      '    Summary [1/1]',
      '      - y',
      '    Summary [1/1]',
      '      - z',
    ]);
    const ids = [...walkTodoTree(tree.roots)].map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length, 'node ids are unique');
  });

  test('a TODO whose section index is unknown is placed by its section path', () => {
    const sections = sectionsFrom([{ title: 'A', level: 2, line: 0 }, { title: 'B', level: 2, line: 9 }]);
    const [todo] = todosFrom([{ text: 'orphan', line: 3 }], sections);
    const f = { key: 'o.md', path: 'o.md', parse: { sections, todos: [{ ...todo, sectionIndex: 42, sectionPath: ['A', 'Gone'] }] } };
    assert.deepEqual(outline(buildTodoTree([f]).roots), ['o.md [1/1]', '  A [1/1]', '    Gone [1/1]', '      - orphan']);
  });

  test('files without TODOs are counted as files but not shown', () => {
    const empty = file('empty.md', [{ title: 'A', level: 1, line: 0 }], []);
    const tree = buildTodoTree([empty, lectureNotes]);
    assert.equal(tree.fileCount, 2);
    assert.deepEqual(tree.roots.map((r) => r.id), ['file:notes/iacv.md']);
  });
});

describe('multi-root', () => {
  const a = { key: 'A', name: 'alpha', index: 1 };
  const b = { key: 'B', name: 'beta', index: 0 };
  const files = [
    file('x.md', [], [{ text: 'in alpha', line: 0 }], a),
    file('y.md', [], [{ text: 'in beta', line: 0, status: 'resolved' }], b),
    file('z.md', [], [{ text: 'also beta', line: 0 }], b),
    file('Untitled-1', [], [{ text: 'scratch', line: 0 }]),
  ];

  test('several folders group files by folder in workspace order, outside files last', () => {
    const tree = buildTodoTree(files, { showResolved: true });
    assert.deepEqual(outline(tree.roots), [
      'beta [1/2]',
      '  y.md [0/1]',
      '    - in beta ✓',
      '  z.md [1/1]',
      '    - also beta',
      'alpha [1/1]',
      '  x.md [1/1]',
      '    - in alpha',
      'Untitled-1 [1/1]',
      '  - scratch',
    ]);
  });

  test('a folder with only resolved TODOs disappears when showing open only, its counts remain', () => {
    const onlyResolved = [files[0], files[1]];
    const tree = buildTodoTree(onlyResolved);
    assert.deepEqual(outline(tree.roots), ['alpha [1/1]', '  x.md [1/1]', '    - in alpha']);
    assert.deepEqual(tree.counts, { open: 1, total: 2 });
  });

  test('one folder: files at the top level', () => {
    const tree = buildTodoTree([files[1], files[2], files[3]]);
    assert.deepEqual(tree.roots.map((r) => r.kind), ['file', 'file']);
  });
});

describe('filtering and ordering', () => {
  test('open only hides resolved leaves and sections left empty, keeping counts', () => {
    const tree = buildTodoTree([lectureNotes]);
    assert.deepEqual(outline(tree.roots), [
      'notes/iacv.md [4/5]',
      '  Lecture 8 [2/3]',
      '    - What are HoG and SIFT?',
      '    Losses [1/1]',
      '      - When to use cross entropy vs MSE?',
      '  Lecture 9 [2/2]',
      '    CNNs [2/2]',
      '      - Receptive field?',
      '      - (TODO)',
    ]);
  });

  test('everything resolved: empty tree, counts still known', () => {
    const done = file('done.md', [], [{ text: 'q', line: 0, status: 'resolved' }]);
    const tree = buildTodoTree([done]);
    assert.deepEqual(tree.roots, []);
    assert.deepEqual(tree.counts, { open: 0, total: 1 });
  });

  test('files in natural path order, sections in document order, same-line TODOs by column', () => {
    const f10 = file('lecture10.md', [], [{ text: 'ten', line: 0 }]);
    const f2 = file('lecture2.md', [], [{ text: 'two', line: 0 }]);
    const fB = file('B.md', [], [{ text: 'bee', line: 0 }]);
    const sameLine = file('a.md', [{ title: 'Zeta', level: 2, line: 0 }, { title: 'Alpha', level: 2, line: 5 }], [
      { text: 'second', line: 6, character: 30 },
      { text: 'first', line: 6, character: 2 },
      { text: 'zeta', line: 1 },
    ]);
    const tree = buildTodoTree([f10, fB, sameLine, f2]);
    assert.deepEqual(tree.roots.map((r) => (r as TodoFileNode).path), ['a.md', 'B.md', 'lecture2.md', 'lecture10.md']);
    const a = tree.roots[0] as TodoFileNode;
    assert.deepEqual(a.children.map((c) => (c as TodoSectionNode).title), ['Zeta', 'Alpha']);
    assert.deepEqual(outline((a.children[1] as TodoSectionNode).children), ['- first', '- second']);
  });

  test('node ids survive an unrelated edit (expansion state is kept)', () => {
    const before = buildTodoTree([lectureNotes]);
    const shifted = file('notes/iacv.md', lectureSections(3), []);
    const after = buildTodoTree([{ ...shifted, parse: { sections: shifted.parse.sections, todos: lectureNotes.parse.todos } }]);
    const containerIds = (t: typeof before) => [...walkTodoTree(t.roots)].filter((n) => n.kind !== 'todo').map((n) => n.id);
    assert.deepEqual(containerIds(after), containerIds(before));
  });
});

describe('positions', () => {
  const sections = sectionsFrom([{ title: 'A', level: 2, line: 0 }]);
  const todos = todosFrom(
    [
      { text: 'one', line: 2, character: 4 },
      { text: 'two', line: 2, character: 40 },
      { text: 'done', line: 5, status: 'resolved' },
      { text: 'three', line: 9 },
    ],
    sections,
  );

  test('todoAtPosition: inside a span, else nearest on the line, else none', () => {
    assert.equal(todoAtPosition(todos, { line: 2, character: 6 })?.text, 'one');
    assert.equal(todoAtPosition(todos, { line: 2, character: 4 })?.text, 'one', 'span start counts');
    assert.equal(todoAtPosition(todos, { line: 2, character: 38 })?.text, 'two', 'nearest on the line');
    assert.equal(todoAtPosition(todos, { line: 2, character: 0 })?.text, 'one');
    assert.equal(todoAtPosition(todos, { line: 3, character: 0 }), undefined);
    assert.equal(todoAtPosition(todos, { line: 5, character: 1 }, 'open'), undefined, 'status filter');
    assert.equal(todoAtPosition(todos, { line: 5, character: 1 })?.text, 'done');
  });

  test('next / previous skip the TODO at the cursor and resolved ones, and wrap', () => {
    const next = (line: number, character: number) => adjacentTodo(todos, { line, character }, 'next');
    const prev = (line: number, character: number) => adjacentTodo(todos, { line, character }, 'previous');
    assert.deepEqual([next(0, 0)?.todo.text, next(0, 0)?.wrapped], ['one', false]);
    assert.equal(next(2, 4)?.todo.text, 'two', 'cursor at the start of one → two');
    assert.equal(next(2, 41)?.todo.text, 'three', 'resolved "done" is skipped');
    assert.deepEqual([next(9, 0)?.todo.text, next(9, 0)?.wrapped], ['one', true]);
    assert.deepEqual([prev(9, 0)?.todo.text, prev(9, 0)?.wrapped], ['two', false]);
    assert.deepEqual([prev(2, 4)?.todo.text, prev(2, 4)?.wrapped], ['three', true]);
    assert.equal(adjacentTodo(todos, { line: 9, character: 0 }, 'previous', true)?.todo.text, 'done');
    assert.equal(adjacentTodo([], { line: 0, character: 0 }, 'next'), undefined);
  });

  test('quick-pick order: at cursor, then the active file, then other files by path', () => {
    const other = todosFrom([{ text: 'elsewhere', line: 0 }], sections);
    const third = todosFrom([{ text: 'zzz', line: 0 }], sections);
    const items = [
      { fileKey: 'z', path: 'z.md', todo: third[0] },
      ...todos.map((todo) => ({ fileKey: 'act', path: 'm.md', todo })),
      { fileKey: 'b', path: 'b.md', todo: other[0] },
    ];
    const ordered = orderTodosForPick(items, { fileKey: 'act', position: { line: 9, character: 2 } });
    assert.deepEqual(ordered.map((i) => i.todo.text), ['three', 'one', 'two', 'done', 'elsewhere', 'zzz']);
    const noEditor = orderTodosForPick(items);
    assert.deepEqual(noEditor.map((i) => i.todo.text), ['elsewhere', 'one', 'two', 'done', 'three', 'zzz']);
  });

  test('relocateTodo: same id and question; else the one TODO with that question; never a guess', () => {
    assert.equal(relocateTodo(todos, todos[1].id, 'two'), todos[1]);
    assert.equal(relocateTodo(todos, todos[1].id, 'changed'), undefined, 'question edited');
    assert.equal(relocateTodo(todos, 'renamed-section-id', 'two'), todos[1], 'id changed, question unique');
    const twice = todosFrom([{ text: 'same', line: 1 }, { text: 'same', line: 2 }], sections);
    assert.equal(relocateTodo(twice, 'other-id', 'same'), undefined, 'ambiguous');
    assert.equal(relocateTodo(twice, twice[1].id, 'same'), twice[1]);
    const empty = todosFrom([{ text: '', line: 1 }], sections);
    assert.equal(relocateTodo(empty, 'other-id', ''), undefined, 'an empty question identifies nothing');
  });
});

describe('export', () => {
  test('JSON has the CLI shape: 1-based positions, section titles, answer only when resolved', () => {
    const parsed = JSON.parse(exportTodosAsJson([lectureNotes])) as Array<Record<string, unknown>>;
    assert.equal(parsed.length, 5);
    assert.deepEqual(parsed[0], {
      file: 'notes/iacv.md',
      id: lectureNotes.parse.todos[0].id,
      line: 4,
      column: 1,
      tag: 'TODO',
      text: 'What are HoG and SIFT?',
      status: 'open',
      section: ['Summary of IACV', 'Lecture 8'],
    });
    assert.equal(parsed[2].answer, 'Leakage.');
    assert.equal('answer' in parsed[1], false);
  });

  test('Markdown checklist grouped by file (with its title) and section path', () => {
    const md = exportTodosAsMarkdown([lectureNotes, file('b.md', [], [{ text: 'multi\nline', line: 0 }])]);
    assert.equal(
      md,
      [
        '# TODOs',
        '',
        '5 open of 6.',
        '',
        '## b.md',
        '',
        '### (before the first heading)',
        '',
        '- [ ] multi line (line 1)',
        '',
        '## notes/iacv.md — Summary of IACV',
        '',
        '### Lecture 8',
        '',
        '- [ ] What are HoG and SIFT? (line 4)',
        '',
        '### Lecture 8 › Losses',
        '',
        '- [ ] When to use cross entropy vs MSE? (line 11)',
        '',
        '### Lecture 8 › Data splits',
        '',
        '- [x] Why zero overlap? — Leakage. (line 26)',
        '',
        '### Lecture 9 › CNNs',
        '',
        '- [ ] Receptive field? (line 46)',
        '- [ ] (TODO) (line 47)',
        '',
      ].join('\n'),
    );
  });

  test('an empty workspace exports a valid, empty document', () => {
    assert.equal(exportTodosAsJson([]), '[]\n');
    assert.match(exportTodosAsMarkdown([]), /0 open of 0\.\n\nNo TODOs\.\n$/);
  });
});

describe('Add TODO at cursor', () => {
  test('blank line: at the cursor', () => {
    assert.deepEqual(planTodoInsertion('', 'TODO'), { at: 'cursor', text: 'TODO: ', cursorOffset: 6 });
    assert.deepEqual(planTodoInsertion('    ', 'FIXME'), { at: 'cursor', text: 'FIXME: ', cursorOffset: 7 });
  });

  test('empty list item or quote line: the TODO becomes its content', () => {
    assert.deepEqual(planTodoInsertion('- ', 'TODO'), { at: 'lineEnd', text: 'TODO: ', cursorOffset: 6 });
    assert.deepEqual(planTodoInsertion('>', 'TODO'), { at: 'lineEnd', text: ' TODO: ', cursorOffset: 7 });
  });

  test('a line of text: a new line below that stays in the same list item / quote', () => {
    assert.deepEqual(planTodoInsertion('Some text.', 'TODO'), { at: 'lineEnd', text: '\nTODO: ', cursorOffset: 7 });
    assert.equal(planTodoInsertion('  - item text', 'TODO').text, '\n    TODO: ');
    assert.equal(planTodoInsertion('> quoted', 'TODO', '\r\n').text, '\r\n> TODO: ');
    assert.equal(planTodoInsertion('> 1. step', 'TODO').text, '\n>    TODO: ');
  });
});
