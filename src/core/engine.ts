import MarkdownIt from 'markdown-it';
import type KatexModule from 'katex';
import type { KatexOptions } from 'katex';
import markdownItKatex from '@vscode/markdown-it-katex';

/**
 * The one Markdown engine of Lectern: markdown-it with VS Code's own math plugin, so that the
 * preview, the parser and the math check agree with VS Code's built-in preview on what is math.
 *
 * This module never loads KaTeX itself: finding math spans is the plugin's parse rules alone, and
 * KaTeX (a third of the extension's code) is needed only to render. Renderers pass the pinned
 * `katex` in (`createMarkdownEngine`); the parser uses `createParsingEngine`, so the TODO tree,
 * the parse worker and `lectern todos` never evaluate KaTeX (the bundles also resolve the
 * plugin's own `require('katex')` to src/core/pluginKatex.ts, see webpack.config.js).
 */

// The hardened settings and the formula budget live in one place, shared by every KaTeX caller.
export { KATEX_MAX_EXPAND, KATEX_MAX_SIZE, MAX_FORMULA_LENGTH, katexSettings } from './render/katexOptions';

/** A markdown-it instance (the package's own typings name the instance type this way). */
export type MarkdownEngine = MarkdownIt.MarkdownIt;

export interface MarkdownEngineOptions {
  /** KaTeX macros (`\\RR` → `\\mathbb{R}`); copied for every render, since KaTeX mutates them. */
  readonly macros?: Readonly<Record<string, string>>;
  /** The fast path for plain inline content (`plainInline`); false is for tests comparing the two. */
  readonly plainInlineFastPath?: boolean;
}

/**
 * What rendering needs of KaTeX: the renderers pass `guardedKatex` (render/katexGuard.ts), the one
 * place that applies the hardened options (`katexSettings`) and the formula budget.
 */
export interface KatexRenderer {
  renderToString(tex: string, options?: KatexOptions): string;
}

/**
 * A markdown-it instance configured like VS Code's preview with the markdown-math extension:
 * no raw HTML (notes are untrusted), no linkify or typographer, `$…$` / `$$…$$` / ```` ```math ````
 * rendered by the given (pinned) KaTeX, and YAML front matter at the top of the file skipped.
 * `katex` must be `guardedKatex` (render/katexGuard.ts) or wrap it: the hardened options (`trust`
 * off, `maxSize`, `maxExpand`) and the formula budget are applied there, not here.
 */
export function createMarkdownEngine(options: MarkdownEngineOptions & { readonly katex: KatexRenderer }): MarkdownEngine {
  const { katex, macros } = options;
  // The plugin passes its whole option object to `renderToString`; only the display mode and the
  // engine's macros go on. The hardened options are merged once, by the guarded KaTeX entry.
  return engineWith(
    {
      renderToString: (tex: string, opts?: KatexOptions) =>
        katex.renderToString(tex, { displayMode: opts?.displayMode ?? false, throwOnError: false, ...(macros ? { macros: { ...macros } } : {}) }),
    },
    options.plainInlineFastPath ?? true,
  );
}

/**
 * The same engine for parsing only: identical block and inline rules, so identical tokens and math
 * spans, without KaTeX. Rendering math with it is a bug and says so in the output.
 */
export function createParsingEngine(options: Pick<MarkdownEngineOptions, 'plainInlineFastPath'> = {}): MarkdownEngine {
  return engineWith(
    {
      renderToString: () => {
        throw new Error('Lectern: the parsing engine cannot render math (use createMarkdownEngine with KaTeX)');
      },
    },
    options.plainInlineFastPath ?? true,
  );
}

function engineWith(katex: KatexRenderer, plainInlineFastPath: boolean): MarkdownEngine {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.use(frontMatter);
  // The plugin calls nothing of KaTeX but `renderToString`.
  md.use(markdownItKatex, { katex: katex as typeof KatexModule, enableFencedBlocks: true, throwOnError: false });
  if (plainInlineFastPath) md.use(plainInline);
  return md;
}

