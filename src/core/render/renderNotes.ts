import type MarkdownItModule from 'markdown-it';
import { guardedKatex } from './katexGuard';
import { PLAIN_INLINE_META, WINDOW_ENV_KEY, createMarkdownEngine } from '../engine';
import { type NoteWindow, PARSE_WINDOW_CHARS, parseNotesInWindows } from '../parse';
import type { ParseResult, Section, Todo } from '../types';
import type { MathMacros } from './macros';
import { macrosKey } from './macros';
import { MathRenderCache, errorHtml, escapeHtml } from './mathCache';
import { type FormulaPlan, planNoteMath } from './noteMath';
import { formulaOf } from './formula';
import { LineIndex } from '../lines';
import { partitionPoint } from '../partitionPoint';

type MarkdownIt = MarkdownItModule.MarkdownIt;
type Token = MarkdownItModule.Token;
type StateCore = MarkdownItModule.StateCore;
type RenderRule = MarkdownItModule.RendererRule;

/**
 * HTML for the lecture preview and the HTML export.
 *
 * Extends a fresh instance of the core Markdown engine (the way VS Code's markdown-math extends
 * the Markdown engine instead of forking it):
 *  - every block carries `data-line` (its first source line, 0-based) and class `code-line`, so the
 *    preview and the editor can scroll each other by source line;
 *  - formulas go through a `MathRenderCache` keyed by (source, display mode, macros), so an edit
 *    re-renders only the formulas whose text changed; KaTeX errors render inline with KaTeX's message;
 *  - TODOs the core found become badges (open ones clickable in the preview), and sections with a
 *    demo get a "▶ demo" button;
 *  - relative images can be rewritten by the host (webview URIs).
 * Raw HTML in a note is never emitted: the engine has `html: false`, re-asserted here.
 */
export interface NotesRendererOptions {
  readonly macros?: MathMacros;
  /** Share one cache between renderers (preview panels, export) to reuse formulas. */
  readonly cache?: MathRenderCache;
  /** TODO tags passed to `parseNotes` when the caller does not pass a parse result. */
  readonly tags?: readonly string[];
  /** Window size of the parse and render of a long note (tests make it small); see parse.ts. */
  readonly windowChars?: number;
  /**
   * Render a note parsed in one piece from the parse's tokens (default) rather than parsing it
   * again; false is for tests comparing the two.
   */
  readonly reuseParseTokens?: boolean;
  /** The engine's fast path for plain inline content (engine.ts `plainInline`); false is for tests. */
  readonly plainInlineFastPath?: boolean;
}

export interface RenderRequest {
  /** The parse of `text` if the caller has it (the extension's parse cache); parsed otherwise. */
  readonly parsed?: ParseResult;
  /** Open TODO badges and demo buttons become buttons (preview) or plain labels (export). */
  readonly interactive?: boolean;
  /** Rewrites a relative image `src` (the host maps it to a webview URI); undefined keeps it. */
  readonly resolveImageSrc?: (src: string) => string | undefined;
  /** Which demo explains a section, if any (the demos feature supplies it): a "▶ demo" button. */
  readonly demoForSection?: (section: Section) => string | undefined;
}

export interface RenderedNotes extends RenderStats {
  readonly html: string;
}

export interface RenderStats {
  /** Formulas in the document. */
  readonly formulas: number;
  /** Formulas KaTeX actually rendered for this call (the rest came from the cache). */
  readonly formulasRendered: number;
  /** Formulas that failed to render. */
  readonly mathErrors: number;
  readonly todoBadges: number;
}

/** A run of whole top-level blocks of a note to render on its own (see `renderBlocks`). */
export interface BlockWindow {
  /** A top-level block start of the note (or 0), outside any hidden comment. */
  readonly startOffset: number;
  readonly endOffset: number;
  /** The note's line at `startOffset`. */
  readonly startLine: number;
  /**
   * Render only the blocks before this offset, and only if a block starts exactly there: the
   * window reaches past it so that markdown-it settles where the block before it ends.
   */
  readonly stopAt?: number;
}

