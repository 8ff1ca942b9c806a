import katex from 'katex';
import { MAX_FORMULA_LENGTH, renderKatex } from './render/katexGuard';
import { LineIndex } from './lines';
import { parseNotes } from './parse';
import type { MathError, MathSpan, ParseOptions, ParseResult } from './types';

export interface CheckMathOptions extends ParseOptions {
  readonly macros?: Readonly<Record<string, string>>;
}

/** Inline math that VS Code's plugin renders in display mode anyway. */
const DISPLAY_ENVIRONMENT = /\\begin\{(align|equation|gather|cd|alignat)\}/i;

/** Source offset of `span.content[index]`, through the span's segments (prefix-stripped lines). */
export function mathContentToSource(span: MathSpan, index: number): number {
  const segments = span.segments;
  if (!segments || segments.length === 0) return span.contentOffset + index;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].contentStart <= index) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo].sourceOffset + Math.max(0, index - segments[lo].contentStart);
}

/**
 * Runs every math span through KaTeX exactly as the preview renders it and reports each error at
 * the source range of the offending token (KaTeX's `ParseError.position`/`length` index the TeX
 * string; the span's segments map that back through list and blockquote prefixes).
 */
export function checkMath(input: string | { readonly text: string; readonly parse?: ParseResult }, options: CheckMathOptions = {}): MathError[] {
  const text = typeof input === 'string' ? input : input.text;
  const parse = typeof input === 'string' || !input.parse ? parseNotes(text, options) : input.parse;
  const lines = new LineIndex(text);
  const errors: MathError[] = [];
  for (const span of parse.math) {
    const error = checkSpan(span, options.macros);
    if (!error) continue;
    let range = span.span.range;
    if (error.position !== undefined) {
      const length = Math.max(error.length ?? 0, 1);
      const start = mathContentToSource(span, error.position);
      const end = mathContentToSource(span, Math.max(error.position, error.position + length - 1)) + 1;
      const clampedStart = Math.min(Math.max(start, span.span.startOffset), span.span.endOffset);
      let clampedEnd = Math.min(Math.max(end, clampedStart), span.span.endOffset);
      // KaTeX's token for a control word includes the spaces after it.
      while (clampedEnd > clampedStart + 1 && /\s/.test(text[clampedEnd - 1])) clampedEnd--;
      range = lines.range(clampedStart, clampedEnd);
    }
    errors.push({ message: error.message, range, math: span });
  }
  return errors;
}

interface SpanError {
  readonly message: string;
  /** Index into `span.content`. */
  readonly position?: number;
  readonly length?: number;
}

function checkSpan(span: MathSpan, macros: Readonly<Record<string, string>> | undefined): SpanError | undefined {
  let tex = span.content;
  let shift = 0;
  // The plugin renders `$`…`$` without the backticks.
  if (!span.display && tex.length > 2 && tex.startsWith('`') && tex.endsWith('`')) {
    tex = tex.slice(1, -1);
    shift = 1;
  }
  if (tex.length > MAX_FORMULA_LENGTH) {
    return { message: `Formula is too long to check (${tex.length} characters, limit ${MAX_FORMULA_LENGTH})` };
  }
  const displayMode = span.display || DISPLAY_ENVIRONMENT.test(tex);
  try {
    renderKatex(tex, { macros, displayMode });
    return undefined;
  } catch (e) {
    if (e instanceof katex.ParseError) {
      const position = typeof e.position === 'number' ? e.position + shift : undefined;
      return { message: e.rawMessage || e.message, position, length: typeof e.length === 'number' ? e.length : undefined };
    }
    return { message: e instanceof Error ? e.message : String(e) };
  }
}
