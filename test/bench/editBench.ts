/**
 * The TODO tree refresh after a one-character edit, in the core: the full path the extension takes
 * today (parse the document's new text, rebuild the tree model) beside the core's incremental path
 * (`updateSnapshot` with the edit, then the same tree model), which the extension does not use yet.
 * Goal: under 16 ms (one frame) for a 3.2 MB note.
 */
import { isDeepStrictEqual } from 'node:util';
import { createSnapshot, parseNotes, updateSnapshot } from '../../src/core';
import type { NotesSnapshot, ParseResult, TextChange } from '../../src/core';
import { buildTodoTree } from '../../src/core/todoTree';
import { round, timeInterleaved, type Timing, type TimingPlan } from './measure';
import { utf8Bytes } from './corpus';

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
  /** `updateSnapshot` + tree model, typing and deleting the character in turn (median ms). */
  readonly coreIncrementalMs: number;
  /** The path `updateSnapshot` took for the measured edit (`incremental`, or `full` and why). */
  readonly coreIncrementalPath: string;
  readonly coreIncrementalReparsedChars: number;
  readonly coreVsFullParse: IncrementalCheck;
  readonly timings: Record<string, Timing>;
}

export interface IncrementalCheck {
  /** The whole result (sections, TODOs, math, line count) deep-equal to `parseNotes`. */
  readonly equal: boolean;
  readonly idsEqual: number;
  readonly ids: number;
}

function compareWithFullParse(incremental: ParseResult, full: ParseResult): IncrementalCheck {
  return {
    equal: isDeepStrictEqual(incremental, full),
    idsEqual: full.todos.filter((t, i) => incremental.todos[i]?.id === t.id).length,
    ids: full.todos.length,
  };
}

export function treeModel(parse: ParseResult): ReturnType<typeof buildTodoTree> {
  return buildTodoTree([{ key: 'file:///bench/notes.md', path: 'notes.md', parse }], { showResolved: false });
}

export function benchTreeRefresh(text: string, plan: TimingPlan = { warmup: 3, runs: 11 }): TreeRefreshResult {
  const edit = oneCharEdit(text);
  const parsedAfter = parseNotes(edit.after);
  const typed: TextChange = { startOffset: edit.offset, endOffset: edit.offset, newText: edit.inserted };
  const deleted: TextChange = { startOffset: edit.offset, endOffset: edit.offset + edit.inserted.length, newText: '' };
  const probe = updateSnapshot(createSnapshot(edit.before), [typed]);
  // A burst of edits on one evolving snapshot (typing the character, deleting it, …), so each run
  // pays what the next keystroke would.
  let snapshot: NotesSnapshot = createSnapshot(edit.before);
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
      coreIncremental: () => {
        const typing = snapshot.text.length === edit.before.length;
        // The host's text, as the extension would pass its TextDocument's getText().
        snapshot = updateSnapshot(snapshot, [typing ? typed : deleted], { text: typing ? edit.after : edit.before });
        return treeModel(snapshot.result);
      },
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
    coreIncrementalMs: round(timings.coreIncremental.medianMs, 3),
    coreIncrementalPath: probe.update.path + (probe.update.reason ? ` (${probe.update.reason})` : ''),
    coreIncrementalReparsedChars: probe.update.reparsedChars,
    coreVsFullParse: compareWithFullParse(probe.result, parsedAfter),
    timings,
  };
}
