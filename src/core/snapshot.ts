import { lastAtOrBefore } from './lines';
import { type HeadingInfo, type ParserCarry, type RawParse, type RawTodo, type Shift, failedParse, finishParse, parseRaw, shiftMath, shiftSpan } from './parse';
import type { MathSpan, ParseOptions, ParseResult, SourceSpan } from './types';
import { partitionPoint } from './partitionPoint';

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
  /**
   * The window would start with what only the note's first line can hold: a `---` that opens front
   * matter (which reaches arbitrarily far), or U+FEFF, which there is a byte-order mark.
   */
  | 'documentStart'
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

/**
 * What the next update needs, in note coordinates. Block starts live in a typed array and math
 * spans are spliced lazily, because they are the long lists (tens of thousands in a 3 MB note):
 * shifting them on every keystroke would cost more than parsing the window, and the TODO tree,
 * the consumer that must keep up with typing, never reads math.
 */
interface SnapshotState {
  readonly raw: Omit<RawParse, 'blocks' | 'math' | 'lineStarts'>;
  readonly blockLines: Int32Array;
  readonly blockCarries: readonly ParserCarry[];
  readonly math: LazyMath;
  readonly lineStarts: Int32Array;
}

/**
 * The math spans of a snapshot, made on first read. A snapshot's list is its parent's with one
 * splice applied (the window's spans in, the tail shifted); unread splices pile up as a chain of
 * levels, and reading composes all of them in one pass: per level only references and two numbers
 * per span move, and each span is copied (shifted) once at the end. So reading after 30 unread
 * edits costs about what reading after one does — one copy of the note's spans — instead of 30.
 */
class LazyMath {
  private value: readonly MathSpan[] | undefined;
  private parent: LazyMath | undefined;
  private level: SpliceLevel | undefined;
  readonly depth: number;

  private constructor(value: readonly MathSpan[] | undefined, parent: LazyMath | undefined, level: SpliceLevel | undefined) {
    this.value = value;
    this.parent = parent;
    this.level = level;
    this.depth = parent ? parent.depth + 1 : 0;
  }

  static of(value: readonly MathSpan[]): LazyMath {
    return new LazyMath(value, undefined, undefined);
  }

  /** `parent`'s spans with the window's spans spliced in at `bounds`. */
  static spliced(parent: LazyMath, windowMath: readonly MathSpan[], bounds: SpliceBounds): LazyMath {
    const next = new LazyMath(undefined, parent, { windowMath, bounds });
    if (next.depth >= MAX_LAZY_DEPTH) next.get();
    return next;
  }

  get(): readonly MathSpan[] {
    if (this.value) return this.value;
    const levels: SpliceLevel[] = [this.level!];
    let base = this.parent!;
    while (!base.value) {
      levels.push(base.level!);
      base = base.parent!;
    }
    levels.reverse();
    let items: readonly MathSpan[] = base.value;
    let offsetBy = new Int32Array(items.length);
    let lineBy = new Int32Array(items.length);
    for (const { windowMath, bounds: b } of levels) {
      const size = items.length + windowMath.length;
      const nextItems: MathSpan[] = [];
      const nextOffset = new Int32Array(size);
      const nextLine = new Int32Array(size);
      let n = 0;
      const keep = (item: MathSpan, offset: number, line: number) => {
        nextItems.push(item);
        nextOffset[n] = offset;
        nextLine[n] = line;
        n++;
      };
      for (let i = 0; i < items.length; i++) if (spanLine(items[i]) + lineBy[i] < b.windowLine) keep(items[i], offsetBy[i], lineBy[i]);
      for (const item of windowMath) if (spanLine(item) < b.keptFrom) keep(item, b.fromWindow.offset, b.fromWindow.line);
      for (let i = 0; i < items.length; i++) {
        if (spanLine(items[i]) + lineBy[i] >= b.tailLine) keep(items[i], offsetBy[i] + b.fromTail.offset, lineBy[i] + b.fromTail.line);
      }
      items = nextItems;
      offsetBy = nextOffset;
      lineBy = nextLine;
    }
    this.value = items.map((m, i) => (offsetBy[i] === 0 && lineBy[i] === 0 ? m : shiftMath(m, { offset: offsetBy[i], line: lineBy[i] })));
    this.parent = undefined;
    this.level = undefined;
    return this.value;
  }
}

