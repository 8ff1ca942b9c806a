import katex, { type KatexOptions } from 'katex';
import type { KatexRenderer } from '../engine';
import type { KatexMacros } from './noteMath';
import { FORMULA_TOKEN_BUDGET, MAX_FORMULA_LENGTH, MAX_FORMULA_OUTPUT, katexSettings } from './katexOptions';

// The bounds live in katexOptions.ts (no KaTeX there, so the parser can share them without loading it).
export { FORMULA_TOKEN_BUDGET, KATEX_MAX_EXPAND, KATEX_MAX_SIZE, MAX_FORMULA_LENGTH, MAX_FORMULA_OUTPUT, katexSettings } from './katexOptions';

/**
 * The one door through which note TeX reaches KaTeX: the hardened options and a budget of work.
 *
 * Why a budget beyond `maxExpand`: `maxExpand` counts macro expansions, not what they produce.
 * `\def\a{x…(1 000 x)}\a\a…(200×)` expands 200 times (well under 1 000) into 200 000 symbols, and
 * KaTeX's builder then spends quadratic time on them (`tryCombineChars` splices one array per
 * symbol): 29 s for a 1.4 KB formula. Input length does not bound that either.
 *
 * The mechanism, chosen by measurement (see test/unit/hostile/formulaBudget.test.ts): KaTeX's
 * macro expander looks every token it hands to the parser up in the macros table
 * (`Namespace.get` → `macros.hasOwnProperty(name)`), expanded or not. The table we pass is a Proxy
 * that counts those look-ups and throws once a formula has consumed `FORMULA_TOKEN_BUDGET` of them,
 * *before* the parse tree, let alone the HTML, is built. Parse work, tree size and output size are
 * all proportional to tokens consumed, so one counter bounds work and output together; the output
 * length is checked as well, as a second line. A worker with a deadline was the alternative; it
 * costs a thread and a message round trip per formula, and the count makes it unnecessary: the
 * most expensive formula we could build that fits the budget (26 shapes grown to it,
 * test/unit/hostile/formulaPayloads.ts) renders in about 20 ms of CPU (README), and a bomb
 * fails after consuming the budget, in about a millisecond.
 *
 * KaTeX's `console.warn` (missing font metrics, quirks mode) is captured during the call and
 * returned, never printed: the CLI's one-line error contract and the extension's log stay clean.
 */

export const FORMULA_TOO_EXPENSIVE = 'formula too expensive to render';

/**
 * Over budget: KaTeX's own ParseError (its constructor returns a plain Error with ParseError's
 * prototype, so it cannot be subclassed), so every caller's error path already handles it.
 */
export function formulaBudgetError(reason: string): InstanceType<typeof katex.ParseError> & Error {
  return new katex.ParseError(`${FORMULA_TOO_EXPENSIVE}: ${reason}`);
}

export interface GuardedKatexOptions {
  readonly displayMode: boolean;
  readonly macros?: KatexMacros;
  /** `htmlAndMathml` (KaTeX's default), or one of them. */
  readonly output?: 'html' | 'mathml' | 'htmlAndMathml';
  /** Errors throw (default) or render as KaTeX's inline error. */
  readonly throwOnError?: boolean;
  /** Receives KaTeX's console warnings for this formula. */
  readonly onWarning?: (message: string) => void;
}

/** Where KaTeX's console warnings go when a call names no `onWarning` (nowhere by default). */
let warningSink: ((message: string) => void) | undefined;

/** Routes the warnings of every guarded call to `sink` (e.g. the CLI's one-line summary) until reset with `undefined`. */
export function setKatexWarningSink(sink: ((message: string) => void) | undefined): void {
  warningSink = sink;
}

/** Tokens consumed by the last guarded call (for the hostile suite's growth curves). */
let lastTokens = 0;
export function lastFormulaTokens(): number {
  return lastTokens;
}

/**
 * Renders one formula to a string under the budget. Throws `katex.ParseError` (a
 * budget error when over budget) unless `throwOnError` is false.
 */
export function renderKatex(tex: string, options: GuardedKatexOptions): string {
  const html = guarded(tex, options, (settings) => katex.renderToString(tex, settings));
  if (html.length > MAX_FORMULA_OUTPUT) throw formulaBudgetError(`${html.length} characters of output (limit ${MAX_FORMULA_OUTPUT})`);
  return html;
}

/** KaTeX's internal layout tree (used to size hover images), under the same budget. */
export function katexHtmlTree<T>(tex: string, options: GuardedKatexOptions): T | undefined {
  const toTree = (katex as unknown as { __renderToHTMLTree?: (tex: string, settings: object) => T }).__renderToHTMLTree;
  if (typeof toTree !== 'function') return undefined;
  return guarded(tex, { ...options, output: 'html' }, (settings) => toTree(tex, settings));
}

function guarded<T>(tex: string, options: GuardedKatexOptions, run: (settings: KatexOptions) => T): T {
  if (tex.length > MAX_FORMULA_LENGTH) throw formulaBudgetError(`${tex.length} characters (limit ${MAX_FORMULA_LENGTH})`);
  const base = katexSettings(options.macros, options.displayMode);
  let tokens = 0;
  const macros = new Proxy(base.macros as Record<string, unknown>, {
    getOwnPropertyDescriptor(target, key) {
      if (++tokens > FORMULA_TOKEN_BUDGET) {
        throw formulaBudgetError(`more than ${FORMULA_TOKEN_BUDGET} tokens after macro expansion`);
      }
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
  const settings: KatexOptions = {
    ...base,
    macros: macros as KatexOptions['macros'],
    throwOnError: options.throwOnError ?? true,
    ...(options.output ? { output: options.output } : {}),
  };
  const warn = console.warn;
  const onWarning = options.onWarning ?? warningSink;
  console.warn = (...args: unknown[]) => onWarning?.(args.map(String).join(' '));
  try {
    return run(settings);
  } finally {
    console.warn = warn;
    lastTokens = tokens;
  }
}

/**
 * KaTeX as the markdown-it math plugin sees it, with every render going through `renderKatex`
 * (the renderers hand this to `createMarkdownEngine`, so plugin-rendered math gets the budget too).
 */
export const guardedKatex: KatexRenderer = {
  renderToString: (tex: string, opts?: KatexOptions) =>
    renderKatex(tex, { macros: opts?.macros as KatexMacros | undefined, displayMode: opts?.displayMode ?? false, throwOnError: opts?.throwOnError ?? false }),
};
