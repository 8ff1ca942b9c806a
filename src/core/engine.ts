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
 */
export function createMarkdownEngine(options: MarkdownEngineOptions & { readonly katex: KatexRenderer }): MarkdownEngine {
  const { katex, macros } = options;
  // The plugin passes its whole option object to `renderToString`; only the display mode and the
  // engine's macros go on. The hardened options are merged once, by the guarded KaTeX entry.
  return engineWith({
    renderToString: (tex: string, opts?: KatexOptions) =>
      katex.renderToString(tex, { displayMode: opts?.displayMode ?? false, throwOnError: false, ...(macros ? { macros: { ...macros } } : {}) }),
  });
}

/**
 * The same engine for parsing only: identical block and inline rules, so identical tokens and math
 * spans, without KaTeX. Rendering math with it is a bug and says so in the output.
 */
export function createParsingEngine(): MarkdownEngine {
  return engineWith({
    renderToString: () => {
      throw new Error('Lectern: the parsing engine cannot render math (use createMarkdownEngine with KaTeX)');
    },
  });
}

function engineWith(katex: KatexRenderer): MarkdownEngine {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.use(frontMatter);
  // The plugin calls nothing of KaTeX but `renderToString`.
  md.use(markdownItKatex, { katex: katex as typeof KatexModule, enableFencedBlocks: true, throwOnError: false });
  return md;
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
