/**
 * Long notes are parsed (and rendered) a window of top-level blocks at a time, so memory stays a
 * small multiple of the note (issue #11). The windows must be invisible: for every input the
 * windowed parse equals the whole-note parse. Tiny windows here put a cut at nearly every block,
 * on the real notes, their mutants, and the constructs that reach across blocks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotesInWindows } from '../../../src/core/parse';
import { NotesRenderer } from '../../../src/core/render/renderNotes';
import { assertWellFormed, int, pick, prng, realNotes } from './support';

function assertSameParse(text: string, windowChars: number, label: string): number {
  const whole = parseNotesInWindows(text, {}, Number.POSITIVE_INFINITY);
  assert.equal(whole.windows, undefined);
  const windowed = parseNotesInWindows(text, {}, windowChars);
  assert.deepStrictEqual(windowed.result, whole.result, label);
  assertWellFormed(text, windowed.result);
  if (windowed.windows) {
    // The windows cover the note, in order, each starting where the previous one ended.
    assert.equal(windowed.windows[0].startOffset, 0);
    assert.equal(windowed.windows[windowed.windows.length - 1].endOffset, text.length);
    for (let i = 1; i < windowed.windows.length; i++) assert.equal(windowed.windows[i].startOffset, windowed.windows[i - 1].endOffset);
  }
  return windowed.windows?.length ?? 1;
}

test('the real notes parse the same in windows of 100 to 5,000 characters', () => {
  let windows = 0;
  for (const note of realNotes()) {
    for (const size of [100, 700, 5_000]) windows += assertSameParse(note.text, size, `${note.name}, windows of ${size}`);
  }
  assert.ok(windows > 200, `only ${windows} windows: the cut is not exercised`);
});

const FRAGMENTS = [
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '```\n',
  '~~~\n',
  '$$\n',
  '$$',
  '$',
  '<!-- ',
  ' -->',
  '<!--\n',
  '\n-->\n',
  '- ',
  '1. ',
  '> ',
  '    ',
  '\t',
  '# ',
  '===\n',
  '---\n',
  '| a | b |\n|---|---|\n',
  'TODO: q',
  '- [ ] t',
  '~~TODO~~',
  '\uFEFF',
  '\u0000',
  '*',
  '**',
];

test('mutants of the real notes parse the same in windows', () => {
  const rand = prng(0x5eed11);
  const notes = realNotes();
  for (let i = 0; i < 60; i++) {
    let text = pick(rand, notes).text;
    const ops: string[] = [];
    for (let k = int(rand, 1, 12); k > 0; k--) {
      const at = int(rand, 0, text.length + 1);
      const f = pick(rand, FRAGMENTS);
      text = text.slice(0, at) + f + text.slice(at);
      ops.push(`${JSON.stringify(f)}@${at}`);
    }
    assertSameParse(text, pick(rand, [150, 400, 1_500]), `mutant ${i}: ${ops.join(' ')}`);
  }
});

const paragraph = (i: number) => `Paragraph ${i} with $x_${i}$ and TODO: question ${i}\n\n`;
const filler = (n: number) => Array.from({ length: n }, (_, i) => paragraph(i)).join('');

const CONSTRUCTS: ReadonlyArray<readonly [string, string]> = [
  ['a fence longer than a window', `${filler(20)}\`\`\`\n${'TODO: in code\n'.repeat(100)}\`\`\`\n${filler(20)}`],
  ['an unclosed fence', `${filler(20)}\`\`\`\n${filler(40)}`],
  ['a list longer than a window', `${filler(10)}${Array.from({ length: 80 }, (_, i) => `- item ${i} TODO: q${i}\n\n  more\n`).join('')}${filler(10)}`],
  ['a comment over many blocks', `${filler(20)}<!--\n\n${filler(30)}-->\n\n${filler(20)}`],
  ['an unclosed comment', `${filler(20)}<!-- open\n\n${filler(30)}`],
  ['display math over many lines', `${filler(20)}$$\n${'x + y \\\\\n'.repeat(200)}$$\n\n${filler(20)}`],
  ['front matter', `---\ntitle: x\n---\n${filler(40)}`],
  ['front matter closed late', `---\n${'key: TODO: not a todo\n'.repeat(200)}---\n${filler(40)}`],
  ['front matter never closed', `---\n${filler(40)}`],
  ['reference definitions at the end', `${filler(30)}[TODO: x][ref]\n\n${filler(30)}[ref]: http://example.com\n`],
  ['setext headings', Array.from({ length: 60 }, (_, i) => `Title ${i}\n===\n\nTODO: q${i}\n\n`).join('')],
  ['tables', Array.from({ length: 60 }, (_, i) => `| TODO: a${i} | $b$ |\n|---|---|\n| c | d |\n\n`).join('')],
  ['CRLF line breaks', filler(60).replace(/\n/g, '\r\n')],
  ['bare CR line breaks', filler(60).replace(/\n/g, '\r')],
  ['a byte-order mark mid-note', `${filler(20)}\uFEFF# Heading\n\n${filler(20)}`],
  ['TODO\\n × 2,000', 'TODO\n'.repeat(2_000)],
  ['one paragraph of 2,000 lines', 'word TODO: q\n'.repeat(2_000)],
  ['headings with duplicate slugs', Array.from({ length: 80 }, () => `## Same\n\nTODO: same question\n\n`).join('')],
];

for (const [name, text] of CONSTRUCTS) {
  test(`windows are invisible: ${name}`, () => {
    for (const size of [64, 300, 1_000]) assertSameParse(text, size, `${name}, windows of ${size}`);
  });
}

test('a note with many blocks is cut into many windows', () => {
  const text = filler(400);
  const { windows } = parseNotesInWindows(text, {}, 1_000);
  assert.ok(windows && windows.length >= text.length / 2_000, `${windows?.length} windows for ${text.length} characters`);
});

/** The HTML of the note rendered in windows of `windowChars` (its demo buttons, badges and all). */
function renderIn(text: string, windowChars: number): string {
  const renderer = new NotesRenderer({ windowChars, macros: { '\\RR': '\\mathbb{R}' } });
  return renderer.render(text, { demoForSection: (s) => (s.title.includes('3') ? 'gradient-descent' : undefined) }).html;
}

test('rendered in windows, a note gives exactly the HTML of the whole note', () => {
  const texts = [...realNotes().map((n) => n.text), ...CONSTRUCTS.map(([, text]) => text)];
  for (const text of texts) {
    const whole = renderIn(text, Number.POSITIVE_INFINITY);
    for (const size of [300, 2_000]) assert.equal(renderIn(text, size), whole, `${text.slice(0, 40)}…, windows of ${size}`);
  }
});
