import { lastAtOrBefore } from './lines';
import { type BlockStart, type HeadingInfo, type ParserCarry, type RawParse, type RawTodo, failedParse, finishParse, parseRaw } from './parse';
import type { MathSpan, ParseOptions, ParseResult, SourceSpan } from './types';

/**
 * Versioned parses of one note, updated incrementally: after an edit only the top-level blocks
 * around it are parsed again and spliced into the previous parse, and the final pass (sections,
 * slugs, TODO ids, which count occurrences over the whole note) runs over the spliced lists, so the
 * result is the one `parseNotes` gives for the new text — ids included. Modelled on how the
 * Markdown language service versions documents: a snapshot is immutable, `updateSnapshot` takes
 * the content changes of one document version (applied in order, as in LSP incremental sync) and
 * returns the next snapshot.
 *
 * Why a window of blocks is enough: markdown-it parses top-level blocks with no state between them
 * but the line number (and the reference definitions, and Lectern's own carry across paragraphs).
 * The window starts one block before the edit (whose end may depend on the edited line: setext
 * underlines, lazy continuation, a list swallowing an indented line) and runs a few lines into the
 * first block after the edit. If, parsed on its own, the window still has a block starting exactly
 * where that next block started, with the same carry, everything from there on parses as before
 * and is kept (shifted); otherwise (an unclosed fence or `$$` now swallowing the rest, a comment
 * left open, a reference definition added or removed, front matter) the note is parsed in full.
 */

/** One change, in offsets of the text it applies to (the text after the previous change). */
export interface TextChange {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly newText: string;
}

/** Why an update parsed the whole note instead of a window. */
export type FullParseReason =
  /** The first parse of a snapshot chain. */
  | 'initial'
  /** The window would start at a `---` first line: front matter reaches arbitrarily far. */
  | 'frontMatter'
  /** The window defines, or may have defined, `[label]: url` references that other blocks see. */
  | 'references'
  /** After the edit, the block that followed it no longer starts where it did (or not fresh). */
  | 'structure'
  /** The previous parse failed, or the window parse did. */
  | 'failure';

export interface SnapshotUpdate {
  readonly path: 'full' | 'incremental';
  /** Set when `path` is `full`. */
  readonly reason?: FullParseReason;
  /** Characters handed to the parser (the window with the edit applied, or the whole text). */
  readonly reparsedChars: number;
}

/** The parse of one version of a note. Immutable; `updateSnapshot` makes the next one. */
export interface NotesSnapshot {
  readonly version: number;
  readonly text: string;
  readonly options: ParseOptions;
  /** What `parseNotes(text, options)` returns. */
  readonly result: ParseResult;
  /** How this snapshot was made (the last change's path when a version had several changes). */
  readonly update: SnapshotUpdate;
}

/** What the next update needs: the raw parse in note coordinates and the line index. */
interface SnapshotState {
  readonly raw: RawParse;
  readonly lineStarts: Int32Array;
}

const states = new WeakMap<NotesSnapshot, SnapshotState>();

/** Lines past the start of the first block after the edit that the window parse sees. */
const LOOKAHEAD_LINES = 3;

const INITIAL_CARRY: ParserCarry = { inComment: false };

export function createSnapshot(text: string, options: ParseOptions = {}, version = 0): NotesSnapshot {
  return fullSnapshot(text, options, version, 'initial');
}

/**
 * The snapshot of `version` after `changes` (each in offsets of the text the previous one left).
 * Throws a RangeError for a change outside the text: the host's document and snapshot disagree.
 */
export function updateSnapshot(snapshot: NotesSnapshot, changes: readonly TextChange[], version = snapshot.version + 1): NotesSnapshot {
  let current = snapshot;
  for (const change of changes) current = applyChange(current, change, version);
  if (current === snapshot) return withVersion(snapshot, version);
  return current.version === version ? current : withVersion(current, version);
}

function withVersion(snapshot: NotesSnapshot, version: number): NotesSnapshot {
  const next: NotesSnapshot = { ...snapshot, version };
  const state = states.get(snapshot);
  if (state) states.set(next, state);
  return next;
}