interface SpliceLevel {
  readonly windowMath: readonly MathSpan[];
  readonly bounds: SpliceBounds;
}

/** Unread math splices pile up at most this deep (each holds only its window's spans). */
const MAX_LAZY_DEPTH = 256;

const states = new WeakMap<NotesSnapshot, SnapshotState>();

/** Lines past the start of the first block after the edit that the window parse sees. */
const LOOKAHEAD_LINES = 3;

const INITIAL_CARRY: ParserCarry = { inComment: false };

/** engine.ts's front matter fences: `---` on the first line, closed by `---` or `...`. */
const FRONT_MATTER_OPEN = /^\uFEFF?---[^\S\r\n]*(?:\r\n?|\n|$)/;
const FRONT_MATTER_CLOSE = /(?:^|[\r\n])(?:---|\.\.\.)[ \t]*(?:[\r\n]|$)/;

export function createSnapshot(text: string, options: ParseOptions = {}, version = 0): NotesSnapshot {
  return fullSnapshot(text, options, version, 'initial');
}

export interface SnapshotUpdateOptions {
  /** Default: the previous version + 1. */
  readonly version?: number;
  /**
   * The text after the changes, when the host has it anyway (a `TextDocument`'s `getText()`).
   * Saves building it from the previous text, which in V8 copies the whole note on the next edit.
   */
  readonly text?: string;
}

/**
 * The snapshot after `changes` (each in offsets of the text the previous one left). Throws a
 * RangeError for a change outside the text, or a `text` whose length the changes do not give: the
 * host's document and the snapshot disagree.
 */
export function updateSnapshot(snapshot: NotesSnapshot, changes: readonly TextChange[], options: SnapshotUpdateOptions = {}): NotesSnapshot {
  return applyChanges(snapshot, changes, options, true);
}

/**
 * Like `updateSnapshot`, but returns `undefined` instead of parsing the whole note when some change
 * needs a full parse: the host can then parse off its main thread (`snapshotFromRaw`).
 */
export function tryUpdateSnapshot(snapshot: NotesSnapshot, changes: readonly TextChange[], options: SnapshotUpdateOptions = {}): NotesSnapshot | undefined {
  try {
    return applyChanges(snapshot, changes, options, false);
  } catch (err) {
    if (err === NEEDS_FULL_PARSE) return undefined;
    throw err;
  }
}

/** Thrown (and caught in `tryUpdateSnapshot`) where an update that may not parse in full would. */
const NEEDS_FULL_PARSE = new Error('this update needs a full parse');

/**
 * The snapshot of `text` from a `parseRaw(text, options)` made elsewhere (a worker thread: the raw
 * parse is plain data and crosses `postMessage`), ready for incremental updates.
 */
export function snapshotFromRaw(text: string, options: ParseOptions, version: number, raw: RawParse): NotesSnapshot {
  return fullSnapshot(text, options, version, 'initial', raw);
}

function applyChanges(snapshot: NotesSnapshot, changes: readonly TextChange[], options: SnapshotUpdateOptions, allowFull: boolean): NotesSnapshot {
  const version = options.version ?? snapshot.version + 1;
  let current = snapshot;
  changes.forEach((change, i) => {
    current = applyChange(current, change, version, i === changes.length - 1 ? options.text : undefined, allowFull);
  });
  if (current === snapshot) return withVersion(snapshot, version);
  return current.version === version ? current : withVersion(current, version);
}

function withVersion(snapshot: NotesSnapshot, version: number): NotesSnapshot {
  const next: NotesSnapshot = { ...snapshot, version };
  const state = states.get(snapshot);
  if (state) states.set(next, state);
  return next;
}