/**
 * One top-level block of a note, rendered: a markdown-it block at level 0 with everything nested in
 * it, plus what follows it up to the next block (blank lines, a comment the preview hides, a demo
 * button after a heading). Its HTML is the same as in the whole note's render, so the blocks of a
 * note joined are the note's HTML.
 */
export interface RenderedBlock {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly startLine: number;
  readonly endLine: number;
  readonly html: string;
  /** It holds a paragraph that opens an HTML comment it does not close (a later `-->` may hide blocks after it). */
  readonly opensComment: boolean;
}

export interface RenderedBlocks extends RenderStats {
  readonly blocks: readonly RenderedBlock[];
  /** The window defines link references: its blocks depend on each other beyond block bounds. */
  readonly references: boolean;
}

interface RenderEnv {
  readonly parsed: ParseResult;
  /** The note's line where the text being rendered starts (a window of a long note). */
  lineOffset: number;
  /** Set when the text rendered is a window that does not start the note (no front matter there). */
  [WINDOW_ENV_KEY]?: boolean;
  /** The note's formulas as planned in document order (one macro scope per note). */
  readonly plans: readonly FormulaPlan[];
  /** Next unmatched formula of `parsed.math`. */
  mathCursor: number;
  /** `parsed.todos` by source offset, sorted once per render (not once per window). */
  todosByOffset?: readonly Todo[];
  readonly interactive: boolean;
  readonly resolveImageSrc?: (src: string) => string | undefined;
  readonly demoForSection?: (section: Section) => string | undefined;
  formulas: number;
  mathErrors: number;
  todoBadges: number;
}

/**
 * A fresh environment for rendering `parsed` (counters at zero). `start` says where the text
 * rendered starts: the note's line there, whether it is a window that does not start the note,
 * the note's formula plans and the first formula of `parsed.math` at or after it.
 */
function renderEnv(
  parsed: ParseResult,
  request: RenderRequest,
  start: { readonly lineOffset: number; readonly window: boolean; readonly plans: readonly FormulaPlan[]; readonly mathCursor: number },
): RenderEnv {
  return {
    parsed,
    lineOffset: start.lineOffset,
    [WINDOW_ENV_KEY]: start.window,
    plans: start.plans,
    mathCursor: start.mathCursor,
    interactive: request.interactive ?? true,
    resolveImageSrc: request.resolveImageSrc,
    demoForSection: request.demoForSection,
    formulas: 0,
    mathErrors: 0,
    todoBadges: 0,
  };
}

export class NotesRenderer {
  private readonly md: MarkdownIt;
  /** Lectern's core rules, in order (pushed after markdown-it's own; see `renderTokens`). */
  private readonly coreRules: Array<(state: StateCore) => void> = [];
  private macros: MathMacros;
  private macrosKey: string;
  readonly cache: MathRenderCache;

  constructor(private readonly options: NotesRendererOptions = {}) {
    this.macros = { ...(options.macros ?? {}) };
    this.macrosKey = macrosKey(this.macros);
    this.cache = options.cache ?? new MathRenderCache();
    this.md = createMarkdownEngine({ macros: this.macros, katex: guardedKatex, plainInlineFastPath: options.plainInlineFastPath });
    this.md.set({ html: false });
    this.extend(this.md);
  }

  /** New macros invalidate nothing explicitly: they are part of every cache key. */
  setMacros(macros: MathMacros): void {
    this.macros = { ...macros };
    this.macrosKey = macrosKey(this.macros);
  }

  /** The note's formulas as this renderer plans them (its macros, one scope per note). */
  formulaPlans(parsed: ParseResult): FormulaPlan[] {
    return planNoteMath(parsed.math, this.macros);
  }

  render(text: string, request: RenderRequest = {}): RenderedNotes {
    const chunks: string[] = [];
    const stats = this.renderTo(text, request, (html) => chunks.push(html));
    return { html: chunks.join(''), ...stats };
  }

