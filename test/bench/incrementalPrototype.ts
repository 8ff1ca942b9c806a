/**
 * A measured feasibility prototype — not a product path — of the incremental re-parse the TODO tree
 * needs for the 16 ms goal on a 3.2 MB note: re-parse only the section the edit falls in (with its
 * ancestor headings as a prefix, so section paths come out right) and splice the result into the
 * previous parse, shifting what follows. It uses only the public core API (`parseNotes`), so it
 * cannot reproduce TODO ids whose occurrence counter depends on earlier sections; the bench
 * compares its TODOs, math and ids with a full parse and reports exactly what differs.
 * See the report for the core API that would make this exact.
 */
import { parseNotes } from '../../src/core';
import { lastAtOrBefore } from '../../src/core/lines';
import type { MathSpan, ParseResult, Section, SourceSpan, Todo } from '../../src/core';

export interface IncrementalState {
  readonly text: string;
  readonly parse: ParseResult;
  /** Offset of the start of each line of `text`. */
  readonly lineStarts: Int32Array;
  /** Characters the last update parsed again (prefix included). */
  readonly reparsedBytes: number;
}

export function initialState(text: string): IncrementalState {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return { text, parse: parseNotes(text), lineStarts: Int32Array.from(starts), reparsedBytes: text.length };
}

/** The innermost section holding `line`: the last section starting at or before it. */
function sectionAt(sections: readonly Section[], line: number): Section {
  let found = sections[0];
  for (const s of sections) if (s.index > 0 && s.startLine <= line && s.startLine >= found.startLine) found = s;
  return found;
}

function shiftSpan(span: SourceSpan, offsetDelta: number, lineDelta: number): SourceSpan {
  return {
    startOffset: span.startOffset + offsetDelta,
    endOffset: span.endOffset + offsetDelta,
    range: {
      start: { line: span.range.start.line + lineDelta, character: span.range.start.character },
      end: { line: span.range.end.line + lineDelta, character: span.range.end.character },
    },
  };
}

/**
 * Applies a single-line insertion of `inserted` (no line break) at `offset`. Returns the new state,
 * or undefined when this prototype cannot handle the edit (the caller then parses in full).
 */
export function applyInsertion(state: IncrementalState, offset: number, inserted: string): IncrementalState | undefined {
  if (/[\r\n]/.test(inserted)) return undefined;
  const { parse, lineStarts } = state;
  const text = state.text.slice(0, offset) + inserted + state.text.slice(offset);
  const delta = inserted.length;
  const line = lastAtOrBefore(lineStarts, offset);
  const section = sectionAt(parse.sections, line);
  // An edit on a heading line can change the tree itself: leave it to a full parse.
  if (section.index > 0 && section.startLine === line) return undefined;
  const next = parse.sections.find((s) => s.index > 0 && s.startLine > section.startLine && s.startLine > line);
  const chunkStartLine = section.index === 0 ? 0 : section.startLine;
  const chunkEndLine = next ? next.startLine : lineStarts.length;
  const chunkStart = lineStarts[chunkStartLine];
  const oldChunkEnd = chunkEndLine < lineStarts.length ? lineStarts[chunkEndLine] : state.text.length;

  // Ancestor headings first, so that the chunk's section paths are the document's.
  const ancestors: Section[] = [];
  for (let p = section.parent; p !== undefined && p > 0; p = parse.sections[p].parent) ancestors.unshift(parse.sections[p]);
  const prefix = ancestors.map((a) => `${'#'.repeat(a.level)} ${a.title}\n\n`).join('');
  const prefixLines = ancestors.length * 2;
  // Built from the old text's pieces: slicing the new 3 MB string would flatten it (a full copy).
  const chunkText = prefix + state.text.slice(chunkStart, offset) + inserted + state.text.slice(offset, oldChunkEnd);
  const chunk = parseNotes(chunkText);

  const toDoc = (span: SourceSpan): SourceSpan => shiftSpan(span, chunkStart - prefix.length, chunkStartLine - prefixLines);
  const inChunk = (s: SourceSpan) => s.startOffset >= prefix.length;
  const before = <T extends { span: SourceSpan }>(xs: readonly T[]) => xs.filter((x) => x.span.startOffset < chunkStart);
  const after = <T extends { span: SourceSpan }>(xs: readonly T[]) => xs.filter((x) => x.span.startOffset >= oldChunkEnd);

  const todos: Todo[] = [
    ...before(parse.todos),
    ...chunk.todos.filter((t) => inChunk(t.span)).map((t) => ({ ...t, span: toDoc(t.span), sectionIndex: section.index })),
    ...after(parse.todos).map((t) => ({ ...t, span: shiftSpan(t.span, delta, 0) })),
  ];
  const math: MathSpan[] = [
    ...before(parse.math),
    ...chunk.math.filter((m) => inChunk(m.span)).map((m) => ({ ...m, span: toDoc(m.span), contentOffset: m.contentOffset + chunkStart - prefix.length, segments: undefined })),
    ...after(parse.math).map((m) => ({ ...m, span: shiftSpan(m.span, delta, 0), contentOffset: m.contentOffset + delta, segments: undefined })),
  ];
  const starts = lineStarts.slice();
  for (let i = line + 1; i < starts.length; i++) starts[i] += delta;
  return { text, parse: { ...parse, todos, math }, lineStarts: starts, reparsedBytes: chunkText.length };
}

export interface IncrementalCheck {
  readonly todosMatch: boolean;
  readonly mathMatch: boolean;
  readonly idsMatch: number;
  readonly ids: number;
}

/** How the prototype's result compares with a full parse of the same text. */
export function compareWithFullParse(incremental: ParseResult, full: ParseResult): IncrementalCheck {
  const todoKey = (t: Todo) => `${t.tag}|${t.text}|${t.status}|${t.span.startOffset}|${t.span.endOffset}|${t.sectionPath.join('/')}`;
  const mathKey = (m: MathSpan) => `${m.display}|${m.content}|${m.span.startOffset}|${m.span.endOffset}`;
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const ids = full.todos.filter((t, i) => incremental.todos[i]?.id === t.id).length;
  return {
    todosMatch: same(incremental.todos.map(todoKey), full.todos.map(todoKey)),
    mathMatch: same(incremental.math.map(mathKey), full.math.map(mathKey)),
    idsMatch: ids,
    ids: full.todos.length,
  };
}
