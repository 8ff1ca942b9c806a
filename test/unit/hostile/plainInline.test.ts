/**
 * The engine's fast path for plain inline content (engine.ts `plainInline`: one text token for a
 * paragraph markdown-it would split into text and soft breaks only) and the renderer's reuse of the
 * parser's tokens (a note parsed in one piece is not parsed again) change no byte of the output:
 * markdown-it's own HTML, Lectern's preview and export HTML (TODO badges included) and the parse
 * are compared with and without them over the sample notes, the seed, the CommonMark examples,
 * the hostile render inputs and randomized paragraphs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMarkdownEngine, isPlainInline } from '../../../src/core/engine';
import { parseNotes, setParsingPlainInlineFastPath } from '../../../src/core/parse';
import { NotesRenderer } from '../../../src/core/render/renderNotes';
import { todoIdFactory } from '../../../src/core/todoId';
import type { Corpus } from './support';
import { int, pick, prng, realNotes } from './support';
import { HOSTILE_RENDER_INPUTS } from './renderInputs';

interface SpecExample {
  readonly markdown: string;
  readonly number: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const spec = require('commonmark-spec') as { tests: SpecExample[] };

const katex = { renderToString: (tex: string, opts?: { displayMode?: boolean }) => `<k${opts?.displayMode ? ' d' : ''}>${tex}</k>` };
const fast = createMarkdownEngine({ katex });
const slow = createMarkdownEngine({ katex, plainInlineFastPath: false });

/** Lines of plain words and of everything that is not plain, mixed into paragraphs. */
function randomNote(seed: number): string {
  const rand = prng(seed);
  const words = [
    'TODO',
    'FIXME',
    'TODO:',
    'the',
    'TODOS',
    'todo',
    'a"b',
    "it's",
    'é',
    '（TODO）',
    'TODO.',
    'x',
    '~~TODO~~',
    'TODO -',
    '(TODO)',
    '$x$',
    '`c`',
    '[l](u)',
    '**b**',
    '&amp;',
    '<!-- c -->',
    '\\',
    '1.',
    '#',
    '-',
    '>',
    '|',
    '*',
    '_',
  ];
  const gaps = [' ', ' ', ' ', '  ', '\t', ''];
  const breaks = ['\n', '\n', '\n', ' \n', '  \n', '\n ', '\n\t', '\n\n', '\n   '];
  let out = '';
  const lines = int(rand, 1, 40);
  for (let l = 0; l < lines; l++) {
    // Most lines plain, so that whole paragraphs take the fast path.
    const plain = rand() < 0.7;
    const n = int(rand, 1, 6);
    for (let w = 0; w < n; w++) {
      if (w > 0) out += pick(rand, gaps);
      out += plain
        ? pick(rand, ['TODO', 'FIXME', 'word', 'the', 'TODOS', 'a"b', "it's", 'é', '（TODO）', 'TODO.', 'TODO,', '(TODO)', 'TODO?'])
        : pick(rand, words);
    }
    out += plain ? pick(rand, ['\n', '\n', '\n', '\n\n']) : pick(rand, breaks);
  }
  return out;
}

function corpora(): Corpus[] {
  const out: Corpus[] = [...realNotes()];
  // Line breaks markdown-it normalises, and a byte-order mark (which the parser drops and the
  // renderer keeps: such a note is parsed again rather than rendered from the parser's tokens).
  for (const { name, text } of realNotes())
    out.push({ name: `${name} (CRLF)`, text: text.replace(/\n/g, '\r\n') }, { name: `${name} (BOM)`, text: `\uFEFF${text}` });
  out.push({ name: 'BOM, CR, NUL', text: '\uFEFFTODO first\rTODO\0 second\r\nplain TODO: third\n' });
  for (const input of HOSTILE_RENDER_INPUTS) out.push({ name: input.name, text: input.make(0.25) });
  for (let seed = 1; seed <= 300; seed++) out.push({ name: `random #${seed}`, text: randomNote(seed) });
  return out;
}

test("plain inline content: exactly markdown-it 15's text terminators are special (line breaks apart)", () => {
  // markdown-it 15's isTerminatorChar (rules_inline/text), without 0x0A.
  const terminators = new Set([
    0x21, 0x23, 0x24, 0x25, 0x26, 0x2a, 0x2b, 0x2d, 0x3a, 0x3c, 0x3d, 0x3e, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x7b, 0x7d, 0x7e,
  ]);
  for (let c = 0; c < 0x10000; c++) {
    if (c === 10) continue;
    assert.equal(isPlainInline(`a${String.fromCharCode(c)}b`, {}), !terminators.has(c), `U+${c.toString(16)}`);
  }
  for (const text of ['a \nb', 'a\n b', 'a\n\tb', 'a  \nb']) assert.equal(isPlainInline(text, {}), false, JSON.stringify(text));
  assert.equal(isPlainInline('a\t\nb\nc', {}), true);
  for (const option of ['linkify', 'typographer', 'breaks']) assert.equal(isPlainInline('a\nb', { [option]: true }), false, option);
});