  /**
   * Renders the note, handing its HTML to `write` in pieces (the HTML of a long note is about ten
   * times its size: export streams it to the file instead of building one string). A long note
   * the renderer parses itself is rendered in the windows it was parsed in, so markdown-it's
   * tokens never exist for the whole note; the pieces join into exactly the whole note's HTML.
   */
  renderTo(text: string, request: RenderRequest, write: (html: string) => void): RenderStats {
    const source = typeof text === 'string' ? text : '';
    let parsed = request.parsed;
    let windows: readonly NoteWindow[] | undefined;
    let tokens: readonly Token[] | undefined;
    if (!parsed) {
      // A note parsed in one piece is rendered from the parser's own tokens (the parsing engine has
      // the same rules, so the same tokens) instead of being parsed again. Not with a byte-order
      // mark: the parser drops it, markdown-it's render keeps it in the first block's text.
      const reuse = this.options.reuseParseTokens !== false && source.charCodeAt(0) !== 0xfeff;
      const windowed = parseNotesInWindows(source, this.options.tags ? { tags: this.options.tags } : {}, this.options.windowChars ?? PARSE_WINDOW_CHARS, reuse);
      parsed = windowed.result;
      windows = windowed.windows;
      tokens = windowed.tokens;
    }
    const env = renderEnv(parsed, request, { lineOffset: 0, window: false, plans: planNoteMath(parsed.math, this.macros), mathCursor: 0 });
    const before = this.cache.stats().misses;
    if (tokens) write(this.renderTokens(source, tokens, env));
    else if (!windows) write(this.md.render(source, env as unknown as MarkdownItModule.Env));
    else {
      for (const w of windows) {
        env.lineOffset = w.startLine;
        env[WINDOW_ENV_KEY] = w.startOffset > 0;
        write(this.md.render(source.slice(w.startOffset, w.endOffset), env as unknown as MarkdownItModule.Env));
      }
    }
    return {
      formulas: env.formulas,
      formulasRendered: this.cache.stats().misses - before,
      mathErrors: env.mathErrors,
      todoBadges: env.todoBadges,
    };
  }

  /**
   * The HTML of the parser's tokens of the whole note: the steps of `md.render` after markdown-it's
   * own parse (Lectern's core rules, then the renderer), on tokens the parse already made.
   */
  private renderTokens(source: string, tokens: readonly Token[], env: RenderEnv): string {
    const state = new this.md.core.State(source, this.md, env as unknown as MarkdownItModule.Env);
    state.tokens = [...tokens];
    for (const rule of this.coreRules) rule(state);
    return this.md.renderer.render(state.tokens, this.md.options, env as unknown as MarkdownItModule.Env);
  }

