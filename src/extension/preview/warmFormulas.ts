import type { MathSpan } from '../../core';
import type { MathMacros } from '../../core/render/macros';
import { MAX_FORMULA_LENGTH, type MathRenderCache } from '../../core/render/mathCache';

/** Longest stretch of KaTeX work before yielding to the extension host's event loop. */
const SLICE_MS = 16;

/**
 * Renders a note's formulas into the shared cache in short slices, yielding between them, so a
 * cold note (hundreds of formulas, about a second of KaTeX on a slow machine) never blocks the
 * extension host; the preview's synchronous render then only meets cache hits. Returns the spans
 * that failed (for the diagnostics), or `undefined` when `stale()` says the work is obsolete.
 */
export async function warmFormulas(
  spans: readonly MathSpan[],
  cache: MathRenderCache,
  macros: MathMacros,
  macrosKey: string,
  stale: () => boolean,
): Promise<MathSpan[] | undefined> {
  const failed: MathSpan[] = [];
  let sliceStart = performance.now();
  for (const span of spans) {
    if (span.content.length > MAX_FORMULA_LENGTH) {
      failed.push(span);
      continue;
    }
    if (cache.render(texOf(span), displayOf(span), macros, macrosKey).error !== undefined) failed.push(span);
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stale()) return undefined;
      sliceStart = performance.now();
    }
  }
  return failed;
}

/** The TeX KaTeX sees for a span, as the preview renders it (`$`…`$` drops its backticks). */
export function texOf(span: MathSpan): string {
  const tex = span.content;
  return !span.display && tex.length > 2 && tex.startsWith('`') && tex.endsWith('`') ? tex.slice(1, -1) : tex;
}

/** Inline environments that only exist in display mode render as display (the plugin's rule). */
export function displayOf(span: MathSpan): boolean {
  return span.display || /\\begin\{(align|equation|gather|cd|alignat)\}/i.test(texOf(span));
}
