import type { Position, Range, SourceSpan } from './types';
import { partitionPoint } from './partitionPoint';

/**
 * Index of the last entry of an ascending, non-empty array that is `<= value` (0 when none is):
 * the binary search behind every offset → line lookup.
 */
export function lastAtOrBefore(sorted: ArrayLike<number>, value: number): number {
  return Math.max(0, partitionPoint(sorted.length, (i) => sorted[i] <= value) - 1);
}

/**
 * Line starts of a text, computed once, so every offset ↔ position conversion is a binary search
 * instead of a scan. Line breaks are `\r\n`, `\r` and `\n`, as in VS Code and markdown-it.
 */
export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: readonly number[];

  constructor(readonly text: string) {
    const starts = [0];
    const n = text.length;
    if (!text.includes('\r')) {
      // Only `\n` breaks: found natively instead of by a loop over every character.
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) starts.push(nl + 1);
      this.starts = starts;
      return;
    }
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * The line last found by `lineAt`: the parser asks for offsets in ascending order (a TODO-dense
   * paragraph asks 400,000 times), so the answer is usually that line or the next, checked before
   * a binary search over every line start.
   */
  private hint = 0;

  /** The line containing `offset` (offsets on a line break belong to the line it ends). */
  lineAt(offset: number): number {
    const starts = this.starts;
    const n = starts.length;
    const h = this.hint;
    if (starts[h] <= offset) {
      if (h + 1 >= n || offset < starts[h + 1]) return h;
      if (h + 2 >= n || offset < starts[h + 2]) return (this.hint = h + 1);
    }
    return (this.hint = lastAtOrBefore(starts, offset));
  }

  /** Offset just past the line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    const next = this.starts[line + 1];
    if (this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13) return next - 2;
    return next - 1;
  }

  lineText(line: number): string {
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }

  /** The line break that ends `line` (`''` for the last line). */
  lineBreak(line: number): string {
    return this.text.slice(this.lineEnd(line), line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(clamped);
    return { line, character: clamped - this.starts[line] };
  }

  offsetAt(position: Position): number {
    const line = Math.max(0, Math.min(position.line, this.starts.length - 1));
    return Math.min(this.starts[line] + Math.max(0, position.character), this.lineEnd(line));
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  span(startOffset: number, endOffset: number): SourceSpan {
    return { range: this.range(startOffset, endOffset), startOffset, endOffset };
  }
}

/**
 * markdown-it sees a normalised copy of the text: no byte-order mark, every line break `\n`.
 * Lines and columns are the same in both (apart from the BOM on line 0), so offsets map through
 * (line, column) without per-character tables.
 */
export class NormalizedText {
  readonly normalized: string;
  readonly original: LineIndex;
  readonly lines: LineIndex;
  private readonly bom: number;
  private readonly identity: boolean;

  constructor(text: string) {
    this.bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const body = this.bom ? text.slice(1) : text;
    const lf = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
    // markdown-it replaces NUL by U+FFFD itself; doing it here keeps its strings equal to ours.
    this.normalized = lf.includes('\0') ? lf.replace(/\0/g, '\uFFFD') : lf;
    this.identity = this.bom === 0 && this.normalized.length === text.length;
    this.original = new LineIndex(text);
    this.lines = this.identity ? this.original : new LineIndex(this.normalized);
  }

  /** Offset in the original text of a normalised offset. */
  toOriginal(offset: number): number {
    if (this.identity) return offset;
    const line = this.lines.lineAt(offset);
    const column = offset - this.lines.starts[line];
    return this.original.starts[line] + column + (line === 0 ? this.bom : 0);
  }

  /** Offset in the normalised text of an original offset (line breaks count as one character). */
  toNormalized(offset: number): number {
    if (this.identity) return offset;
    const line = this.original.lineAt(offset);
    const column = Math.max(0, offset - this.original.starts[line] - (line === 0 ? this.bom : 0));
    return Math.min(this.lines.starts[line] + column, this.lines.lineEnd(line) + (line + 1 < this.lines.lineCount ? 1 : 0));
  }
}
