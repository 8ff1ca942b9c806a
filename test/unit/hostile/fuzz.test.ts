/**
 * Random mutation fuzzing of the real notes and the seed, from a fixed PRNG seed (reproducible:
 * a failure names its iteration; rerun with LECTERN_FUZZ_SEED / LECTERN_FUZZ_ITERATIONS to vary).
 * Every mutant must parse well-formed; every TODO picked must resolve → reopen byte-identically,
 * with the resolve visible in the parse, touching nothing outside the TODO's own text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdit, parseNotes, reopenTodo, resolveTodo } from '../../../src/core';
import type { ParseResult, Todo } from '../../../src/core';
import { assertWellFormed, int, pick, prng, realNotes } from './support';

const SEED = Number(process.env.LECTERN_FUZZ_SEED ?? 0x1ec7e7);
const ITERATIONS = Number(process.env.LECTERN_FUZZ_ITERATIONS ?? 300);

/** Fragments that matter to Markdown, math and TODO recognition. */
const FRAGMENTS = [
  '$', '$$', '\\$', '`', '```', '~~~', '\n', '\r\n', '\r', '\n\n', '#', '## ', '*', '**', '_', '~~', '[', ']', '(', ')',
  '](', '<', '>', '> ', '|', '- ', '- [ ] ', '- [x] ', '1. ', '    ', '\t', '\\', '{', '}', '^', 'TODO', 'TODO:', '(TODO)',
  ' TODO ', 'FIXME: ', 'TODOS', 'todo', '~~TODO~~', ' **Answer: x**', '**Answer:', '\u0000', '\uFEFF', '\u2028', 'é', '😀',
  '\uD800', '---\n', '<!-- ', ' -->', '&amp;', '\\begin{align}', '\\end{align}', '[^1]', '![a](b)', '<http://x>',
];

const ANSWERS = ['', 'yes', 'local patterns combine into parts', 'with **bold**, `code`, $x^2$ and [a](b)', 'two\nlines', '  padded  ', 'ends with \\', 'a TODO inside', ']) ~~ ** |', 'ünïcödé 😀', '\r\n'];

function mutate(rand: () => number, text: string): { text: string; ops: string[] } {
  const ops: string[] = [];
  let t = text;
  const n = int(rand, 1, 5);
  for (let i = 0; i < n; i++) {
    const at = int(rand, 0, t.length + 1);
    switch (int(rand, 0, 6)) {
      case 0:
      case 1: {
        const f = pick(rand, FRAGMENTS);
        t = t.slice(0, at) + f + t.slice(at);
        ops.push(`insert ${JSON.stringify(f)} at ${at}`);
        break;
      }
      case 2: {
        const len = int(rand, 1, 40);
        t = t.slice(0, at) + t.slice(at + len);
        ops.push(`delete ${len} at ${at}`);
        break;
      }
      case 3: {
        const len = int(rand, 1, 200);
        const to = int(rand, 0, t.length + 1);
        t = t.slice(0, to) + t.slice(at, at + len) + t.slice(to);
        ops.push(`copy ${len} from ${at} to ${to}`);
        break;
      }
      case 4: {
        const c = String.fromCharCode(int(rand, 0, 0x3000));
        t = t.slice(0, at) + c + t.slice(at + 1);
        ops.push(`replace char at ${at} with U+${c.charCodeAt(0).toString(16)}`);
        break;
      }
      default: {
        t = t.slice(0, at);
        ops.push(`truncate at ${at}`);
      }
    }
  }
  return { text: t, ops };
}

/** A window of a few KB (so 300 iterations stay fast), or now and then the whole file. */
function excerpt(rand: () => number, text: string): string {
  if (rand() < 0.15 || text.length < 4000) return text;
  const len = int(rand, 500, 8000);
  const start = int(rand, 0, Math.max(1, text.length - len));
  return text.slice(start, start + len);
}

const lonelyLf = (s: string) => (s.match(/(?<!\r)\n/g) ?? []).length;

