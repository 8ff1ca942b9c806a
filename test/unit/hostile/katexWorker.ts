/**
 * Runs hostile formulas through every path where note TeX reaches KaTeX — the math check
 * (diagnostics, CLI), the preview's cached render, the hover's SVG — and posts what came out,
 * one message per formula. Runs in a worker thread so the test can kill it if KaTeX never returns
 * (the test then restarts a worker after the formula that hung).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkMath } from '../../../src/core';
import { renderFormula } from '../../../src/core/render/mathCache';
import { renderMathSvg } from '../../../src/core/render/mathSvg';

export interface KatexProbe {
  readonly tex: string;
  readonly display: boolean;
}

export interface PathOutcome {
  /** The error reported, if any. */
  readonly error?: string;
  /** Output produced (HTML or SVG), when it rendered. */
  readonly output?: string;
}

export interface KatexOutcome {
  readonly check: PathOutcome;
  readonly preview: PathOutcome;
  readonly hover: PathOutcome;
}

/** Only for the watchdog's own test: a probe that never returns, as a KaTeX hang would. */
export const HANG_FOR_TEST = '\u0000hang-for-watchdog-test';

function run(probe: KatexProbe): KatexOutcome {
  if (probe.tex === HANG_FOR_TEST) for (;;);
  // Display math on lines of its own; inline inside a sentence.
  const note = probe.display ? `Formula:\n\n$$\n${probe.tex}\n$$\n` : `Formula $${probe.tex}$ inline.\n`;
  const errors = checkMath(note);
  const rendered = renderFormula(probe.tex, probe.display, {});
  const svg = renderMathSvg(probe.tex, probe.display, {});
  return {
    check: errors.length ? { error: errors.map((e) => e.message).join('; ') } : {},
    preview: rendered.error !== undefined ? { error: rendered.error } : { output: rendered.html },
    hover: svg.ok ? { output: svg.svg } : { error: svg.error },
  };
}

/** `{ ready: true }` once the modules are loaded, then one report per probe. */
export type KatexReport = { readonly ready: true } | { readonly index: number; readonly outcome: KatexOutcome };

if (parentPort && workerData) {
  const { probes, from } = workerData as { probes: readonly KatexProbe[]; from: number };
  parentPort.postMessage({ ready: true } satisfies KatexReport);
  for (let index = from; index < probes.length; index++) {
    parentPort.postMessage({ index, outcome: run(probes[index]) } satisfies KatexReport);
  }
}
