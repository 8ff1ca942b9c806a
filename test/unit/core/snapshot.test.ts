/**
 * Incremental parsing must be invisible: after any sequence of edits, the snapshot's result is
 * exactly `parseNotes` of the new text — sections, slugs, TODOs (ids included), math spans with
 * their segments, line count. The property test drives random edit sequences from a fixed seed
 * (LECTERN_SNAPSHOT_SEED / _SEQUENCES / _EDITS to vary) over real notes and a note dense in the
 * constructs whose effect is not local; the targeted tests pin which edits must take the
 * incremental path and which must fall back to a full parse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSnapshot, parseNotes, snapshotFromRaw, tryUpdateSnapshot, updateSnapshot } from '../../../src/core';
import { parseRaw } from '../../../src/core/parse';
import type { NotesSnapshot, ParseOptions, TextChange } from '../../../src/core';
import { int, pick, prng, realNotes } from '../hostile/support';

const SEED = Number(process.env.LECTERN_SNAPSHOT_SEED ?? 0x5a17);
const SEQUENCES = Number(process.env.LECTERN_SNAPSHOT_SEQUENCES ?? 120);
const EDITS = Number(process.env.LECTERN_SNAPSHOT_EDITS ?? 25);

/** Every construct that reaches beyond its own line, a few times over, with CR, LF and CRLF. */
const DENSE = [
  '---',
  'title: front matter',
  '---',
  '# Lecture 1',
  '',
  'Intro TODO: why? and $a+b$ inline.',
  '',
  'Setext title',
  '============',
  '',
  '- [ ] a task',
  '- [x] done **Answer: yes**',
  '  continued TODO: in item',
  '',
  '```python',
  'TODO: not a todo in code',
  '```',
  '',
  '$$',
  'x^2 \\\\',
  'TODO inside math',
  '$$',
  '',
  '<!-- a comment',
  'TODO: hidden',
  '',
  'still hidden -->',
  '',
  'TODO: same question',
  '',
  '## Part',
  '',
  'TODO: same question',
  '',
  '> quote TODO: quoted',
  'lazy line',
  '',
  '| a | b |',
  '|---|---|',
  '| TODO: cell | $c$ |',
  '',
  '    indented code TODO: no',
  '',
  'See [the ref][r] and TODO: after link.',
  '',
  '[r]: https://example.invalid "title"',
  '',
  '```math',
  '\\frac{1}{2}',
  '```',
  '',
  'Other paragraph',
  '---',
  '',
  '### Deep',
  'FIXME: (TODO) both',
  '',
].join('\n');

/** Fragments that open, close or change constructs, plus plain text. */
const FRAGMENTS = [
  'x',
  'é',
  ' ',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '```',
  '~~~',
  '$$',
  '$',
  '`',
  '<!--',
  '-->',
  '# ',
  '## ',
  '===',
  '---',
  '- ',
  '- [ ] ',
  '> ',
  '    ',
  '\t',
  'TODO: ',
  'TODO',
  '(TODO)',
  'FIXME: ',
  '~~TODO~~',
  ' **Answer: a**',
  '[r]: /u\n',
  '[r]',
  '|',
  '|---|\n',
  '\\',
  '\\begin{align}',
  '\uFEFF',
  '**',
];

function randomChange(rand: () => number, text: string): TextChange {
  // Half the edits at a line start or end, where block structure changes.
  let at = int(rand, 0, text.length + 1);
  if (rand() < 0.5) {
    const nl = text.indexOf('\n', at);
    at = rand() < 0.5 ? (nl < 0 ? text.length : nl) : text.lastIndexOf('\n', at - 1) + 1;
  }
  switch (int(rand, 0, 4)) {
    case 0:
    case 1:
      return { startOffset: at, endOffset: at, newText: pick(rand, FRAGMENTS) };
    case 2:
      return { startOffset: at, endOffset: Math.min(text.length, at + int(rand, 1, 30)), newText: '' };
    default:
      return { startOffset: at, endOffset: Math.min(text.length, at + int(rand, 1, 6)), newText: pick(rand, FRAGMENTS) };
  }
}

function apply(text: string, change: TextChange): string {
  return text.slice(0, change.startOffset) + change.newText + text.slice(change.endOffset);
}

function assertSameAsFullParse(snapshot: NotesSnapshot, options: ParseOptions, where: string): void {
  const full = parseNotes(snapshot.text, { ...options, strict: true });
  assert.deepStrictEqual(snapshot.result, full, `${where}: incremental (${snapshot.update.path}) differs from a full parse`);
}

function corpus(): string[] {
  const texts = [DENSE, DENSE.replace(/\n/g, '\r\n'), DENSE.replace(/\n/g, '\r')];
  for (const { text } of realNotes()) texts.push(text);
  return texts;
}

