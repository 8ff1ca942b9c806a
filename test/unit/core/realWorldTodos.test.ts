import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotes } from '../../../src/core';
import { NotesRenderer } from '../../../src/core/render/renderNotes';
import { spanText } from './support';

/**
 * TODOs as the public course notes of the real-world test write them (patterns found there,
 * fixtures in my own words): full-width punctuation, LaTeX-style `\TODO[…]`, emphasis around the
 * tag, links in the question, the author's own struck-and-answered form, HTML comments.
 */

function todos(text: string) {
  return parseNotes(text).todos.map((t) => ({ text: t.text, source: spanText(text, t), status: t.status, answer: t.answer }));
}

test('full-width punctuation: （**TODO**）, TODO，…, TODO：…, TODO / …', () => {
  assert.deepEqual(todos('矩阵的秩（**TODO**）还要再看。'), [{ text: '', source: 'TODO', status: 'open', answer: undefined }]);
  assert.deepEqual(
    todos('TODO，检查这个推导是否正确').map((t) => t.text),
    ['检查这个推导是否正确'],
  );
  assert.deepEqual(
    todos('TODO：证明收敛性').map((t) => t.text),
    ['证明收敛性'],
  );
  assert.deepEqual(
    todos('TODO / 自己看第三章').map((t) => t.text),
    ['自己看第三章'],
  );
  assert.deepEqual(
    todos('定义（TODO：补充例子）之后').map((t) => t.text),
    ['补充例子'],
    'a full-width closing parenthesis ends the question',
  );
  assert.deepEqual(todos('固有値の計算 TODO。'), [{ text: '', source: 'TODO', status: 'open', answer: undefined }]);
});

test('\\TODO[…] with a bracket argument: the argument is the question', () => {
  assert.deepEqual(
    todos('The bound is tight \\TODO[find the reference for this] in general.').map((t) => [t.text, t.source]),
    [['find the reference for this', 'TODO[find the reference for this]']],
  );
});

test('question text: no stray emphasis markers, never cut inside a link', () => {
  assert.deepEqual(
    todos('**TODO: why is the kernel flipped?**').map((t) => t.text),
    ['why is the kernel flipped?'],
  );
  assert.deepEqual(
    todos('TODO: read [this forum thread](https://example.org/q/1) about priors').map((t) => t.text),
    ['read this forum thread about priors'],
  );
  assert.deepEqual(
    todos('TODO: compare with [the notes](https://example.org)').map((t) => t.text),
    ['compare with the notes'],
  );
});

test("the author's own closing form ~~TODO: question~~ answer is resolved", () => {
  assert.deepEqual(todos('~~TODO: is the prior conjugate?~~ yes, Beta-Binomial'), [
    { text: 'is the prior conjugate?', source: '~~TODO: is the prior conjugate?~~ yes, Beta-Binomial', status: 'resolved', answer: 'yes, Beta-Binomial' },
  ]);
  assert.deepEqual(
    todos('~~TODO: check the sign~~').map((t) => [t.status, t.answer]),
    [['resolved', '']],
  );
  // The strike may start after the tag and run over the lines of the paragraph.
  assert.deepEqual(
    todos('TODO: ~~is this a vector field\nor a 1-form~~? A 1-form, see below.').map((t) => [t.status, t.text, t.answer]),
    [['resolved', 'is this a vector field or a 1-form', 'A 1-form, see below.']],
  );
  // Lectern's own resolved form is unchanged.
  assert.deepEqual(
    todos('~~TODO~~: check **Answer: fine**').map((t) => [t.status, t.answer]),
    [['resolved', 'fine']],
  );
});

test('nothing inside a multi-line HTML comment is a TODO or a section', () => {
  const note = ['# Kept', '', '<!--', '- [ ] hidden task', '', '### Hidden heading', '', 'TODO: hidden question', '-->', '', '## Also kept', '', '- [ ] visible task'].join('\n');
  const parse = parseNotes(note);
  assert.deepEqual(
    parse.sections.slice(1).map((s) => s.title),
    ['Kept', 'Also kept'],
  );
  assert.deepEqual(
    parse.todos.map((t) => t.text),
    ['visible task'],
  );
  const html = new NotesRenderer().render(note).html;
  assert.doesNotMatch(html, /hidden|&lt;!--|--&gt;/, 'the preview shows nothing of the comment');
  assert.match(html, /Also kept/);
  assert.equal((html.match(/data-todo-id/g) ?? []).length, 1);
});

function badgeContexts(note: string): string[] {
  const html = new NotesRenderer().render(note, { interactive: false }).html;
  return [...html.matchAll(/(.{0,12})<span class="lectern-todo[^"]*"[^>]*>([^<]*)<\/span>(.{0,10})/g)].map((m) => `${m[1]}[${m[2]}]${m[3]}`);
}

test('badges sit on the TODO, not on the prose word before it, nor inside a link', () => {
  assert.deepEqual(badgeContexts('See the TODO list. TODO: real question'), [' TODO list. [TODO]: real que']);
  assert.deepEqual(badgeContexts('[TODO list](https://example.org) TODO: real'), ['DO list</a> [TODO]: real</p>']);
});

test('badges in table cells', () => {
  const note = '| step | note |\n| --- | --- |\n| 1 | TODO: derive it |\n| 2 | done |\n';
  assert.equal(parseNotes(note).todos.length, 1);
  assert.deepEqual(badgeContexts(note), ['<td>[TODO]: derive i']);
});
