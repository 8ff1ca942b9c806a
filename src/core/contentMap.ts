import type { LineIndex } from './lines';
import { partitionPoint } from './partitionPoint';

/**
 * Maps offsets in a string markdown-it derived from the source (a paragraph's inline content, a
 * math block's TeX) back to offsets in the (normalised) source.
 *
 * markdown-it builds those strings line by line, dropping each line's container prefix
 * (indentation, `>` markers, list markers) and trimming the ends; with tabs it may even add
 * spaces. So each content line is aligned to its source line on its own: usually it is the tail
 * of that line, otherwise it is searched for inside the line. The result is a list of pieces
 * (content offset → source offset) in increasing order; lookups are binary searches.
 */
export class ContentMap {
  private readonly contentStarts: number[] = [];
  private readonly sourceStarts: number[] = [];
  private readonly sourceLimits: number[] = [];
  /**
   * Set by `verbatim`: the content is the source from this offset on, so the pieces (one per
   * line) are implied and only made when asked for (`pieces`, a later `add`).
   */
  private verbatimStart = -1;
  private verbatimContent = '';

  /**
   * The content is `src.slice(sourceStart, sourceStart + content.length)`, and each of its lines a
   * whole source line (the first one's tail, the last one's head) up to its line break: the map
   * `add` would build with one piece per line, `[line start, line end + 1)`, held as one offset.
   * A top-level paragraph's content is that (a TODO-dense one has 200,000 lines).
   */
  verbatim(sourceStart: number, content: string): void {
    this.verbatimStart = sourceStart;
    this.verbatimContent = content;
  }

  private materialize(): void {
    const start = this.verbatimStart;
    if (start < 0) return;
    const content = this.verbatimContent;
    this.verbatimStart = -1;
    this.verbatimContent = '';
    for (let from = 0; ; ) {
      const nl = content.indexOf('\n', from);
      const end = nl < 0 ? content.length : nl;
      this.add(from, start + from, start + end + 1);
      if (nl < 0) break;
      from = nl + 1;
    }
  }

  /** Content `[cs, …)` is source `[ss, …)` up to `limit` (exclusive) in the source. */
  add(contentStart: number, sourceStart: number, limit: number): void {
    this.materialize();
    const n = this.contentStarts.length;
    if (n > 0 && this.contentStarts[n - 1] === contentStart) {
      this.sourceStarts[n - 1] = sourceStart;
      this.sourceLimits[n - 1] = limit;
      return;
    }
    this.contentStarts.push(contentStart);
    this.sourceStarts.push(sourceStart);
    this.sourceLimits.push(limit);
  }

  get pieces(): ReadonlyArray<{ contentStart: number; sourceStart: number }> {
    this.materialize();
    return this.contentStarts.map((contentStart, i) => ({ contentStart, sourceStart: this.sourceStarts[i] }));
  }

  /** Source offset of content offset `offset`. */
  toSource(offset: number): number {
    // Verbatim: every piece maps content to source one to one, and only past the end does the
    // last piece's limit (its line break + 1) clamp.
    if (this.verbatimStart >= 0) return this.verbatimStart + Math.min(Math.max(0, offset), this.verbatimContent.length + 1);
    const cs = this.contentStarts;
    if (cs.length === 0) return 0;
    const lo = Math.max(0, partitionPoint(cs.length, (i) => cs[i] <= offset) - 1);
    const mapped = this.sourceStarts[lo] + Math.max(0, offset - cs[lo]);
    return Math.min(mapped, this.sourceLimits[lo]);
  }

  /** Source offset just past content `[…, end)`: maps the last character, so ends never jump lines. */
  endToSource(end: number, start: number): number {
    return end > start ? this.toSource(end - 1) + 1 : this.toSource(start);
  }
}

/**
 * Fast path of `alignLine` for paragraph lines, without allocating the line's text: if
 * `content[from, to)` is the tail of source line `line`, adds the piece and returns true.
 */
