import type { MathSpan } from '../types';

/**
 * What a math span of a note is as a formula: the TeX KaTeX gets and whether it renders as display.
 * The rules of VS Code's math plugin, in one place for the check, the diagnostics, the hover, the
 * preview, its warm-up and the export (test/unit/render/formula.test.ts holds them to agreeing):
 *  - `$`…`$` is inline math with its backticks dropped (`$`1+1`$` renders `1+1`);
 *  - inline environments that only exist in display mode (`align`, `equation`, `gather`, `CD`,
 *    `alignat`) render as display.
 * The KaTeX options every render uses are `katexSettings` (katexOptions.ts), applied only by the
 * guarded entry (katexGuard.ts).
 */
export interface Formula {
  readonly tex: string;
  readonly displayMode: boolean;
}

type SpanSource = Pick<MathSpan, 'content' | 'display'>;

export function formulaOf(span: SpanSource): Formula {
  return { tex: texOf(span), displayMode: displayOf(span) };
}

/** The formula source as the plugin hands it to KaTeX (`$`…`$` drops its backticks). */
export function texOf(span: SpanSource): string {
  const tex = span.content;
  return !span.display && tex.length > 2 && tex.startsWith('`') && tex.endsWith('`') ? tex.slice(1, -1) : tex;
}

/** Where `texOf(span)[0]` sits in `span.content`. */
export function texShift(span: SpanSource): number {
  return texOf(span).length === span.content.length ? 0 : 1;
}

/** Inline environments that only exist in display mode render as display (the plugin's rule). */
export function displayOf(span: SpanSource): boolean {
  return span.display || /\\begin\{(align|equation|gather|cd|alignat)\}/i.test(texOf(span));
}