function fullSnapshot(text: string, options: ParseOptions, version: number, reason: FullParseReason, parsed?: RawParse): NotesSnapshot {
  let snapshot: NotesSnapshot;
  let state: SnapshotState | undefined;
  try {
    const raw = parsed ?? parseRaw(text, options);
    state = {
      raw,
      blockLines: Int32Array.from(raw.blocks, (b) => b.line),
      blockCarries: raw.blocks.map((b) => b.carry),
      math: LazyMath.of(raw.math),
      lineStarts: Int32Array.from(raw.lineStarts),
    };
    snapshot = { version, text, options, result: finishParse(raw, raw.lineStarts.length), update: { path: 'full', reason, reparsedChars: text.length } };
  } catch (err) {
    if (options.strict) throw err;
    snapshot = { version, text, options, result: failedParse(text, err), update: { path: 'full', reason, reparsedChars: text.length } };
  }
  if (state) states.set(snapshot, state);
  return snapshot;
}

function applyChange(snapshot: NotesSnapshot, change: TextChange, version: number, hostText: string | undefined, allowFull: boolean): NotesSnapshot {
  const old = snapshot.text;
  const { startOffset: start, endOffset: end, newText: inserted } = change;
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= old.length)) {
    throw new RangeError(`change ${start}–${end} is outside the text (length ${old.length})`);
  }
  const length = old.length - (end - start) + inserted.length;
  if (hostText !== undefined && hostText.length !== length) {
    throw new RangeError(`the text after the changes has length ${hostText.length}, the changes give ${length}`);
  }
  const text = hostText ?? old.slice(0, start) + inserted + old.slice(end);
  const full = (reason: FullParseReason) => {
    if (!allowFull) throw NEEDS_FULL_PARSE;
    return fullSnapshot(text, snapshot.options, version, reason);
  };
  const state = states.get(snapshot);
  if (!state) return full('failure');
  const { raw, lineStarts, blockLines, blockCarries } = state;
  const lineCount = lineStarts.length;

  // The window: from the block before the one holding the edit, to a few lines into the first
  // block after it.
  const editStartLine = lastAtOrBefore(lineStarts, start);
  const editEndLine = lastAtOrBefore(lineStarts, end);
  const at = countAtOrBefore(blockLines, editStartLine) - 1;
  let windowLine = at >= 1 ? blockLines[at - 1] : 0;
  let carry = at >= 1 ? blockCarries[at - 1] : INITIAL_CARRY;
  // Front matter ends at its closing fence whatever follows: the window may start right after it.
  if (windowLine === 0 && raw.contentStartLine > 0 && editStartLine >= raw.contentStartLine) {
    windowLine = raw.contentStartLine;
    carry = INITIAL_CARRY;
  }
  const next = countAtOrBefore(blockLines, editEndLine);
  const nextBlock = next < blockLines.length ? { line: blockLines[next], carry: blockCarries[next] } : undefined;
  const windowEndLine = nextBlock ? Math.min(nextBlock.line + LOOKAHEAD_LINES, lineCount) : lineCount;
  const windowStart = lineStarts[windowLine];
  const oldWindowEnd = windowEndLine < lineCount ? lineStarts[windowEndLine] : old.length;
  // Built from the old text's pieces: slicing the new string would flatten it (a full copy).
  const windowText = old.slice(windowStart, start) + inserted + old.slice(end, oldWindowEnd);
  const reparsedChars = windowText.length;

  const startsDocument = windowLine === 0;
  if (startsDocument ? FRONT_MATTER_OPEN.test(windowText) : windowText.charCodeAt(0) === 0xfeff) return full('documentStart');
  // A note that opens front matter without closing it: a closing line typed anywhere closes it.
  if (
    !startsDocument &&
    raw.contentStartLine === 0 &&
    FRONT_MATTER_OPEN.test(old.slice(0, lineCount > 1 ? lineStarts[1] : old.length)) &&
    FRONT_MATTER_CLOSE.test(windowText)
  ) {
    return full('documentStart');
  }
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

  const bounds: SpliceBounds = {
    windowLine,
    keptFrom,
    tailLine: nextBlock ? nextBlock.line : Number.POSITIVE_INFINITY,
    fromWindow: { offset: windowStart, line: windowLine },
    fromTail: { offset: offsetDelta, line: lineDelta },
  };
  const splice = <T>(oldItems: readonly T[], windowItems: readonly T[], lineOf: (item: T) => number, shift: (item: T, by: Shift) => T): T[] =>
    spliceItems(oldItems, windowItems, lineOf, shift, bounds);

  const starts = new Int32Array(lineCount + lineDelta);
  starts.set(lineStarts.subarray(0, windowLine));
  const windowLines = windowEndLine < lineCount ? win.lineStarts.length - 1 : win.lineStarts.length;
  for (let i = 0; i < windowLines; i++) starts[windowLine + i] = win.lineStarts[i] + windowStart;
  for (let i = windowEndLine; i < lineCount; i++) starts[i + lineDelta] = lineStarts[i] + offsetDelta;

  // Blocks: those before the window, the window's own up to the kept block, the rest shifted.
  const head = countAtOrBefore(blockLines, windowLine - 1);
  const ownBlocks = win.blocks.filter((b) => b.line < keptFrom);
  const tail = nextBlock ? next : blockLines.length;
  const lines = new Int32Array(head + ownBlocks.length + blockLines.length - tail);
  lines.set(blockLines.subarray(0, head));
  ownBlocks.forEach((b, i) => (lines[head + i] = b.line + windowLine));
  for (let i = tail, j = head + ownBlocks.length; i < blockLines.length; i++, j++) lines[j] = blockLines[i] + lineDelta;
  const carries = blockCarries.slice(0, head).concat(
    ownBlocks.map((b) => b.carry),
    blockCarries.slice(tail),
  );

  const oldMath = state.math;
  const math = LazyMath.spliced(oldMath, win.math, bounds);
  const spliced = {
    headings: splice(raw.headings, win.headings, (h) => h.line, shiftHeading),
    todos: splice(raw.todos, win.todos, spanLine, shiftTodo),
    contentStartLine: startsDocument ? win.contentStartLine : raw.contentStartLine,
    references: raw.references,
  };
  const result = withLazyMath(finishParse({ ...spliced, math: [], blocks: [], lineStarts: [] }, starts.length), math);
  const snap: NotesSnapshot = { version, text, options: snapshot.options, result, update: { path: 'incremental', reparsedChars } };
  states.set(snap, { raw: spliced, blockLines: lines, blockCarries: carries, math, lineStarts: starts });
  return snap;
}