/** A window of a few KB of a real note, so that many sequences stay fast. */
function excerpt(rand: () => number, text: string): string {
  if (text.length < 6000) return text;
  const len = int(rand, 2000, 6000);
  const start = int(rand, 0, text.length - len);
  return text.slice(start, start + len);
}

test(`random edit sequences: ${SEQUENCES} × ${EDITS} edits, each snapshot equal to a full parse (seed ${SEED})`, () => {
  const rand = prng(SEED);
  const texts = corpus();
  const paths = { incremental: 0, full: 0 };
  const reasons = new Map<string, number>();
  for (let s = 0; s < SEQUENCES; s++) {
    const options: ParseOptions = rand() < 0.2 ? { tags: ['TODO', 'NOTE'] } : {};
    let text = excerpt(rand, pick(rand, texts));
    let snapshot = createSnapshot(text, options, 1);
    assertSameAsFullParse(snapshot, options, `sequence ${s}, initial`);
    const log: string[] = [];
    for (let e = 0; e < EDITS; e++) {
      // Now and then one version carries two changes, as a multi-cursor edit does.
      const changes: TextChange[] = [];
      for (let k = rand() < 0.15 ? 2 : 1; k > 0; k--) {
        const change = randomChange(rand, text);
        changes.push(change);
        text = apply(text, change);
      }
      log.push(changes.map((c) => `${c.startOffset}-${c.endOffset}:${JSON.stringify(c.newText)}`).join(','));
      // Half the time the host hands over the new text, as a TextDocument would.
      snapshot = updateSnapshot(snapshot, changes, rand() < 0.5 ? { text } : {});
      assert.equal(snapshot.text, text);
      assert.equal(snapshot.version, e + 2);
      assertSameAsFullParse(snapshot, options, `sequence ${s}, edit ${e} (${log.join(' ; ')})`);
      paths[snapshot.update.path]++;
      if (snapshot.update.reason) reasons.set(snapshot.update.reason, (reasons.get(snapshot.update.reason) ?? 0) + 1);
    }
  }
  // The property would hold trivially if every update parsed in full.
  assert.ok(paths.incremental > paths.full * 2, `incremental ${paths.incremental} vs full ${paths.full}`);
  for (const reason of ['structure', 'references', 'documentStart'])
    assert.ok((reasons.get(reason) ?? 0) > 0, `no edit fell back for ${reason}: ${[...reasons].join(' ')}`);
});

test('math read only after many unread edits (the spliced levels composed in one pass) equals a full parse', () => {
  const rand = prng(SEED ^ 0x3a7);
  const texts = corpus();
  for (let s = 0; s < Math.max(4, SEQUENCES / 8); s++) {
    let text = excerpt(rand, pick(rand, texts));
    let snapshot = createSnapshot(text, {}, 1);
    const kept: Array<{ snapshot: NotesSnapshot; text: string }> = [];
    for (let e = 0; e < 40; e++) {
      const change = randomChange(rand, text);
      text = apply(text, change);
      // Only the TODOs are read along the way, as the TODO tree does; math stays unread.
      snapshot = updateSnapshot(snapshot, [change], { text });
      void snapshot.result.todos;
      if (rand() < 0.1) kept.push({ snapshot, text });
    }
    assertSameAsFullParse(snapshot, {}, `sequence ${s}, last`);
    // Older snapshots, read afterwards, still give their own version's math.
    for (const { snapshot: old, text: oldText } of kept) assert.deepStrictEqual(old.result.math, parseNotes(oldText).math);
  }
});

/** A long note whose middle is edited, so a window is much smaller than the note. */
function longNote(): string {
  const parts: string[] = ['# Notes', ''];
  for (let i = 0; i < 40; i++) parts.push(`## Section ${i}`, '', `Text $x_${i}$ and TODO: question ${i % 5}`, '', '- [ ] task', '');
  return parts.join('\n');
}

function edit(snapshot: NotesSnapshot, at: string, change: (offset: number) => TextChange, occurrence = 0): NotesSnapshot {
  let offset = -1;
  for (let n = 0; n <= occurrence; n++) offset = snapshot.text.indexOf(at, offset + 1);
  assert.ok(offset >= 0, `${at} not in the note`);
  const next = updateSnapshot(snapshot, [change(offset)]);
  assertSameAsFullParse(next, snapshot.options, `after editing at ${JSON.stringify(at)}`);
  return next;
}

test('an edit inside one paragraph re-parses only a window around it, and later ids stay those of a full parse', () => {
  const text = longNote();
  const before = createSnapshot(text);
  // Question 0 appears 8 times; its ids count occurrences per section, its slugs over the note.
  const after = edit(before, 'TODO: question 3', (o) => ({ startOffset: o + 6, endOffset: o + 6, newText: 'x' }), 2);
  assert.equal(after.update.path, 'incremental');
  assert.ok(after.update.reparsedChars < text.length / 10, `re-parsed ${after.update.reparsedChars} of ${text.length}`);
  const changed = after.result.todos.filter((t, i) => t.id !== before.result.todos[i].id);
  assert.equal(changed.length, 1, 'only the edited TODO changes id');
  // Renaming a heading changes every id below it in that section: still identical to a full parse.
  const renamed = edit(after, '## Section 7', (o) => ({ startOffset: o + 3, endOffset: o + 10, newText: 'Part' }));
  assert.equal(renamed.update.path, 'incremental');
});

