import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import katex from 'katex';
import { createMarkdownEngine, createParsingEngine, parseNotes } from '../../../src/core';
import { repoRoot } from './support';

/**
 * Parsing never evaluates KaTeX (src/core/engine.ts): the parser's engine has the same rules as the
 * renderer's but no KaTeX. These tests hold it to producing the same tokens, hence byte-identical
 * math spans, and to never calling KaTeX.
 */

const MATH_EDGE_CASES = [
  '$x^2$ and $$\\sum_i x_i$$ inline, $`1+1=2`$ with backticks',
  '$5 and $10 are prices, not math; \\$x\\$ is escaped',
  '$$\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n$$\n',
  '> $$\n> ab\n> cd\n> $$\n\n- item $y$\n  $$z$$\n',
  '```math\nE = mc^2\n```\n\n```\n$not math$\n```\n',
  '---\ntitle: $front matter$\n---\n# $H_1$ heading\n\n| a | $b$ |\n|---|---|\n| $c|d$ | e |\n',
  '$\\begin{equation}x\\end{equation}$ TODO: what is $\\mathbb{R}$? \\(x\\) $ x $ $x $',
];

function inputs(): { name: string; text: string }[] {
  const notes = path.join(repoRoot, 'notes');
  const fromNotes = fs.existsSync(notes)
    ? fs.readdirSync(notes).filter((f) => f.endsWith('.md')).map((f) => ({ name: `notes/${f}`, text: fs.readFileSync(path.join(notes, f), 'utf8') }))
    : [];
  const seed = path.join(repoRoot, 'test', 'fixtures', 'seed.md');
  const fromSeed = fs.existsSync(seed) ? [{ name: 'seed.md', text: fs.readFileSync(seed, 'utf8') }] : [];
  return [...fromNotes, ...fromSeed, ...MATH_EDGE_CASES.map((text, i) => ({ name: `edge case ${i}`, text }))];
}

test('the parsing engine produces exactly the tokens of the rendering engine', () => {
  const parsing = createParsingEngine();
  const rendering = createMarkdownEngine({ katex });
  let mathTokens = 0;
  for (const { name, text } of inputs()) {
    const a = parsing.parse(text, {});
    const b = rendering.parse(text, {});
    assert.deepEqual(a, b, name);
    for (const t of a) mathTokens += t.type.startsWith('math') ? 1 : (t.children ?? []).filter((c) => c.type.startsWith('math')).length;
  }
  assert.ok(mathTokens > 20, `the inputs exercise the math rules (${mathTokens} math tokens)`);
});

test('parseNotes finds math spans without ever calling KaTeX', (t) => {
  const renderToString = t.mock.method(katex, 'renderToString');
  const texts = inputs();
  let spans = 0;
  for (const { text } of texts) spans += parseNotes(text).math.length;
  assert.ok(spans > 20, `math spans found (${spans})`);
  assert.equal(renderToString.mock.callCount(), 0, 'KaTeX was called while parsing');
});

test('math spans of an edge case, byte for byte as before the split', () => {
  const text = MATH_EDGE_CASES[3];
  const spans = parseNotes(text).math.map((m) => [text.slice(m.span.startOffset, m.span.endOffset), m.content, m.display]);
  assert.deepEqual(spans, [
    ['$$\n> ab\n> cd\n> $$', 'ab\ncd\n', true],
    ['$y$', 'y', false],
    ['$$z$$', 'z\n', true],
  ]);
});

test('the parsing engine refuses to render math instead of calling KaTeX', () => {
  const html = createParsingEngine().render('$x$');
  assert.match(html, /katex-error/);
  assert.match(html, /cannot render math/);
});