/**
 * Inline content that markdown-it would turn into nothing but text and soft breaks has none of
 * the characters its `text` rule stops at (`isTerminatorChar`, markdown-it 15: every other inline
 * rule starts at one of them, `$` for the math plugin's), line breaks aside; and no space before a
 * line break (two make a hard break, one is dropped) nor space or tab after one (skipped). Such
 * content renders as itself, HTML-escaped, each line break a `\n` (a soft break, `breaks` off).
 */
const PLAIN_INLINE_SPECIAL = /[!#$%&*+\-:<=>@[\\\]^_`{}~]| \n|\n[ \t]/;

/** Marks the one text token the fast path gives a plain inline token (see `plainInline`). */
export const PLAIN_INLINE_META = 'lecternPlainInline';

/**
 * Whether markdown-it's inline parse of `content` is only text and soft breaks (see
 * `PLAIN_INLINE_SPECIAL`), rendered as `escapeHtml(content)`, under the engine's options.
 */
export function isPlainInline(content: string, options: { readonly linkify?: boolean; readonly typographer?: boolean; readonly breaks?: boolean }): boolean {
  return !options.linkify && !options.typographer && !options.breaks && !PLAIN_INLINE_SPECIAL.test(content);
}

/**
 * The core `inline` rule with a fast path: a paragraph of plain lines (a TODO-dense note's
 * `TODO\n` × 200,000) would cost two tokens per line (text, soft break) and the rules' calls for
 * every character class; it gets one text token holding the whole content instead, whose HTML is
 * the same (`escapeHtml` of the text, and `\n` for each soft break). The token is marked with
 * `meta[PLAIN_INLINE_META]` so that code splitting text tokens by line (the preview's TODO badges)
 * can tell its lines apart. Everything else is parsed by markdown-it as usual.
 */
function plainInline(md: MarkdownEngine): void {
  md.core.ruler.at('inline', (state) => {
    const options = state.md.options;
    for (const token of state.tokens) {
      if (token.type !== 'inline') continue;
      if (token.content !== '' && isPlainInline(token.content, options)) {
        const text = new state.Token('text', '', 0);
        text.content = token.content;
        text.meta = { [PLAIN_INLINE_META]: true };
        (token.children ??= []).push(text);
      } else {
        state.md.inline.parse(token.content, state.md, state.env, (token.children ??= []));
      }
    }
  });
}

/** Token type of the skipped front matter block; `map` covers its lines including both fences. */
export const FRONT_MATTER_TOKEN = 'front_matter';

/**
 * Set to true in the markdown-it `env` when the source is a window cut out of a note (incremental
 * parsing): its first line is not the note's first line, so it cannot start front matter.
 */
export const WINDOW_ENV_KEY = 'lecternWindow';

/**
 * YAML front matter: `---` on the very first line, closed by `---` or `...` on a line of its own.
 * Without a closing fence the first line is ordinary Markdown (a thematic break), as in VS Code.
 */
function frontMatter(md: MarkdownEngine): void {
  md.block.ruler.before('table', FRONT_MATTER_TOKEN, (state, startLine, endLine, silent) => {
    if ((state.env as Record<string, unknown> | undefined)?.[WINDOW_ENV_KEY] === true) return false;
    if (startLine !== 0 || state.parentType !== 'root' || state.bMarks[0] !== 0 || state.sCount[0] !== 0) return false;
    const lineText = (line: number) => state.src.slice(state.bMarks[line], state.eMarks[line]);
    if (lineText(0).replace(/^\uFEFF/, '').trimEnd() !== '---') return false;
    let close = 1;
    while (close < endLine && !/^(?:---|\.\.\.)[ \t]*$/.test(lineText(close))) close++;
    if (close >= endLine) return false;
    if (silent) return true;
    const token = state.push(FRONT_MATTER_TOKEN, '', 0);
    token.hidden = true;
    token.block = true;
    token.map = [0, close + 1];
    token.content = state.getLines(1, close, 0, true);
    token.markup = '---';
    state.line = close + 1;
    return true;
  });
  md.renderer.rules[FRONT_MATTER_TOKEN] = () => '';
}
