/**
 * The CommonMark specification's own examples (652 documents nobody here wrote) through
 * `parseNotes`: none may throw, every result is well-formed, and no TODO is found where the
 * token stream of a bare markdown-it + KaTeX says there is code or math.
 *
 * Most examples never say "TODO", so each is also run in variants that put the tag into every
 * position the example exercises (code spans, fences, link destinations, emphasis, math).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotes } from '../../../src/core';
import type { ParseResult } from '../../../src/core';
import { assertWellFormed } from './support';
import { countTagWords, readTokens } from './tokenRanges';

interface SpecExample {
  readonly markdown: string;
  readonly section: string;
  readonly number: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const spec = require('commonmark-spec') as { tests: SpecExample[] };
// The spec writes tabs as '→' (its test runner swaps them back the same way).
const examples = spec.tests.map((e) => ({ ...e, markdown: e.markdown.replace(/→/g, '\t') }));

const TAGS = ['TODO', 'FIXME'] as const;

const variants: ReadonlyArray<{ name: string; apply: (md: string) => string }> = [
  { name: 'as written', apply: (md) => md },
  { name: 'foo → TODO', apply: (md) => md.replace(/\bfoo\b/g, 'TODO') },
  {
    name: 'bar → TODO: q, baz → FIXME, foo → $TODO$',
    apply: (md) => md.replace(/\bbar\b/g, 'TODO: q').replace(/\bbaz\b/g, 'FIXME').replace(/\bfoo\b/g, '$TODO$'),
  },
];

/** Returns the problems found (empty when the parse agrees with the token stream). */
function inconsistencies(markdown: string, result: ParseResult): string[] {
  const reading = readTokens(markdown);
  const problems: string[] = [];
  // parseNotes swallows internal errors and returns an empty document: catch that fallback here.
  if (reading.headings > 0 && result.sections.length === 1 && result.contentStartLine === 0) {
    problems.push(`markdown-it sees ${reading.headings} heading(s) but parseNotes returned none (an internal error swallowed?)`);
  }
  const groups = new Map<string, { todos: number; allowed: number; tag: string }>();
  for (const todo of result.todos) {
    const line = todo.span.range.start.line;
    const block = reading.codeOrMathBlocks.find((b) => b.start <= line && line < b.end);
    if (block) problems.push(`TODO ${JSON.stringify(todo.text)} on line ${line} lies in a ${block.type} (lines ${block.start}..${block.end - 1})`);
    if (todo.tag === 'task') continue;
    const covering = reading.inlines.map((g, i) => ({ g, i })).filter(({ g }) => g.start <= line && line < g.end);
    const key = `${todo.tag}@${covering.map((c) => c.i).join(',')}`;
    const prose = covering.map((c) => c.g.prose).join('\u0000');
    const entry = groups.get(key) ?? { todos: 0, allowed: countTagWords(prose, todo.tag), tag: todo.tag };
    entry.todos++;
    groups.set(key, entry);
  }
  for (const [key, g] of groups) {
    if (g.todos > g.allowed) {
      problems.push(`${g.todos} ${g.tag}(s) found in inline run ${key}, but its prose (code and math left out) holds the word ${g.allowed} time(s)`);
    }
  }
  return problems;
}

test('every CommonMark spec example parses, well-formed, in every variant', () => {
  assert.ok(examples.length > 600, `expected the full spec, got ${examples.length} examples`);
  const failures: string[] = [];
  for (const example of examples) {
    for (const variant of variants) {
      const markdown = variant.apply(example.markdown);
      try {
        assertWellFormed(markdown, parseNotes(markdown, { tags: TAGS }), TAGS);
      } catch (e) {
        failures.push(`example ${example.number} (${example.section}, ${variant.name}): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
    }
  }
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
});

test('no TODO inside code or math, by the token stream of a bare markdown-it + KaTeX', () => {
  const failures: string[] = [];
  let todosChecked = 0;
  let examplesWithCodeOrMathAndTag = 0;
  for (const example of examples) {
    for (const variant of variants) {
      const markdown = variant.apply(example.markdown);
      let result: ParseResult;
      try {
        result = parseNotes(markdown, { tags: TAGS });
      } catch {
        continue; // reported by the test above
      }
      todosChecked += result.todos.length;
      const reading = readTokens(markdown);
      if (/TODO|FIXME/.test(markdown) && (reading.hasInlineCodeOrMath || reading.codeOrMathBlocks.length > 0)) examplesWithCodeOrMathAndTag++;
      for (const p of inconsistencies(markdown, result)) failures.push(`example ${example.number} (${example.section}, ${variant.name}): ${p}\n    ${JSON.stringify(markdown)}`);
    }
  }
  // The variants must actually put tags next to code and math, or this test proves nothing.
  assert.ok(examplesWithCodeOrMathAndTag > 100, `only ${examplesWithCodeOrMathAndTag} documents mix a tag with code or math`);
  assert.ok(todosChecked > 200, `only ${todosChecked} TODOs were found across all variants`);
  assert.deepEqual(failures.slice(0, 15), [], `${failures.length} inconsistencies`);
});

test('the consistency check itself catches a TODO reported inside code', () => {
  // Guard against a check that cannot fail: feed it a fabricated TODO inside a code span.
  const markdown = 'a `TODO: not a question` b\n';
  const honest = parseNotes(markdown, { tags: TAGS });
  assert.deepEqual(inconsistencies(markdown, honest), []);
  const start = markdown.indexOf('TODO');
  const fabricated: ParseResult = {
    ...honest,
    todos: [
      {
        id: 'fabricated',
        tag: 'TODO',
        text: 'not a question',
        status: 'open',
        span: { startOffset: start, endOffset: start + 4, range: { start: { line: 0, character: start }, end: { line: 0, character: start + 4 } } },
        sectionIndex: 0,
        sectionPath: [],
      },
    ],
  };
  assert.equal(inconsistencies(markdown, fabricated).length, 1);
  const fenced = '```\nTODO: in a fence\n```\n';
  const inFence: ParseResult = { ...fabricated, todos: [{ ...fabricated.todos[0], span: { startOffset: 4, endOffset: 8, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } } } }] };
  assert.ok(inconsistencies(fenced, inFence).some((p) => p.includes('fence')));
});
