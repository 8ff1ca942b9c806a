/**
 * The TODO tree refresh after a one-character edit, end to end in the core, as the extension does
 * it: take the document's new text, parse it, rebuild the tree model. Goal: under 16 ms (one frame)
 * for a 3.2 MB note.
 */
import { parseNotes } from '../../src/core';
import type { ParseResult } from '../../src/core';
import { buildTodoTree } from '../../src/core/todoTree';
import { round, timeInterleaved, type Timing, type TimingPlan } from './measure';
import { utf8Bytes } from './corpus';
import { applyInsertion, compareWithFullParse, initialState, type IncrementalCheck } from './incrementalPrototype';

export interface EditCase {
  /** The text before the edit. */
  readonly before: string;
  /** The text after inserting one character. */
  readonly after: string;
  readonly offset: number;
  readonly inserted: string;
  readonly where: string;
}

/**
 * A one-character insertion into the question of the TODO nearest the middle of the text (the edit
 * a student makes while rewording a question; it changes what the tree shows). Falls back to the
 * middle line when the text has no TODO.
 */
export function oneCharEdit(text: string, parsed: ParseResult = parseNotes(text)): EditCase {
  const middle = text.length / 2;
  let best: { offset: number; where: string } | undefined;
  for (const todo of parsed.todos) {
    if (todo.text.length === 0) continue;
    const at = todo.span.endOffset - 1;
    if (!best || Math.abs(at - middle) < Math.abs(best.offset - middle)) {
      best = { offset: at, where: `inside TODO "${todo.text.slice(0, 40)}" (line ${todo.span.range.start.line + 1})` };
    }
  }
  if (!best) {
    const nl = text.indexOf('\n', Math.floor(middle));
    best = { offset: nl < 0 ? text.length : nl, where: 'end of the middle line' };
  }
  const inserted = 'x';
  return {
    before: text,
    after: text.slice(0, best.offset) + inserted + text.slice(best.offset),
    offset: best.offset,
    inserted,
    where: best.where,
  };
}

export interface TreeRefreshResult {
  readonly bytes: number;
  readonly where: string;
  readonly fullReparseMs: number;
  readonly parseOnlyMs: number;
  readonly treeOnlyMs: number;
  readonly todos: number;
  /** The section-level re-parse prototype (see incrementalPrototype.ts): median ms, or null if it declined. */
  readonly incrementalPrototypeMs: number | null;
  readonly incrementalChunkBytes: number | null;
  readonly incrementalCheck: IncrementalCheck | null;
  readonly timings: Record<string, Timing>;
}

export function treeModel(parse: ParseResult): ReturnType<typeof buildTodoTree> {
  return buildTodoTree([{ key: 'file:///bench/notes.md', path: 'notes.md', parse }], { showResolved: false });
}

export function benchTreeRefresh(text: string, plan: TimingPlan = { warmup: 3, runs: 11 }): TreeRefreshResult {
  const edit = oneCharEdit(text);
  const parsedAfter = parseNotes(edit.after);
  const state = initialState(edit.before);
  const probe = applyInsertion(state, edit.offset, edit.inserted);
  let flip = false;
  const timings = timeInterleaved(
    {
      // Alternate between the two texts so no run can profit from having seen the same string.
      fullRefresh: () => {
        flip = !flip;
        return treeModel(parseNotes(flip ? edit.after : edit.before));
      },
      parseOnly: () => parseNotes(edit.after),
      treeOnly: () => treeModel(parsedAfter),
      // Falls back to a full parse when the prototype declines the edit, as a product would.
      incrementalPrototype: () => treeModel(applyInsertion(state, edit.offset, edit.inserted)?.parse ?? parseNotes(edit.after)),
    },
    plan,
    true,
  );
  return {
    bytes: utf8Bytes(text),
    where: edit.where,
    fullReparseMs: round(timings.fullRefresh.medianMs, 3),
    parseOnlyMs: round(timings.parseOnly.medianMs, 3),
    treeOnlyMs: round(timings.treeOnly.medianMs, 3),
    todos: parsedAfter.todos.length,
    incrementalPrototypeMs: probe ? round(timings.incrementalPrototype.medianMs, 3) : null,
    incrementalChunkBytes: probe ? probe.reparsedBytes : null,
    incrementalCheck: probe ? compareWithFullParse(probe.parse, parsedAfter) : null,
    timings,
  };
}