  /**
   * Renders the top-level blocks of `window` of `text` one by one (the preview's incremental render):
   * the window is parsed on its own, as parse.ts's windows are, and each block's tokens rendered
   * alone. Undefined when `window.stopAt` is given and no block starts there. `plans` are the
   * note's formula plans, if the caller already has them.
   */
  renderBlocks(
    text: string,
    request: RenderRequest & { readonly parsed: ParseResult },
    window: BlockWindow,
    plans: readonly FormulaPlan[] = planNoteMath(request.parsed.math, this.macros),
  ): RenderedBlocks | undefined {
    const parsed = request.parsed;
    const source = text.slice(window.startOffset, window.endOffset);
    const math = parsed.math;
    const env = renderEnv(parsed, request, {
      lineOffset: window.startLine,
      window: window.startOffset > 0,
      plans,
      mathCursor: partitionPoint(math.length, (i) => math[i].span.startOffset < window.startOffset),
    });
    const before = this.cache.stats().misses;
    const tokens = this.md.parse(source, env as unknown as MarkdownItModule.Env);
    const lines = new LineIndex(source);
    // Token indices where a block starts: every mapped level-0 token that opens or is a block.
    const starts: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.level === 0 && t.nesting !== -1 && t.map && t.type !== 'inline') starts.push(i);
    }
    const offsetOfLine = (line: number): number => {
      const local = line - window.startLine;
      return window.startOffset + (local < lines.starts.length ? lines.starts[local] : source.length);
    };
    let count = starts.length;
    if (window.stopAt !== undefined) {
      count = starts.findIndex((i, k) => k > 0 && offsetOfLine(tokens[i].map![0]) === window.stopAt);
      if (count < 0) return undefined;
    }
    const endLine = window.stopAt !== undefined ? tokens[starts[count]].map![0] : window.startLine + lines.lineCount;
    const blocks: RenderedBlock[] = [];
    for (let k = 0; k < Math.max(1, count); k++) {
      const last = k + 1 >= count;
      const slice = tokens.slice(k === 0 ? 0 : starts[k], k + 1 < starts.length ? starts[k + 1] : tokens.length);
      const startLine = k === 0 ? window.startLine : tokens[starts[k]].map![0];
      const nextLine = last ? endLine : tokens[starts[k + 1]].map![0];
      blocks.push({
        startOffset: k === 0 ? window.startOffset : offsetOfLine(startLine),
        endOffset: last ? (window.stopAt ?? window.endOffset) : offsetOfLine(nextLine),
        startLine,
        endLine: nextLine,
        html: this.md.renderer.render(slice, this.md.options, env as unknown as MarkdownItModule.Env),
        opensComment: slice.some((t, i) => t.level === 0 && t.type === 'paragraph_open' && opensComment(slice[i + 1])),
      });
    }
    const references = (env as unknown as { references?: Record<string, unknown> }).references;
    return {
      blocks,
      references: references !== undefined && Object.keys(references).length > 0,
      formulas: env.formulas,
      formulasRendered: this.cache.stats().misses - before,
      mathErrors: env.mathErrors,
      todoBadges: env.todoBadges,
    };
  }

  /**
   * Renders one formula with its plan: the note's macro scope at that point and equation numbers.
   * Formulas reach the renderer in document order, as the parser listed them; a formula the parser
   * did not list (hidden from it) renders with the note's base macros.
   */
  private renderMath(content: string, display: boolean, env: RenderEnv): { html: string; plan?: FormulaPlan } {
    env.formulas++;
    const math = env.parsed.math;
    let found = -1;
    for (let i = env.mathCursor; i < math.length; i++) {
      if (math[i].content === content && math[i].display === display) {
        found = i;
        break;
      }
    }
    if (found < 0) {
      const formula = formulaOf({ content, display });
      const rendered = this.cache.render(formula.tex, formula.displayMode, this.macros, this.macrosKey);
      if (rendered.error !== undefined) env.mathErrors++;
      return { html: rendered.html };
    }
    env.mathCursor = found + 1;
    const plan = env.plans[found];
    const rendered = this.cache.render(plan.tex, plan.displayMode, plan.macros, plan.key);
    if (rendered.error !== undefined || plan.problems.length > 0) env.mathErrors++;
    // A preamble that only defines macros renders empty; a refused definition must still show.
    if (rendered.error === undefined && plan.problems.length > 0 && plan.tex.trim() === '') {
      return { html: errorHtml(plan.problems[0].message, content, plan.displayMode), plan };
    }
    return { html: rendered.html, plan };
  }

  private extend(md: MarkdownIt): void {
    const rules = md.renderer.rules;

    // Math: the same delimiters as the engine's plugin, rendered through the cache.
    rules.math_inline = (tokens, idx, _o, env) => {
      // `$`1+1`$` is math too, and display-only environments render as display (the plugin's rules).
      const { html, plan } = this.renderMath(tokens[idx].content, false, envOf(env));
      // A formula that is only `\eqref{…}` links to its equation.
      return plan?.linkTo ? `<a class="lectern-eqref" href="#${escapeHtml(plan.linkTo)}">${html}</a>` : html;
    };
    const block: RenderRule = (tokens, idx, _o, env) => {
      const token = tokens[idx];
      const line = token.map ? ` data-line="${token.map[0]}"` : '';
      const { html: inner, plan } = this.renderMath(token.content, true, envOf(env));
      const cls = inner.startsWith('<div class="katex-error"') ? 'katex-block katex-block-error' : 'katex-block';
      const id = plan?.anchor ? ` id="${escapeHtml(plan.anchor)}"` : '';
      return `<div class="${cls}${token.map ? ' code-line' : ''}"${id}${line}>${inner}</div>\n`;
    };
    rules.math_block = block;
    rules.math_inline_block = block;
    rules.math_inline_bare_block = block;
    // The engine renders ```math fences as display math (its plugin's `enableFencedBlocks`).
    const fence = rules.fence;
    rules.fence = (tokens, idx, options, env, self) => {
      if (tokens[idx].info.trim().toLowerCase() === 'math') return block(tokens, idx, options, env, self);
      return fence ? fence(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
    };
    // Images: the host rewrites relative sources (webview URIs); remote ones stay and the CSP blocks them.
    const image = rules.image;
    rules.image = (tokens, idx, options, env, self) => {
      const token = tokens[idx];
      const src = token.attrGet('src');
      const resolve = envOf(env).resolveImageSrc;
      if (typeof src === 'string' && resolve) {
        const mapped = resolve(src);
        if (mapped !== undefined) token.attrSet('src', mapped);
      }
      return image ? image(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
    };

    // HTML built by `insertTodoBadges` for a plain paragraph (see `badgesInPlainText`).
    rules.lectern_html = (tokens, idx) => tokens[idx].content;
    rules.lectern_todo = (tokens, idx, _o, env) => renderTodoBadge((tokens[idx].meta as { todo: Todo }).todo, tokens[idx].content, envOf(env).interactive);
    rules.lectern_demo = (tokens, idx, _o, env) => {
      const meta = tokens[idx].meta as { demo: string; sectionIndex: number };
      const attrs = `class="lectern-demo" data-demo="${escapeHtml(meta.demo)}" data-section-index="${meta.sectionIndex}"`;
      return envOf(env).interactive
        ? `<button type="button" ${attrs} title="Open the ${escapeHtml(meta.demo)} demo">▶ demo</button>\n`
        : '';
    };

    const push = (name: string, rule: (state: StateCore) => void) => {
      md.core.ruler.push(name, rule);
      this.coreRules.push(rule);
    };
    // A window of a long note: its lines are the note's lines from `lineOffset` on.
    push('lectern_window_lines', (state) => {
      const offset = envOf(state.env).lineOffset;
      if (!offset) return;
      for (const token of state.tokens) if (token.map) token.map = [token.map[0] + offset, token.map[1] + offset];
    });
    push('lectern_hide_comments', (state) => hideHtmlComments(state));
    push('lectern_todos', (state) => {
      insertTodoBadges(state, envOf(state.env));
    });
    push('lectern_demos', (state) => {
      const env = envOf(state.env);
      if (env.demoForSection) insertDemoButtons(state, env, env.demoForSection);
    });
    push('lectern_source_lines', (state) => {
      for (const token of state.tokens) {
        if (token.map && token.nesting !== -1 && token.type !== 'inline') {
          token.attrSet('data-line', String(token.map[0]));
          token.attrJoin('class', 'code-line');
        }
      }
    });
  }
}

function opensComment(inline: Token | undefined): boolean {
  return inline?.type === 'inline' && inline.content.trimStart().startsWith('<!--') && !inline.content.includes('-->');
}

function envOf(env: unknown): RenderEnv {
  return env as RenderEnv;
}

function renderTodoBadge(todo: Todo, label: string, interactive: boolean): string {
  const text = escapeHtml(label);
  if (todo.status === 'resolved') {
    const answer = todo.answer ? `Resolved: ${todo.answer}` : 'Resolved';
    const mark = label === '☑' ? '' : '✓ ';
    return `<span class="lectern-todo lectern-todo-resolved" data-todo-id="${escapeHtml(todo.id)}" title="${escapeHtml(answer)}">${mark}${text}</span>`;
  }
  const title = todo.text ? `Open question: ${todo.text}` : 'Open question';
  return interactive
    ? `<button type="button" class="lectern-todo lectern-todo-open" data-todo-id="${escapeHtml(todo.id)}" title="${escapeHtml(title)} — click to resolve">${text}</button>`
    : `<span class="lectern-todo lectern-todo-open" title="${escapeHtml(title)}">${text}</span>`;
}

/**
 * Puts a badge in front of each TODO's tag word. markdown-it's inline tokens carry no source
 * offsets, so TODOs are matched per block: the block's TODOs in source order against the
 * occurrences of their tag words in the block's text tokens (code and math are never text tokens,
 * just as the core never finds TODOs there). Task items (`- [ ]`) replace their box.
 */
function insertTodoBadges(state: StateCore, env: RenderEnv): void {
  const todos = (env.todosByOffset ??= [...env.parsed.todos].sort((a, b) => a.span.startOffset - b.span.startOffset));
  if (todos.length === 0) return;
  const escapeText = state.md.utils.escapeHtml;
  const Token = state.Token;
  // Inline tokens of table cells carry no map: their row's does.
  let lines: [number, number] | undefined;
  for (const block of state.tokens) {
    if (block.map && block.type !== 'inline') lines = block.map;
    if (block.type !== 'inline' || !block.children) continue;
    const [first, end] = (block.map ?? lines ?? [-1, -1]);
    // The block's TODOs by binary search (checking every TODO for every block was quadratic).
    const from = firstTodoAtOrAfter(todos, first);
    let to = from;
    while (to < todos.length && todos[to].span.range.start.line < end) to++;
    if (to === from) continue;
    // A queue by index: `shift()` on 200,000 TODOs of one paragraph was quadratic too.
    let next = from;
    const pending = {
      get length() {
        return to - next;
      },
      peek: () => (next < to ? todos[next] : undefined),
      shift: () => todos[next++],
    };
    const children: Token[] = [];
    let inLink = 0;
    for (const child of block.children) {
      if (child.type === 'link_open') inLink++;
      else if (child.type === 'link_close') inLink = Math.max(0, inLink - 1);
      // The core never finds a TODO in a link's label (`[TODO list](url)`): no badge there.
      if (child.type !== 'text' || pending.length === 0 || inLink > 0) {
        children.push(child);
        continue;
      }
      if (isPlainText(child)) {
        const html = new Token('lectern_html', '', 0);
        html.content = badgesInPlainText(child.content, children.length === 0, pending, env, escapeText);
        children.push(html);
        continue;
      }
      let rest = child.content;
      // A task item: the box is the first text of the item's first line.
      const task = pending.peek()!.tag === 'task' && children.length === 0 ? /^\[([ xX])\]\s+/.exec(rest) : null;
      if (task) {
        const todo = pending.shift();
        const badge = new Token('lectern_todo', '', 0);
        badge.meta = { todo };
        badge.content = todo.status === 'resolved' ? '☑' : '☐';
        children.push(badge);
        env.todoBadges++;
        rest = rest.slice(task[0].length);
      }
      for (;;) {
        const todo = pending.peek();
        if (!todo || todo.tag === 'task') break;
        const at = tagOccurrence(rest, todo, children.length === 0);
        if (at < 0) break;
        if (at > 0) children.push(textToken(Token, rest.slice(0, at), child.level));
        const badge = new Token('lectern_todo', '', 0);
        badge.meta = { todo: pending.shift() };
        badge.content = todo.tag;
        children.push(badge);
        env.todoBadges++;
        rest = rest.slice(at + todo.tag.length);
      }
      if (rest.length > 0) children.push(textToken(Token, rest, child.level));
    }
    block.children = block.children.some((t) => t.type === 's_open') ? dropStrikeAroundBadges(children) : children;
  }
}

interface PendingTodos {
  readonly length: number;
  peek(): Todo | undefined;
  shift(): Todo;
}

/**
 * The HTML of a plain paragraph's text (the engine's fast path gives it one text token, see
 * engine.ts `plainInline`) with its TODOs' badges, exactly as `insertTodoBadges` makes it from
 * markdown-it's own tokens: one text token per line with a soft break (`\n`) between. Each line
 * goes through the same steps as such a token (`atStart`: nothing before it in the block yet),
 * but the HTML is built directly instead of two or three tokens per line.
 */
function badgesInPlainText(content: string, atStart: boolean, pending: PendingTodos, env: RenderEnv, escapeText: (text: string) => string): string {
  let html = '';
  let empty = atStart;
  for (let lineStart = 0; lineStart <= content.length; ) {
    const nl = content.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? content.length : nl;
    if (lineStart > 0) {
      html += '\n';
      empty = false;
    }
    let rest = content.slice(lineStart, lineEnd);
    lineStart = lineEnd + 1;
    if (pending.length === 0) {
      html += escapeText(rest);
      empty = false;
      continue;
    }
    const task = pending.peek()!.tag === 'task' && empty ? /^\[([ xX])\]\s+/.exec(rest) : null;
    if (task) {
      const todo = pending.shift();
      html += renderTodoBadge(todo, todo.status === 'resolved' ? '☑' : '☐', env.interactive);
      empty = false;
      env.todoBadges++;
      rest = rest.slice(task[0].length);
    }
    for (;;) {
      const todo = pending.peek();
      if (!todo || todo.tag === 'task') break;
      const at = tagOccurrence(rest, todo, empty);
      if (at < 0) break;
      if (at > 0) html += escapeText(rest.slice(0, at));
      html += renderTodoBadge(pending.shift(), todo.tag, env.interactive);
      empty = false;
      env.todoBadges++;
      rest = rest.slice(at + todo.tag.length);
    }
    if (rest.length > 0) {
      html += escapeText(rest);
      empty = false;
    }
  }
  return html;
}

/**
 * Where `todo`'s tag word is in a text token: the first whole-word occurrence that reads as a
 * TODO (the core's forms: a separator or the question after it, `(` before it, struck, at the end
 * of a sentence or of the token). `the TODO list. TODO: real` skips the prose word. Falls back to
 * the first whole-word occurrence when none reads as one (the core found it, so it is there).
 */
function tagOccurrence(text: string, todo: Todo, atLineStart: boolean): number {
  const re = tagPattern(todo.tag);
  re.lastIndex = 0;
  let first = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[1].length;
    if (first < 0) first = at;
    const after = text.slice(at + todo.tag.length, at + todo.tag.length + 4);
    const before = text.slice(Math.max(0, at - 3), at);
    if (
      /^[*_~]*\s*(?:[:\uFF1A\uFF0C.!?;,)\]\u3002\uFF09[]|\s+[-\u2013\u2014/]\s|$)/u.test(after) ||
      /[(\uFF08][*_]*$/u.test(before) ||
      (at === 0 && atLineStart && todo.text !== '')
    ) {
      return at;
    }
  }
  return first;
}

