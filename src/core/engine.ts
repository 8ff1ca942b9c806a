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

/** Upper bound on macro expansions: KaTeX before 0.16.10 could be made to loop (CVE-2024-28243). */
export const KATEX_MAX_EXPAND = 1000;
/** Upper bound on user-specified sizes (`\rule{10000em}{…}`), in ems. */
export const KATEX_MAX_SIZE = 50;
/**
 * Longest formula handed to KaTeX. KaTeX runs synchronously, so input length is the only time
 * bound Lectern can enforce on untrusted math; longer formulas are reported, never rendered.
 */
export const MAX_FORMULA_LENGTH = 20_000;

/** A markdown-it instance (the package's own typings name the instance type this way). */
export type MarkdownEngine = MarkdownIt.MarkdownIt;

export interface MarkdownEngineOptions {
  /** KaTeX macros (`\\RR` → `\\mathbb{R}`); copied for every render, since KaTeX mutates them. */
  readonly macros?: Readonly<Record<string, string>>;
}

/** What rendering needs of KaTeX (the `katex` module itself, passed in by the renderers). */
export interface KatexRenderer {
  renderToString(tex: string, options?: KatexOptions): string;
}

/** The KaTeX settings every Lectern render and check uses (untrusted input). */
export function katexSettings(macros: Readonly<Record<string, string>> | undefined, displayMode: boolean): KatexOptions {
  return {
    displayMode,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxExpand: KATEX_MAX_EXPAND,
    maxSize: KATEX_MAX_SIZE,
    // A fresh copy per render: `\gdef` in one formula must not leak into the next.
    macros: { ...(macros ?? {}) },
  };
}

/**
 * A markdown-it instance configured like VS Code's preview with the markdown-math extension:
 * no raw HTML (notes are untrusted), no linkify or typographer, `$…$` / `$$…$$` / ```` ```math ````
 * rendered by the given (pinned) KaTeX, and YAML front matter at the top of the file skipped.
 */
export function createMarkdownEngine(options: MarkdownEngineOptions & { readonly katex: KatexRenderer }): MarkdownEngine {
  const { katex, macros } = options;
  // The plugin passes its whole option object to `renderToString`; wrapping KaTeX lets every
  // render start from a fresh copy of the macros and the same hardened settings.
  return engineWith({
    renderToString: (tex: string, opts?: KatexOptions) =>
      katex.renderToString(tex, { ...opts, ...katexSettings(macros, opts?.displayMode ?? false) }),
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
 * YAML front matter: `---` on the very first line, closed by `---` or `...` on a line of its own.
 * Without a closing fence the first line is ordinary Markdown (a thematic break), as in VS Code.
 */
function frontMatter(md: MarkdownEngine): void {
  md.block.ruler.before('table', FRONT_MATTER_TOKEN, (state, startLine, endLine, silent) => {
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
