import type { MathSpan } from '../../core';
import type { MathMacros } from '../../core/render/macros';
import { MAX_FORMULA_LENGTH, type MathRenderCache } from '../../core/render/mathCache';
import { planNoteMath } from '../../core/render/noteMath';
import { nextTurn } from '../model/nextTurn';

/** Longest stretch of KaTeX work before yielding to the extension host's event loop. */
const SLICE_MS = 16;

/**
 * Renders a note's formulas into the shared cache in short slices, yielding between them, so a
 * cold note (hundreds of formulas, about a second of KaTeX on a slow machine) never blocks the
 * extension host; the preview's synchronous render then only meets cache hits. Returns the spans
 * that failed (for the diagnostics), or `undefined` when `stale()` says the work is obsolete.
 * Formulas are planned as the preview renders them: one macro scope per note, in document order.
 */
export async function warmFormulas(
  spans: readonly MathSpan[],
  cache: MathRenderCache,
  macros: MathMacros,
  stale: () => boolean,
): Promise<MathSpan[] | undefined> {
  const failed: MathSpan[] = [];
  const plans = planNoteMath(spans, macros);
  let sliceStart = performance.now();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    const plan = plans[i];
    if (span.content.length > MAX_FORMULA_LENGTH || plan.problems.length > 0) {
      failed.push(span);
      continue;
    }
    if (cache.render(plan.tex, plan.displayMode, plan.macros, plan.key).error !== undefined) failed.push(span);
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      if (stale()) return undefined;
      sliceStart = performance.now();
    }
  }
  return failed;
}

