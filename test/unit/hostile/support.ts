/**
 * Shared helpers of the hostile-input suite: a seeded PRNG, the notes corpus, and the invariants
 * every parse result must satisfy whatever the input (ranges agree with offsets, spans lie inside
 * the text, sections nest).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mulberry32 } from '../../../src/core/demos/rng';
import type { ParseResult, Position, SourceSpan } from '../../../src/core';

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

/** mulberry32: tiny, fast, good enough to drive a fuzzer reproducibly from one 32-bit seed. */
export function prng(seed: number): () => number {
  return mulberry32(seed);
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

export function int(rand: () => number, lo: number, hiExclusive: number): number {
  return lo + Math.floor(rand() * (hiExclusive - lo));
}

/** CPU time of `run` in ms, the best of `times` (the machine is shared; the minimum is the least noisy). */
export function cpuMs(run: () => void, times = 3): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

export interface Corpus {
  readonly name: string;
  readonly text: string;
}

function markdownFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(p);
    return e.name.endsWith('.md') ? [p] : [];
  });
}

/** The real notes of `notes/` and the raw seed (the core's fixture copy, else the shared original). */
export function realNotes(): Corpus[] {
  const out: Corpus[] = markdownFiles(path.join(repoRoot, 'notes'))
    .sort()
    .map((p) => ({ name: path.relative(repoRoot, p), text: fs.readFileSync(p, 'utf8') }));
  for (const p of [path.join(repoRoot, 'test', 'fixtures', 'seed.md'), path.join(repoRoot, '..', 'shared', 'seed', '000_2c48dc0d66e6265d.txt')]) {
    if (fs.existsSync(p)) {
      out.push({ name: path.relative(repoRoot, p), text: fs.readFileSync(p, 'utf8') });
      break;
    }
  }
  return out;
}

/** Line starts, counting `\r\n`, `\r` and `\n` as line ends (as VS Code does). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

export function positionAt(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

function checkSpan(text: string, starts: readonly number[], span: SourceSpan, what: string): void {
  assert.ok(Number.isInteger(span.startOffset) && Number.isInteger(span.endOffset), `${what}: integer offsets`);
  assert.ok(0 <= span.startOffset && span.startOffset <= span.endOffset && span.endOffset <= text.length, `${what}: offsets ${span.startOffset}..${span.endOffset} inside 0..${text.length}`);
  assert.deepEqual(
    { start: { ...span.range.start }, end: { ...span.range.end } },
    { start: positionAt(starts, span.startOffset), end: positionAt(starts, span.endOffset) },
    `${what}: range agrees with offsets ${span.startOffset}..${span.endOffset} (${JSON.stringify(text.slice(span.startOffset, span.endOffset).slice(0, 60))})`,
  );
}

/**
 * What any parse result must satisfy, whatever the input: every span lies in the text and its
 * line/column range agrees with its offsets; a TODO's span starts with its tag (or is a task
 * item); math spans hold their content; sections form a tree rooted at index 0.
 */
export function assertWellFormed(text: string, result: ParseResult, tags: readonly string[] = ['TODO', 'FIXME']): void {
  // parseNotes never throws; without this a parser crash would pass for a note with no TODOs.
  assert.equal(result.failure, undefined, `the parser failed internally: ${result.failure}`);
  const starts = lineStarts(text);
  assert.equal(result.lineCount, starts.length, 'lineCount counts \\r\\n, \\r and \\n line ends');
  assert.ok(result.sections.length >= 1 && result.sections[0].level === 0, 'section 0 is the root');
  result.sections.forEach((s, i) => {
    assert.equal(s.index, i, 'section index');
    if (i > 0) {
      assert.ok(s.parent !== undefined && s.parent < i, `section ${i} has an earlier parent`);
      assert.ok(result.sections[s.parent].children.includes(i), `section ${i} listed by its parent`);
      assert.ok(s.level >= 1 && s.level <= 6, `section ${i} level`);
    }
    assert.ok(0 <= s.startLine && s.startLine <= s.endLine && s.endLine <= result.lineCount, `section ${i} lines ${s.startLine}..${s.endLine} of ${result.lineCount}`);
  });
  result.todos.forEach((todo, i) => {
    checkSpan(text, starts, todo.span, `todo ${i}`);
    const own = text.slice(todo.span.startOffset, todo.span.endOffset);
    if (todo.tag !== 'task') {
      assert.ok(tags.includes(todo.tag), `todo ${i}: tag ${todo.tag} is configured`);
      assert.ok(own.includes(todo.tag), `todo ${i}: its span ${JSON.stringify(own.slice(0, 80))} holds its tag`);
    }
    assert.ok(todo.sectionIndex >= 0 && todo.sectionIndex < result.sections.length, `todo ${i}: section index`);
    assert.deepEqual([...todo.sectionPath], [...result.sections[todo.sectionIndex].path], `todo ${i}: section path`);
    assert.equal(todo.status === 'resolved', todo.answer !== undefined, `todo ${i}: answer present iff resolved`);
  });
  const ids = new Set(result.todos.map((t) => t.id));
  assert.equal(ids.size, result.todos.length, 'TODO ids are unique');
  result.math.forEach((m, i) => {
    checkSpan(text, starts, m.span, `math ${i}`);
    assert.ok(m.span.startOffset <= m.contentOffset && m.contentOffset <= m.span.endOffset, `math ${i}: content starts inside its span`);
    // `segments` map content back to the source: in order, inside the span, pointing at the same
    // characters (up to markdown-it's normalisation: line ends, tabs, NUL → U+FFFD).
    const segments = m.segments ?? [{ contentStart: 0, sourceOffset: m.contentOffset }];
    let previous = { contentStart: -1, sourceOffset: m.contentOffset };
    for (const seg of segments) {
      const label = `math ${i} (${JSON.stringify(text.slice(m.span.startOffset, m.span.endOffset).slice(0, 60))}): segment ${JSON.stringify(seg)}`;
      assert.ok(seg.contentStart > previous.contentStart && seg.contentStart <= m.content.length, `${label}: content positions increase`);
      assert.ok(seg.sourceOffset >= previous.sourceOffset && seg.sourceOffset <= m.span.endOffset, `${label}: source offsets increase inside the span`);
      const c = m.content[seg.contentStart];
      const normalised = c === undefined || c === '\n' || c === ' ' || c === '\uFFFD';
      if (!normalised) assert.equal(text[seg.sourceOffset], c, `${label}: points at the same character`);
      previous = seg;
    }
  });
}