/** Index of the first TODO (sorted by offset, hence by line) starting on `line` or later. */
function firstTodoAtOrAfter(todos: readonly Todo[], line: number): number {
  return partitionPoint(todos.length, (i) => todos[i].span.range.start.line < line);
}

/** A resolved tag is written `~~TODO~~`: the badge already says it is done, so drop the strike. */
function dropStrikeAroundBadges(children: Token[]): Token[] {
  return children.filter((t, i) => {
    if (t.type === 's_open') return !(children[i + 1]?.type === 'lectern_todo' && children[i + 2]?.type === 's_close');
    if (t.type === 's_close') return !(children[i - 1]?.type === 'lectern_todo' && children[i - 2]?.type === 's_open');
    return true;
  });
}

function insertDemoButtons(
  state: StateCore,
  env: RenderEnv,
  demoForSection: (section: Section) => string | undefined,
): void {
  const byLine = new Map<number, Section>();
  for (const section of env.parsed.sections) if (section.level > 0) byLine.set(section.startLine, section);
  const out: Token[] = [];
  let heading: Section | undefined;
  for (const token of state.tokens) {
    out.push(token);
    if (token.type === 'heading_open' && token.map && token.level === 0) heading = byLine.get(token.map[0]);
    if (token.type === 'heading_close' && heading) {
      let demo: string | undefined;
      try {
        demo = demoForSection(heading);
      } catch {
        demo = undefined;
      }
      if (demo) {
        const button = new state.Token('lectern_demo', '', 0);
        button.meta = { demo, sectionIndex: heading.index };
        button.block = true;
        out.push(button);
      }
      heading = undefined;
    }
  }
  state.tokens = out;
}