function fullSnapshot(text: string, options: ParseOptions, version: number, reason: FullParseReason): NotesSnapshot {
  let snapshot: NotesSnapshot;
  let state: SnapshotState | undefined;
  try {
    const raw = parseRaw(text, options);
    state = { raw, lineStarts: Int32Array.from(raw.lineStarts) };
    snapshot = { version, text, options, result: finishParse(raw, raw.lineStarts.length), update: { path: 'full', reason, reparsedChars: text.length } };
  } catch (err) {
    if (options.strict) throw err;
    snapshot = { version, text, options, result: failedParse(text, err), update: { path: 'full', reason, reparsedChars: text.length } };
  }
  if (state) states.set(snapshot, state);
  return snapshot;
}

function applyChange(snapshot: NotesSnapshot, change: TextChange, version: number): NotesSnapshot {
  const old = snapshot.text;
  const { startOffset: start, endOffset: end, newText: inserted } = change;
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= old.length)) {
    throw new RangeError(`change ${start}–${end} is outside the text (length ${old.length})`);
  }
  const text = old.slice(0, start) + inserted + old.slice(end);
  const state = states.get(snapshot);
  if (!state) return fullSnapshot(text, snapshot.options, version, 'failure');
  const { raw, lineStarts } = state;
  const lineCount = lineStarts.length;
  const blocks = raw.blocks;

  // The window: from the block before the one holding the edit, to a few lines into the first
  // block after it.
  const editStartLine = lastAtOrBefore(lineStarts, start);
  const editEndLine = lastAtOrBefore(lineStarts, end);
  const at = lastBlockAtOrBefore(blocks, editStartLine);
  let windowLine = at >= 1 ? blocks[at - 1].line : 0;
  let carry = at >= 1 ? blocks[at - 1].carry : INITIAL_CARRY;
  // Front matter ends at its closing fence whatever follows: the window may start right after it.
  if (windowLine === 0 && raw.contentStartLine > 0 && editStartLine >= raw.contentStartLine) {
    windowLine = raw.contentStartLine;
    carry = INITIAL_CARRY;
  }
  const next = firstBlockAfter(blocks, editEndLine);
  const nextBlock = next < blocks.length ? blocks[next] : undefined;
  const windowEndLine = nextBlock ? Math.min(nextBlock.line + LOOKAHEAD_LINES, lineCount) : lineCount;
  const windowStart = lineStarts[windowLine];
  const oldWindowEnd = windowEndLine < lineCount ? lineStarts[windowEndLine] : old.length;
  // Built from the old text's pieces: slicing the new string would flatten it (a full copy).
  const windowText = old.slice(windowStart, start) + inserted + old.slice(end, oldWindowEnd);
  const reparsedChars = windowText.length;
  const full = (reason: FullParseReason) => fullSnapshot(text, snapshot.options, version, reason);

  const startsDocument = windowLine === 0;
  if (startsDocument && /^\uFEFF?---[ \t]*(?:\r\n?|\n|$)/.test(windowText)) return full('frontMatter');
  const hasReferences = Object.keys(raw.references).length > 0;
  if (hasReferences && (windowText.includes(']:') || old.slice(windowStart, oldWindowEnd).includes(']:'))) return full('references');

  let win: RawParse;
  try {
    win = parseRaw(windowText, snapshot.options, { carry, references: raw.references, startsDocument });
  } catch {
    return full('failure');
  }
  if (Object.keys(win.references).length > 0) return full('references');

  // Old lines in the window (its LineIndex counts the empty line after a final line break).
  const oldWindowLines = windowEndLine < lineCount ? windowEndLine - windowLine + 1 : lineCount - windowLine;
  const lineDelta = win.lineStarts.length - oldWindowLines;
  const offsetDelta = inserted.length - (end - start);
  // In window coordinates, the line where the first block after the edit starts now.
  const keptFrom = nextBlock ? nextBlock.line - windowLine + lineDelta : Number.POSITIVE_INFINITY;
  if (nextBlock) {
    const resumed = win.blocks.find((b) => b.line === keptFrom);
    if (!resumed || !sameCarry(resumed.carry, nextBlock.carry)) return full('structure');
  }

  const fromWindow: Shift = { offset: windowStart, line: windowLine };
  const fromTail: Shift = { offset: offsetDelta, line: lineDelta };
  const tailLine = nextBlock ? nextBlock.line : Number.POSITIVE_INFINITY;
  const splice = <T>(oldItems: readonly T[], windowItems: readonly T[], lineOf: (item: T) => number, shift: (item: T, by: Shift) => T): T[] => {
    const out: T[] = [];
    for (const item of oldItems) if (lineOf(item) < windowLine) out.push(item);
    for (const item of windowItems) if (lineOf(item) < keptFrom) out.push(shift(item, fromWindow));
    for (const item of oldItems) if (lineOf(item) >= tailLine) out.push(shift(item, fromTail));
    return out;
  };
  const spanLine = (item: { readonly span: SourceSpan }) => item.span.range.start.line;

  const starts = new Int32Array(lineCount + lineDelta);
  starts.set(lineStarts.subarray(0, windowLine));
  const windowLines = windowEndLine < lineCount ? win.lineStarts.length - 1 : win.lineStarts.length;
  for (let i = 0; i < windowLines; i++) starts[windowLine + i] = win.lineStarts[i] + windowStart;
  for (let i = windowEndLine; i < lineCount; i++) starts[i + lineDelta] = lineStarts[i] + offsetDelta;

  const spliced: RawParse = {
    headings: splice(raw.headings, win.headings, (h) => h.line, shiftHeading),
    todos: splice(raw.todos, win.todos, spanLine, shiftTodo),
    math: splice(raw.math, win.math, spanLine, shiftMath),
    blocks: splice(blocks, win.blocks, (b) => b.line, shiftBlock),
    contentStartLine: startsDocument ? win.contentStartLine : raw.contentStartLine,
    references: raw.references,
    lineStarts: [],
  };
  const result = finishParse(spliced, starts.length);
  const snap: NotesSnapshot = { version, text, options: snapshot.options, result, update: { path: 'incremental', reparsedChars } };
  states.set(snap, { raw: spliced, lineStarts: starts });
  return snap;
}