/** Checks one resolve → reopen round trip; returns a refusal message, or undefined on success. */
function roundTrip(text: string, before: ParseResult, todo: Todo, answer: string): string | undefined {
  const resolved = resolveTodo(text, todo.id, answer);
  if (!resolved.ok) {
    assert.ok(resolved.error.length > 0 && !/undefined|\[object/.test(resolved.error), `refusal has a clear message: ${resolved.error}`);
    return resolved.error;
  }
  const { edit } = resolved;
  assert.ok(edit.startOffset >= todo.span.startOffset && edit.endOffset <= todo.span.endOffset, 'the edit stays inside the TODO’s own span');
  const after = text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset);
  assert.equal(applyEdit(text, edit), after, 'applyEdit is the plain splice');
  assert.equal(lonelyLf(after), lonelyLf(text), 'no bare \\n introduced (CRLF stays CRLF)');
  const parsed = parseNotes(after);
  assertWellFormed(after, parsed);
  const mine = parsed.todos.find((t) => t.id === todo.id);
  assert.ok(mine, 'the resolved TODO keeps its id');
  assert.equal(mine.status, 'resolved');
  assert.equal(mine.answer, answer.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ').trim(), 'the answer reads back');
  // Nothing else changed: every other TODO is still there, same id, text and status.
  const others = (r: ParseResult) => r.todos.filter((t) => t.id !== todo.id).map((t) => `${t.id}|${t.status}|${t.text}`);
  assert.deepEqual(others(parsed), others(before), 'other TODOs unchanged');
  assert.equal(parsed.math.length, before.math.length, 'math spans unchanged in number');
  assert.equal(parsed.sections.length, before.sections.length, 'sections unchanged in number');

  const reopened = reopenTodo(after, todo.id);
  assert.ok(reopened.ok, `reopen after resolve works: ${reopened.ok ? '' : reopened.error}`);
  assert.equal(applyEdit(after, reopened.edit), text, 'resolve → reopen is byte-identical');
  return undefined;
}

interface FuzzOutcome {
  roundTrips: number;
  refusals: string[];
  failures: string[];
}

function fuzz(): FuzzOutcome {
  const corpus = realNotes();
  assert.ok(corpus.length > 0, 'no notes and no seed to fuzz');
  const rand = prng(SEED);
  const outcome: FuzzOutcome = { roundTrips: 0, refusals: [], failures: [] };
  for (let i = 0; i < ITERATIONS; i++) {
    const source = pick(rand, corpus);
    const { text, ops } = mutate(rand, excerpt(rand, source.text));
    const where = `iteration ${i} (${source.name}: ${ops.join('; ')})`;
    try {
      const parsed = parseNotes(text);
      assertWellFormed(text, parsed);
      const open = parsed.todos.filter((t) => t.status === 'open');
      if (open.length > 0) {
        const todo = pick(rand, open);
        const refusal = roundTrip(text, parsed, todo, pick(rand, ANSWERS));
        if (refusal) outcome.refusals.push(`${where}: ${refusal}`);
        else outcome.roundTrips++;
      }
    } catch (e) {
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      // Keep the failing input for a one-line repro.
      const file = path.join(os.tmpdir(), `lectern-fuzz-${SEED}-${i}.md`);
      fs.writeFileSync(file, text);
      outcome.failures.push(`${where}: ${message}\n    input kept in ${file}`);
    }
  }
  return outcome;
}

test(`mutation fuzzing: ${ITERATIONS} mutants of the notes and the seed (seed ${SEED})`, () => {
  const { failures, roundTrips, refusals } = fuzz();
  assert.deepEqual(failures, [], `${failures.length} of ${ITERATIONS} mutants failed`);
  assert.ok(roundTrips >= ITERATIONS / 4, `only ${roundTrips} round trips in ${ITERATIONS} iterations (${refusals.length} refused: ${refusals.slice(0, 3).join(' | ')})`);
  // A refusal is safe (nothing is written) but should stay the exception.
  assert.ok(refusals.length <= roundTrips / 10, `${refusals.length} refusals vs ${roundTrips} round trips: ${refusals.slice(0, 5).join(' | ')}`);
});

/** The minimal repros of what this fuzzer found in the core (fixed in 3d4125c), kept as regressions. */
test('regressions found by the fuzzer', () => {
  const nul = 'a\u0000b TODO: x\n';
  const nulParse = parseNotes(nul);
  assertWellFormed(nul, nulParse);
  assert.equal(nul.slice(nulParse.todos[0].span.startOffset, nulParse.todos[0].span.endOffset), 'TODO: x', 'a NUL earlier on the line does not move the TODO');
  for (const text of ['$$x', 'a\n\n   $$', 'a\n\n$$x \\', '  $$']) assertWellFormed(text, parseNotes(text));
  // Striking a tag glued to `$…$` would turn the text before it into math: refuse or keep math as is.
  const glued = '- $a$TODO: b $c$.\n';
  const before = parseNotes(glued);
  const r = resolveTodo(glued, before.todos[0].id, '');
  if (r.ok) assert.equal(parseNotes(applyEdit(glued, r.edit)).math.length, before.math.length);
  else assert.match(r.error, /\S/);
});

test('every open TODO of the unmutated notes and seed resolves and reopens byte-identically', () => {
  for (const { name, text } of realNotes()) {
    const parsed = parseNotes(text);
    assertWellFormed(text, parsed);
    for (const todo of parsed.todos.filter((t) => t.status === 'open')) {
      const refusal = roundTrip(text, parsed, todo, `answer to ${todo.text.slice(0, 20)}`);
      assert.equal(refusal, undefined, `${name}: ${todo.id} (${todo.text}) refused: ${refusal}`);
    }
  }
});