/**
 * With `html: false` an HTML comment would show as literal text. Comments are the author's
 * notes to themselves (and carry `<!-- lectern-demo: … -->` markers): hide them, as GitHub does.
 */
function hideHtmlComments(state: StateCore): void {
  const tokens = state.tokens;
  const out: Token[] = [];
  const nextClose = nextCommentClose(tokens);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // A comment over several blocks (`<!--`, a hidden task list or heading, `-->`): the core lists
    // nothing inside it, so the preview shows nothing of it. Only whole top-level blocks are dropped.
    const end = t.level === 0 && t.type === 'paragraph_open' ? multiBlockCommentEnd(tokens, i, nextClose) : -1;
    if (end > i) {
      i = end;
      continue;
    }
    if (t.type === 'paragraph_open' && tokens[i + 1]?.type === 'inline' && tokens[i + 2]?.type === 'paragraph_close' && isOneComment(tokens[i + 1].content)) {
      i += 2;
      continue;
    }
    if (t.type === 'inline' && t.children && t.content.includes('<!--')) {
      for (const child of t.children) {
        if (child.type === 'text' && child.content.includes('<!--')) child.content = withoutComments(child.content);
      }
    }
    out.push(t);
  }
  state.tokens = out;
}

/**
 * Index of the last token of the top-level block closing a comment opened by the paragraph at
 * `start`, or -1. `nextClose[j]` is the first inline token at or after `j` containing `-->`, so each
 * candidate costs one lookup (scanning forward from every unclosed `<!--` paragraph was quadratic).
 */