function sameCarry(a: ParserCarry, b: ParserCarry): boolean {
  return a.inComment === b.inComment;
}

/** Index of the last block starting at or before `line`, or -1. */
function lastBlockAtOrBefore(blocks: readonly BlockStart[], line: number): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid].line <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first block starting after `line` (`blocks.length` when none does). */
function firstBlockAfter(blocks: readonly BlockStart[], line: number): number {
  return lastBlockAtOrBefore(blocks, line) + 1;
}

interface Shift {
  readonly offset: number;
  readonly line: number;
}

function shiftSpan(span: SourceSpan, by: Shift): SourceSpan {
  const { start, end } = span.range;
  return {
    range: { start: { line: start.line + by.line, character: start.character }, end: { line: end.line + by.line, character: end.character } },
    startOffset: span.startOffset + by.offset,
    endOffset: span.endOffset + by.offset,
  };
}

function shiftHeading(h: HeadingInfo, by: Shift): HeadingInfo {
  return { ...h, line: h.line + by.line };
}

function shiftTodo(t: RawTodo, by: Shift): RawTodo {
  return { ...t, span: shiftSpan(t.span, by) };
}

function shiftMath(m: MathSpan, by: Shift): MathSpan {
  return {
    ...m,
    span: shiftSpan(m.span, by),
    contentOffset: m.contentOffset + by.offset,
    ...(m.segments ? { segments: m.segments.map((s) => ({ contentStart: s.contentStart, sourceOffset: s.sourceOffset + by.offset })) } : {}),
  };
}

function shiftBlock(b: BlockStart, by: Shift): BlockStart {
  return { line: b.line + by.line, carry: b.carry };
}
