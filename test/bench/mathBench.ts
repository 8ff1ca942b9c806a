/**
 * Math rendering of the notes: every formula cold (empty cache) and warm (cached), the whole
 * preview render cold and warm, and how many formulas KaTeX renders again after a one-character
 * edit inside one formula (goal: 1 — the cache keys on the formula's source).
 */
import { parseNotes } from '../../src/core';
import { MathRenderCache } from '../../src/core/render/mathCache';
import { NotesRenderer } from '../../src/core/render/renderNotes';
import { round, summarize, nowMs, type TimingPlan } from './measure';

export interface MathBenchResult {
  readonly formulas: number;
  readonly distinctFormulas: number;
  readonly coldMs: number;
  readonly warmMs: number;
  readonly previewColdMs: number;
  readonly previewWarmMs: number;
  readonly previewAfterEditMs: number;
  readonly rerenderedAfterEdit: number;
  readonly editWhere: string;
}

/** Inserts one character at the start of the middle formula's TeX (keeps simple formulas valid). */
export function editInsideOneFormula(text: string): { after: string; where: string } {
  const math = parseNotes(text).math.filter((m) => m.content.trim().length > 0);
  if (math.length === 0) throw new Error('no formula to edit');
  const target = math[Math.floor(math.length / 2)];
  const at = target.contentOffset;
  const line = target.span.range.start.line + 1;
  return { after: text.slice(0, at) + 'a' + text.slice(at), where: `formula ${JSON.stringify(target.content.slice(0, 30))} (line ${line})` };
}

export function benchMath(texts: readonly string[], plan: TimingPlan = { warmup: 2, runs: 9 }): MathBenchResult {
  const formulas = texts.flatMap((t) => parseNotes(t).math).map((m) => ({ tex: m.content, display: m.display }));
  const distinct = new Set(formulas.map((f) => `${f.display}\u0000${f.tex}`)).size;

  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < plan.warmup + plan.runs; i++) {
    const cache = new MathRenderCache();
    let start = nowMs();
    for (const f of formulas) cache.render(f.tex, f.display, {});
    const c = nowMs() - start;
    start = nowMs();
    for (const f of formulas) cache.render(f.tex, f.display, {});
    const w = nowMs() - start;
    if (cache.stats().misses !== distinct) throw new Error(`cache rendered ${cache.stats().misses} formulas for ${distinct} distinct ones`);
    if (i >= plan.warmup) {
      cold.push(c);
      warm.push(w);
    }
  }

  // The preview end to end: a fresh renderer (cold), the same text again (warm), then one edit.
  const previewCold: number[] = [];
  const previewWarm: number[] = [];
  const previewEdit: number[] = [];
  const biggest = texts.reduce((a, b) => (b.length > a.length ? b : a), '');
  const edit = editInsideOneFormula(biggest);
  let rerendered = Number.NaN;
  for (let i = 0; i < plan.warmup + plan.runs; i++) {
    const renderer = new NotesRenderer();
    let start = nowMs();
    for (const t of texts) renderer.render(t);
    const c = nowMs() - start;
    start = nowMs();
    for (const t of texts) renderer.render(t);
    const w = nowMs() - start;
    start = nowMs();
    const afterEdit = renderer.render(edit.after);
    const e = nowMs() - start;
    rerendered = afterEdit.formulasRendered;
    if (i >= plan.warmup) {
      previewCold.push(c);
      previewWarm.push(w);
      previewEdit.push(e);
    }
  }

  return {
    formulas: formulas.length,
    distinctFormulas: distinct,
    coldMs: round(summarize(cold).medianMs, 3),
    warmMs: round(summarize(warm).medianMs, 3),
    previewColdMs: round(summarize(previewCold).medianMs, 3),
    previewWarmMs: round(summarize(previewWarm).medianMs, 3),
    previewAfterEditMs: round(summarize(previewEdit).medianMs, 3),
    rerenderedAfterEdit: rerendered,
    editWhere: edit.where,
  };
}
