import katex from 'katex';
import { MAX_FORMULA_LENGTH, renderKatex } from './render/katexGuard';
import { LineIndex } from './lines';
import { parseNotes } from './parse';
import { type FormulaPlan, planNoteMath } from './render/noteMath';
import { texShift } from './render/formula';
import type { MathError, MathSpan, ParseOptions, ParseResult, Range } from './types';
import { errorMessage } from './errors';
import { partitionPoint } from './partitionPoint';

export interface CheckMathOptions extends ParseOptions {
  /** The note's macros from settings and `.lectern/macros.tex`; formulas add their own in order. */
  readonly macros?: Readonly<Record<string, string>>;
  /** Render only these spans (the diagnostics skip formulas the cache knows render). */
  readonly only?: (span: MathSpan) => boolean;
}

/** Source offset of `span.content[index]`, through the span's segments (prefix-stripped lines). */
export function mathContentToSource(span: MathSpan, index: number): number {
  const segments = span.segments;
  if (!segments || segments.length === 0) return span.contentOffset + index;
  const lo = Math.max(0, partitionPoint(segments.length, (i) => segments[i].contentStart <= index) - 1);
  return segments[lo].sourceOffset + Math.max(0, index - segments[lo].contentStart);
}

/**
 * Runs every math span through KaTeX exactly as the preview renders it — one macro scope per note,
 * as VS Code's preview (see `planNoteMath`) — and reports each error at the source range of the
 * offending token (KaTeX's `ParseError.position`/`length` index the TeX string; the span's segments
 * map that back through list and blockquote prefixes).
 *
 * One diagnostic per cause: a refused definition is reported once at the definition (and applied),
 * and an undefined control sequence once at its first use in the note, with the count of the others.
 * `options.only` limits which spans are rendered (the scope still comes from every span before).
 */
export function checkMath(input: string | { readonly text: string; readonly parse?: ParseResult }, options: CheckMathOptions = {}): MathError[] {
  const text = typeof input === 'string' ? input : input.text;
  const parse = typeof input === 'string' || !input.parse ? parseNotes(text, options) : input.parse;
  const lines = new LineIndex(text);
  const plans = planNoteMath(parse.math, options.macros);
  const errors: MathError[] = [];
  const undefinedMacros = new Map<string, { index: number; uses: number }>();
  parse.math.forEach((span, i) => {
    if (options.only && !options.only(span)) return;
    const plan = plans[i];
    const shift = texShift(span);
    const at = (position: number | undefined, length: number | undefined): Range => sourceRange(text, lines, span, position === undefined ? undefined : position + shift, length);
    for (const problem of plan.problems) {
      errors.push({ message: problem.message, range: at(problem.position, problem.length), math: span, code: problem.code });
    }
    if (plan.problems.some((p) => p.code === 'bad-definition')) return;
    const error = checkPlan(plan);
    if (!error) return;
    const undefinedMacro = /^Undefined control sequence: (\\\S+)/.exec(error.message)?.[1];
    if (undefinedMacro) {
      const seen = undefinedMacros.get(undefinedMacro);
      if (seen) {
        seen.uses++;
        return;
      }
      undefinedMacros.set(undefinedMacro, { index: errors.length, uses: 1 });
    }
    errors.push({
      message: error.message,
      range: at(error.position, error.length),
      math: span,
      ...(undefinedMacro ? { code: 'undefined-macro' as const, macro: undefinedMacro } : {}),
    });
  });
  for (const [name, { index, uses }] of undefinedMacros) {
    if (uses > 1) errors[index] = { ...errors[index], message: `Undefined control sequence: ${name} (used in ${uses} formulas of this note; define it once)` };
  }
  return errors;
}

function sourceRange(text: string, lines: LineIndex, span: MathSpan, position: number | undefined, length: number | undefined): Range {
  if (position === undefined) return span.span.range;
  const size = Math.max(length ?? 0, 1);
  const start = mathContentToSource(span, position);
  const end = mathContentToSource(span, Math.max(position, position + size - 1)) + 1;
  const clampedStart = Math.min(Math.max(start, span.span.startOffset), span.span.endOffset);
  let clampedEnd = Math.min(Math.max(end, clampedStart), span.span.endOffset);
  // KaTeX's token for a control word includes the spaces after it.
  while (clampedEnd > clampedStart + 1 && /\s/.test(text[clampedEnd - 1])) clampedEnd--;
  return lines.range(clampedStart, clampedEnd);
}

interface PlanError {
  readonly message: string;
  /** Index into the plan's TeX. */
  readonly position?: number;
  readonly length?: number;
}

function checkPlan(plan: FormulaPlan): PlanError | undefined {
  const tex = plan.tex;
  if (tex.length > MAX_FORMULA_LENGTH) {
    return { message: `Formula is too long to check (${tex.length} characters, limit ${MAX_FORMULA_LENGTH})` };
  }
  try {
    renderKatex(tex, { macros: plan.macros, displayMode: plan.displayMode });
    return undefined;
  } catch (e) {
    if (e instanceof katex.ParseError) {
      return { message: e.rawMessage || e.message, position: typeof e.position === 'number' ? e.position : undefined, length: typeof e.length === 'number' ? e.length : undefined };
    }
    return { message: errorMessage(e) };
  }
}