function multiBlockCommentEnd(tokens: readonly Token[], start: number, nextClose: Int32Array): number {
  const first = tokens[start + 1];
  if (first?.type !== 'inline' || !first.content.trimStart().startsWith('<!--') || first.content.includes('-->')) return -1;
  const j = start + 3 < tokens.length ? nextClose[start + 3] : -1;
  if (j < 0) return -1;
  // The closing block must end with the comment and sit at the top level, so nesting stays whole.
  const close = tokens[j + 1];
  if (!tokens[j].content.trimEnd().endsWith('-->') || !close || close.level !== 0 || close.nesting !== -1) return -1;
  return j + 1;
}

/** For each token index, the first inline token at or after it whose content contains `-->` (-1: none). */
function nextCommentClose(tokens: readonly Token[]): Int32Array {
  const next = new Int32Array(tokens.length);
  let found = -1;
  for (let j = tokens.length - 1; j >= 0; j--) {
    if (tokens[j].type === 'inline' && tokens[j].content.includes('-->')) found = j;
    next[j] = found;
  }
  return next;
}

/*
 * Comments are found with indexOf, not regular expressions: `/-->[\s\S]*<!--/` and a lazy
 * `<!--[\s\S]*?-->` without a closing `-->` backtrack over the rest of the text for every
 * candidate, quadratic on `'<!-- ' + '--> ' × 100,000`.
 */