test('plain inline content: the test matches what markdown-it makes of it (text and soft breaks only)', () => {
  const options = fast.options;
  const seen = { plain: 0, other: 0 };
  for (const { text } of corpora()) {
    for (const token of slow.parse(text, {})) {
      if (token.type !== 'inline' || token.content === '') continue;
      const onlyText = (token.children ?? []).every((c) => c.type === 'text' || c.type === 'softbreak');
      if (isPlainInline(token.content, options)) {
        seen.plain++;
        assert.ok(onlyText, `plain content parsed into ${token.children?.map((c) => c.type).join(' ')}: ${JSON.stringify(token.content.slice(0, 80))}`);
      } else seen.other++;
    }
  }
  assert.ok(seen.plain > 500 && seen.other > 1000, JSON.stringify(seen));
});

test('markdown-it HTML with the plain-inline fast path is byte-identical to markdown-it without it', () => {
  const docs = [...corpora(), ...spec.tests.map((e) => ({ name: `CommonMark #${e.number}`, text: e.markdown.replace(/→/g, '\t') }))];
  for (const { name, text } of docs) assert.equal(fast.render(text, {}), slow.render(text, {}), name);
});

test('the parse with the plain-inline fast path equals the parse without it', () => {
  for (const { name, text } of corpora()) {
    const withFastPath = parseNotes(text);
    const previous = setParsingPlainInlineFastPath(false);
    try {
      assert.deepEqual(withFastPath, parseNotes(text), name);
    } finally {
      setParsingPlainInlineFastPath(previous);
    }
  }
});

test('preview and export HTML (TODO badges included) are byte-identical with the fast path and token reuse, and without', () => {
  const commonMark = spec.tests.map((e) => ({ name: `CommonMark #${e.number}`, text: e.markdown.replace(/→/g, '\t') }));
  for (const { name, text } of [...corpora(), ...commonMark]) {
    for (const interactive of [true, false]) {
      // The windowed path too (small windows), and the one-piece path that reuses the parse's tokens.
      for (const windowChars of [undefined, 2_000]) {
        const optimized = new NotesRenderer({ windowChars }).render(text, { interactive });
        const reference = new NotesRenderer({ windowChars, plainInlineFastPath: false, reuseParseTokens: false }).render(text, { interactive });
        assert.equal(optimized.html, reference.html, `${name} (interactive: ${interactive}, windows: ${windowChars ?? 'default'})`);
        assert.equal(optimized.todoBadges, reference.todoBadges, name);
      }
    }
  }
});

test('TODO badges of a plain paragraph: one per TODO line, as from markdown-it tokens', () => {
  const html = new NotesRenderer().render('TODO\nTODO\nsome TODO list\nFIXME: why "x"', { interactive: false }).html;
  assert.equal((html.match(/class="lectern-todo /g) ?? []).length, 3);
  assert.match(html, /why &quot;x&quot;/);
});

function fnvHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The id factory as it was (a string key and a set of id strings per call), the reference. */
function referenceIdFactory(): (tag: string, sectionPath: readonly string[], text: string, context: string) => string {
  const fnv = fnvHex;
  const occurrences = new Map<string, number>();
  const used = new Set<string>();
  return (tag, sectionPath, text, context) => {
    const key = [tag, sectionPath.join('\u0001'), text === '' ? `\u0002${context}` : text].join('\u0000');
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    let id = `t-${fnv(`${key}\u0000${occurrence}`)}`;
    for (let n = 2; used.has(id); n++) id = `t-${fnv(`${key}\u0000${occurrence}\u0000${n}`)}`;
    used.add(id);
    return id;
  };
}

test('TODO ids are those of the reference factory, hash collisions included', () => {
  const rand = prng(7);
  const made = todoIdFactory();
  const reference = referenceIdFactory();
  const paths = [[], ['A'], ['A', 'B c'], ['Ünï']];
  const seen = new Set<string>();
  for (let i = 0; i < 200_000; i++) {
    // Mostly one key (as in `TODO\n` × 200,000), the rest varied. A path is sometimes a fresh copy
    // of an earlier one: two sections with the same path (the factory caches by array) share keys.
    const path = pick(rand, paths);
    const args: [string, string[], string, string] =
      rand() < 0.9
        ? ['TODO', [], '', '']
        : [pick(rand, ['TODO', 'FIXME']), rand() < 0.5 ? [...path] : path, pick(rand, ['', 'q', 'why?']), pick(rand, ['', 'a b'])];
    const id = made(...args);
    assert.equal(id, reference(...args));
    if (!/^t-[0-9a-f]{8}$/.test(id) || seen.has(id)) assert.fail(id);
    seen.add(id);
  }
  // A collision: two questions whose first ids hash alike (found by search); the second is rehashed.
  const [first, second] = [todoIdFactory(), referenceIdFactory()].map((f) => [f('TODO', [], 'gjevylcj', ''), f('TODO', [], 'yrgpgzmb', '')]);
  assert.deepEqual(first, second);
  assert.notEqual(first[1], `t-${fnvHex('TODO\u0000\u0000yrgpgzmb\u00000')}`);
  assert.equal(fnvHex('TODO\u0000\u0000gjevylcj\u00000'), fnvHex('TODO\u0000\u0000yrgpgzmb\u00000'));
});