export function alignTail(map: ContentMap, src: string, lines: LineIndex, line: number, content: string, from: number, to: number): boolean {
  if (line >= lines.lineCount) return false;
  const lineEnd = lines.lineEnd(line);
  const start = lineEnd - (to - from);
  if (to === from || start < lines.starts[line]) return false;
  for (let i = 0; i < to - from; i++) {
    if (content.charCodeAt(from + i) !== src.charCodeAt(start + i)) return false;
  }
  map.add(from, start, lineEnd + 1);
  return true;
}

/**
 * Aligns one content line `text` with source line `line`; `preferredEnd` is where the content
 * line is expected to end in the source (line end, or before a closing delimiter). Returns the
 * source offset of `text[0]`, after adding the pieces to `map`.
 */
export function alignLine(
  map: ContentMap,
  src: string,
  lines: LineIndex,
  line: number,
  text: string,
  contentStart: number,
  preferredEnd?: number,
  searchFrom?: number,
): number {
  const lineStart = lines.starts[Math.min(line, lines.lineCount - 1)];
  const lineEnd = lines.lineEnd(Math.min(line, lines.lineCount - 1));
  const limit = lineEnd + 1;
  if (text.length === 0) {
    const at = Math.min(preferredEnd ?? lineEnd, lineEnd);
    map.add(contentStart, at, limit);
    return at;
  }
  const from = Math.max(lineStart, searchFrom ?? lineStart);
  // The common case first: the content line is the tail of its source line.
  if (preferredEnd === undefined && lineEnd - text.length >= from && src.startsWith(text, lineEnd - text.length)) {
    map.add(contentStart, lineEnd - text.length, limit);
    return lineEnd - text.length;
  }
  const ends = preferredEnd === undefined ? [lineEnd, trimmedEnd(src, lineStart, lineEnd)] : [preferredEnd, lineEnd];
  // Tab expansion may have prefixed spaces that are not in the source: try without them too.
  let pad = 0;
  while (pad < text.length && text.charCodeAt(pad) === 32) pad++;
  for (const skip of pad > 0 ? [0, pad] : [0]) {
    const body = skip ? text.slice(skip) : text;
    if (body.length === 0) break;
    for (const end of ends) {
      const start = end - body.length;
      if (start >= from && src.startsWith(body, start)) {
        map.add(contentStart, start - skip, limit);
        if (skip) map.add(contentStart + skip, start, limit);
        return start - skip;
      }
    }
    const found = src.slice(from, lineEnd).indexOf(body);
    if (found >= 0) {
      const start = from + found;
      map.add(contentStart, start - skip, limit);
      if (skip) map.add(contentStart + skip, start, limit);
      return start - skip;
    }
  }
  // Characters were dropped (e.g. the backslash of `\|` in a table cell): walk both strings.
  return walkAlign(map, src, from, lineEnd, text, contentStart, limit);
}

function trimmedEnd(src: string, lineStart: number, lineEnd: number): number {
  let end = lineEnd;
  while (end > lineStart && isSpace(src.charCodeAt(end - 1))) end--;
  return end;
}

function walkAlign(map: ContentMap, src: string, from: number, lineEnd: number, text: string, contentStart: number, limit: number): number {
  let j = src.indexOf(text[0], from);
  if (j < 0 || j >= lineEnd) {
    map.add(contentStart, from, limit);
    return from;
  }
  const first = j;
  map.add(contentStart, j, limit);
  for (let i = 0; i < text.length && j < lineEnd; ) {
    if (src[j] === text[i]) {
      i++;
      j++;
      continue;
    }
    // Skip source characters the content lacks, then resume the one-to-one mapping.
    while (j < lineEnd && src[j] !== text[i]) j++;
    map.add(contentStart + i, j, limit);
  }
  return first;
}

/** What `String.prototype.trim` removes (markdown-it trims paragraph content with it). */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));
}