/** The whole paragraph is one comment `<!-- … -->` (no `-->` followed later by another `<!--`). */
function isOneComment(content: string): boolean {
  const text = content.trim();
  if (text.length < 7 || !text.startsWith('<!--') || !text.endsWith('-->')) return false;
  const firstClose = content.indexOf('-->');
  return content.lastIndexOf('<!--') < firstClose + 3;
}

/** `text` with every complete `<!-- … -->` removed (an unclosed one stays, as before). */
function withoutComments(text: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf('<!--', pos);
    if (open === -1) break;
    const close = text.indexOf('-->', open + 4);
    if (close === -1) break;
    out += text.slice(pos, open);
    pos = close + 3;
  }
  return pos === 0 ? text : out + text.slice(pos);
}

function textToken(Token: StateCore['Token'], content: string, level: number): Token {
  const t = new Token('text', '', 0);
  t.content = content;
  t.level = level;
  return t;
}

/** One compiled pattern per tag word (a note has a handful of tags and may have 200,000 TODOs). */
const tagPatterns = new Map<string, RegExp>();
function tagPattern(tag: string): RegExp {
  let pattern = tagPatterns.get(tag);
  if (!pattern) {
    pattern = new RegExp(`(^|[^\\p{L}\\p{N}_])(${escapeRegExp(tag)})(?![\\p{L}\\p{N}_])`, 'gu');
    if (tagPatterns.size > 100) tagPatterns.clear();
    tagPatterns.set(tag, pattern);
  }
  return pattern;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The one text token the engine's fast path gives a plain inline token (engine.ts `plainInline`). */
function isPlainText(token: Token): boolean {
  const meta: unknown = token.meta;
  return typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>)[PLAIN_INLINE_META] === true;
}
