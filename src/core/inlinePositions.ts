import type { MarkdownEngine } from './engine';

/**
 * markdown-it's inline tokens carry no source positions. The parser needs them for the constructs
 * that hide text from TODO recognition (code spans, math, link destinations, autolinks, images)
 * and for math spans, so we wrap exactly those inline rules and record, on the first token each
 * successful run pushes, where in the inline content it started and ended.
 *
 * Offsets are into the inline token's `content` (markdown-it's `state.src` for that paragraph);
 * mapping them to the file is `ContentMap`'s job.
 */
export interface InlineRange {
  /** The inline rule that produced the token (`math_inline_block` pushes a `math_block` token). */
  readonly rule: string;
  readonly start: number;
  readonly end: number;
  /** For links: where the label ends (the `]`), so only the destination part is hidden. */
  readonly labelEnd?: number;
}

const META_KEY = 'lecternRange';

const TRACKED_RULES = ['backticks', 'math_inline', 'math_inline_block', 'link', 'image', 'autolink', 'html_inline'];

export function trackInlinePositions(md: MarkdownEngine): void {
  const ruler = md.inline.ruler;
  for (const name of TRACKED_RULES) {
    const rule = ruler.__rules__.find((r) => r.name === name);
    if (!rule) continue;
    const original = rule.fn;
    ruler.at(
      name,
      (state, silent) => {
        const start = state.pos;
        // The first push flushes pending text into a token of its own: skip that one.
        const before = state.tokens.length + (state.pending === '' ? 0 : 1);
        const ok = original(state, silent);
        if (ok && !silent && state.tokens.length > before) {
          const token = state.tokens[before];
          let labelEnd: number | undefined;
          if (name === 'link') {
            const end = state.pos;
            const found = state.md.helpers.parseLinkLabel(state, start, true);
            state.pos = end;
            if (found >= 0) labelEnd = found;
          }
          const range: InlineRange = { rule: name, start, end: state.pos, labelEnd };
          token.meta = { ...(token.meta ?? {}), [META_KEY]: range };
        }
        return ok;
      },
      { alt: rule.alt },
    );
  }
}

export function inlineRangeOf(token: { meta: unknown }): InlineRange | undefined {
  const meta = token.meta as Record<string, unknown> | null | undefined;
  const range = meta?.[META_KEY] as InlineRange | undefined;
  return range && typeof range.start === 'number' ? range : undefined;
}