test('an edit whose effect is not local falls back to a full parse', () => {
  const base = createSnapshot(longNote());
  // An unclosed fence swallows every later block.
  const fence = edit(base, '## Section 5', (o) => ({ startOffset: o, endOffset: o, newText: '```\n' }));
  assert.equal(fence.update.path, 'full');
  assert.equal(fence.update.reason, 'structure');
  assert.equal(edit(base, 'Text $x_9$', (o) => ({ startOffset: o, endOffset: o, newText: '$$\n' })).update.reason, 'structure');
  // An open comment hides the TODOs of the following paragraphs.
  const comment = edit(base, 'Text $x_9$', (o) => ({ startOffset: o, endOffset: o, newText: '<!-- ' }));
  assert.equal(comment.update.reason, 'structure');
  assert.ok(comment.result.todos.length < base.result.todos.length);
  // A reference definition changes links anywhere in the note.
  assert.equal(edit(base, '- [ ] task', (o) => ({ startOffset: o, endOffset: o, newText: '[q]: /x\n\n' }), 20).update.reason, 'references');
  // A U+FEFF that would start a window: only at the note's start is it a byte-order mark.
  const bom = createSnapshot('# A\n\nTODO: a\n\n\uFEFF    TODO: b\n\nTODO: c\n');
  assert.equal(edit(bom, 'TODO: c', (o) => ({ startOffset: o, endOffset: o, newText: 'x' })).update.reason, 'documentStart');
  // Front matter at the top of the note.
  assert.equal(edit(base, '# Notes', (o) => ({ startOffset: o, endOffset: o, newText: '---\na: b\n---\n' })).update.reason, 'documentStart');
  // A setext underline turns the paragraph above into a heading: local, but the window must hold it.
  const line = 'Text $x_9$ and TODO: question 4';
  const setext = edit(base, line, (o) => ({ startOffset: o + line.length, endOffset: o + line.length, newText: '\n---' }));
  assert.equal(setext.update.path, 'incremental');
  assert.equal(setext.result.sections.length, base.result.sections.length + 1);
});

test('tryUpdateSnapshot refuses exactly the updates that need a full parse; a snapshot from a raw parse updates like any other', () => {
  const text = longNote();
  const base = snapshotFromRaw(text, {}, 3, structuredClone(parseRaw(text)));
  assert.deepStrictEqual(base.result, parseNotes(text));
  assert.equal(base.version, 3);
  const at = text.indexOf('## Section 5');
  const fence: TextChange = { startOffset: at, endOffset: at, newText: '```\n' };
  assert.equal(updateSnapshot(base, [fence]).update.path, 'full');
  assert.equal(tryUpdateSnapshot(base, [fence]), undefined);
  const word = text.indexOf('question 3');
  const typed = tryUpdateSnapshot(base, [{ startOffset: word, endOffset: word, newText: 'x' }], { version: 9 });
  assert.ok(typed);
  assert.equal(typed.update.path, 'incremental');
  assert.equal(typed.version, 9);
  assertSameAsFullParse(typed, {}, 'after one character');
  // Two changes in one version where the second needs a full parse: refused as a whole.
  assert.equal(tryUpdateSnapshot(base, [{ startOffset: word, endOffset: word, newText: 'x' }, fence]), undefined);
  // A change outside the text is still an error, not a refusal.
  assert.throws(() => tryUpdateSnapshot(base, [{ startOffset: text.length + 1, endOffset: text.length + 1, newText: 'x' }]), RangeError);
});

test('a version with several changes, an empty change list, and a change outside the text', () => {
  const base = createSnapshot('# A\n\nTODO: one\n\n# B\n\nTODO: two\n', {}, 7);
  const next = updateSnapshot(base, [
    { startOffset: 11, endOffset: 14, newText: 'first' },
    { startOffset: 0, endOffset: 0, newText: 'TODO: zero\n\n' },
  ]);
  assert.equal(next.version, 8);
  assert.equal(next.text, 'TODO: zero\n\n# A\n\nTODO: first\n\n# B\n\nTODO: two\n');
  assertSameAsFullParse(next, {}, 'two changes');
  const same = updateSnapshot(next, [], { version: 9 });
  assert.equal(same.version, 9);
  assert.equal(same.result, next.result);
  assert.throws(() => updateSnapshot(next, [{ startOffset: 5, endOffset: 999, newText: '' }]), RangeError);
  assert.throws(() => updateSnapshot(next, [{ startOffset: 5, endOffset: 6, newText: '' }], { text: next.text }), RangeError);
});