/** Where a window's items go: before `windowLine` kept, the window's own up to `keptFrom`, the tail from `tailLine`. */
interface SpliceBounds {
  readonly windowLine: number;
  readonly keptFrom: number;
  readonly tailLine: number;
  readonly fromWindow: Shift;
  readonly fromTail: Shift;
}

function spliceItems<T>(
  oldItems: readonly T[],
  windowItems: readonly T[],
  lineOf: (item: T) => number,
  shift: (item: T, by: Shift) => T,
  b: SpliceBounds,
): T[] {
  const out: T[] = [];
  for (const item of oldItems) if (lineOf(item) < b.windowLine) out.push(item);
  for (const item of windowItems) if (lineOf(item) < b.keptFrom) out.push(shift(item, b.fromWindow));
  for (const item of oldItems) if (lineOf(item) >= b.tailLine) out.push(shift(item, b.fromTail));
  return out;
}

function spanLine(item: { readonly span: SourceSpan }): number {
  return item.span.range.start.line;
}

/** `result` with `math` read from `math` on first access: a plain enumerable property after that. */
function withLazyMath(result: ParseResult, math: LazyMath): ParseResult {
  const out = { ...result };
  Object.defineProperty(out, 'math', { enumerable: true, configurable: true, get: () => math.get() });
  return out;
}

/** How many entries of an ascending array are `<= value`. */
function countAtOrBefore(sorted: Int32Array, value: number): number {
  return partitionPoint(sorted.length, (i) => sorted[i] <= value);
}

function sameCarry(a: ParserCarry, b: ParserCarry): boolean {
  return a.inComment === b.inComment;
}

function shiftHeading(h: HeadingInfo, by: Shift): HeadingInfo {
  return { ...h, line: h.line + by.line };
}

function shiftTodo(t: RawTodo, by: Shift): RawTodo {
  return { ...t, span: shiftSpan(t.span, by) };
}
