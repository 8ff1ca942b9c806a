import type { MathMacros } from './macros';
import { macrosKey } from './macros';
import type { KatexMacros } from './noteMath';
import { KATEX_MAX_EXPAND, KATEX_MAX_SIZE, MAX_FORMULA_LENGTH, renderKatex } from './katexGuard';
import { errorMessage } from '../errors';

/**
 * Bounds applied to every formula Lectern renders (see katexGuard.ts, which applies them):
 * `trust: false` keeps `\href`/`\includegraphics`/`\htmlClass` out, `maxExpand` stops
 * `\def\a{\a\a}\a`-style expansion bombs (the CVE-2024-28243/28244 class), `maxSize` caps
 * `\rule{1000em}{…}`, and a token budget stops formulas whose expansion is cheap but whose output
 * is not.
 */
export { MAX_FORMULA_LENGTH };
export const KATEX_BOUNDS = {
  throwOnError: true,
  trust: false,
  strict: 'ignore',
  maxExpand: KATEX_MAX_EXPAND,
  maxSize: KATEX_MAX_SIZE,
} as const;

export interface RenderedFormula {
  readonly html: string;
  /** KaTeX's message when the formula does not render; `html` then holds the inline error. */
  readonly error?: string;
}

/** Renders one formula with the shared bounds; never throws. */
export function renderFormula(tex: string, displayMode: boolean, macros: KatexMacros): RenderedFormula {
  if (tex.length > MAX_FORMULA_LENGTH) {
    const message = `Formula is too long (${tex.length} characters, limit ${MAX_FORMULA_LENGTH})`;
    return { html: errorHtml(message, tex, displayMode), error: message };
  }
  try {
    return { html: renderKatex(tex, { displayMode, macros }) };
  } catch (e) {
    const message = errorMessage(e);
    return { html: errorHtml(message, tex, displayMode), error: message };
  }
}

export function errorHtml(message: string, tex: string, displayMode: boolean): string {
  const tag = displayMode ? 'div' : 'span';
  return `<${tag} class="katex-error" title="${escapeHtml(tex)}">${escapeHtml(message)}</${tag}>`;
}

const HTML_SPECIAL = /[&<>"']/;
const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  // Most texts (TODO ids, labels, titles: three per badge) have nothing to escape.
  return HTML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]) : text;
}

export interface MathCacheStats {
  /** Formulas served from the cache since the last `resetStats()`. */
  readonly hits: number;
  /** Formulas KaTeX actually rendered since the last `resetStats()`. */
  readonly misses: number;
  readonly size: number;
}

/**
 * Rendered formulas keyed by (source, display mode, macros). A keystroke inside one formula
 * changes one key, so only that formula reaches KaTeX again; `stats().misses` counts exactly
 * those (the bench reads it as `rerenderedAfterEdit`). Bounded: least recently used entries go.
 */
export class MathRenderCache {
  private readonly entries = new Map<string, RenderedFormula>();
  private hits = 0;
  private misses = 0;

  constructor(private readonly capacity = 4000) {}

  render(tex: string, displayMode: boolean, macros: KatexMacros, key = macrosKey(macros as MathMacros)): RenderedFormula {
    const cacheKey = `${displayMode ? 'D' : 'I'}\u0000${key}\u0000${tex}`;
    const hit = this.entries.get(cacheKey);
    if (hit) {
      this.hits++;
      // Refresh recency: Map iteration order is insertion order.
      this.entries.delete(cacheKey);
      this.entries.set(cacheKey, hit);
      return hit;
    }
    this.misses++;
    const rendered = renderFormula(tex, displayMode, macros);
    this.entries.set(cacheKey, rendered);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return rendered;
  }

  stats(): MathCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size };
  }

  resetStats(): void {
    this.hits = 0;
    this.misses = 0;
  }

  clear(): void {
    this.entries.clear();
    this.resetStats();
  }
}
