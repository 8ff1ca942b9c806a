import type MarkdownItModule from 'markdown-it';
import katex from 'katex';
import { createMarkdownEngine } from '../engine';
import { parseNotes } from '../parse';
import type { ParseResult, Section, Todo } from '../types';
import type { MathMacros } from './macros';
import { macrosKey } from './macros';
import { MathRenderCache, escapeHtml } from './mathCache';

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

export interface RenderedNotes {
  readonly html: string;
  /** Formulas in the document. */
  readonly formulas: number;
  /** Formulas KaTeX actually rendered for this call (the rest came from the cache). */
  readonly formulasRendered: number;
  /** Formulas that failed to render. */
  readonly mathErrors: number;
  readonly todoBadges: number;
}

interface RenderEnv {
  readonly parsed: ParseResult;
  readonly interactive: boolean;
  readonly resolveImageSrc?: (src: string) => string | undefined;
  readonly demoForSection?: (section: Section) => string | undefined;
  formulas: number;
  mathErrors: number;
  todoBadges: number;
}

export class NotesRenderer {
  private readonly md: MarkdownIt;
  private macros: MathMacros;
  private macrosKey: string;
  readonly cache: MathRenderCache;

  constructor(private readonly options: NotesRendererOptions = {}) {
    this.macros = { ...(options.macros ?? {}) };
    this.macrosKey = macrosKey(this.macros);
    this.cache = options.cache ?? new MathRenderCache();
    this.md = createMarkdownEngine({ macros: this.macros, katex });
    this.md.set({ html: false });
    this.extend(this.md);
  }

  /** New macros invalidate nothing explicitly: they are part of every cache key. */
  setMacros(macros: MathMacros): void {
    this.macros = { ...macros };
    this.macrosKey = macrosKey(this.macros);
  }

  getMacros(): MathMacros {
    return this.macros;
  }

  render(text: string, request: RenderRequest = {}): RenderedNotes {
    const source = typeof text === 'string' ? text : '';
    const parsed = request.parsed ?? parseNotes(source, this.options.tags ? { tags: this.options.tags } : {});
    const env: RenderEnv = {
      parsed,
      interactive: request.interactive ?? true,
      resolveImageSrc: request.resolveImageSrc,
      demoForSection: request.demoForSection,
      formulas: 0,
      mathErrors: 0,
      todoBadges: 0,
    };
    const before = this.cache.stats().misses;
    const html = this.md.render(source, env as unknown as MarkdownItModule.Env);
    return {
      html,
      formulas: env.formulas,
      formulasRendered: this.cache.stats().misses - before,
      mathErrors: env.mathErrors,
      todoBadges: env.todoBadges,
    };
  }

  private renderMath(tex: string, displayMode: boolean, env: RenderEnv): string {
    env.formulas++;
    const rendered = this.cache.render(tex, displayMode, this.macros, this.macrosKey);
    if (rendered.error !== undefined) env.mathErrors++;
    return rendered.html;
  }

  private extend(md: MarkdownIt): void {
    const rules = md.renderer.rules;

    // Math: the same delimiters as the engine's plugin, rendered through the cache.
    rules.math_inline = (tokens, idx, _o, env) => {
      const content = tokens[idx].content;
      // `$`1+1`$` is math too (the plugin's convention).
      const tex = content.length > 2 && content.startsWith('`') && content.endsWith('`') ? content.slice(1, -1) : content;
      // Environments that only exist in display mode render as display even inline (plugin behaviour).
      const display = /\\begin\{(align|equation|gather|cd|alignat)\}/i.test(tex);
      return this.renderMath(tex, display, envOf(env));
    };
    const block: RenderRule = (tokens, idx, _o, env) => {
      const token = tokens[idx];
      const line = token.map ? ` data-line="${token.map[0]}"` : '';
      const inner = this.renderMath(token.content, true, envOf(env));
      const cls = inner.startsWith('<div class="katex-error"') ? 'katex-block katex-block-error' : 'katex-block';
      return `<div class="${cls}${token.map ? ' code-line' : ''}"${line}>${inner}</div>\n`;
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

    rules.lectern_todo = (tokens, idx, _o, env) => renderTodoBadge((tokens[idx].meta as { todo: Todo }).todo, tokens[idx].content, envOf(env).interactive);
    rules.lectern_demo = (tokens, idx, _o, env) => {
      const meta = tokens[idx].meta as { demo: string; sectionIndex: number };
      const attrs = `class="lectern-demo" data-demo="${escapeHtml(meta.demo)}" data-section-index="${meta.sectionIndex}"`;
      return envOf(env).interactive
        ? `<button type="button" ${attrs} title="Open the ${escapeHtml(meta.demo)} demo">▶ demo</button>\n`
        : '';
    };

    md.core.ruler.push('lectern_hide_comments', (state) => hideHtmlComments(state));
    md.core.ruler.push('lectern_todos', (state) => {
      insertTodoBadges(state, envOf(state.env));
    });
    md.core.ruler.push('lectern_demos', (state) => {
      const env = envOf(state.env);
      if (env.demoForSection) insertDemoButtons(state, env, env.demoForSection);
    });
    md.core.ruler.push('lectern_source_lines', (state) => {
      for (const token of state.tokens) {
        if (token.map && token.nesting !== -1 && token.type !== 'inline') {
          token.attrSet('data-line', String(token.map[0]));
          token.attrJoin('class', 'code-line');
        }
      }
    });
  }
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
  const todos = [...env.parsed.todos].sort((a, b) => a.span.startOffset - b.span.startOffset);
  if (todos.length === 0) return;
  const Token = state.Token;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.map || !block.children) continue;
    const [first, end] = block.map;
    const pending = todos.filter((t) => t.span.range.start.line >= first && t.span.range.start.line < end);
    if (pending.length === 0) continue;
    const children: Token[] = [];
    for (const child of block.children) {
      if (child.type !== 'text' || pending.length === 0) {
        children.push(child);
        continue;
      }
      let rest = child.content;
      // A task item: the box is the first text of the item's first line.
      const task = pending[0].tag === 'task' && children.length === 0 ? /^\[([ xX])\]\s+/.exec(rest) : null;
      if (task) {
        const todo = pending.shift()!;
        const badge = new Token('lectern_todo', '', 0);
        badge.meta = { todo };
        badge.content = todo.status === 'resolved' ? '☑' : '☐';
        children.push(badge);
        env.todoBadges++;
        rest = rest.slice(task[0].length);
      }
      for (;;) {
        const next = pending[0];
        if (!next || next.tag === 'task') break;
        const m = new RegExp(`(^|[^A-Za-z0-9_])(${escapeRegExp(next.tag)})(?![A-Za-z0-9_])`).exec(rest);
        if (!m) break;
        const at = m.index + m[1].length;
        if (at > 0) children.push(textToken(Token, rest.slice(0, at), child.level));
        const badge = new Token('lectern_todo', '', 0);
        badge.meta = { todo: pending.shift()! };
        badge.content = m[2];
        children.push(badge);
        env.todoBadges++;
        rest = rest.slice(at + m[2].length);
      }
      if (rest.length > 0) children.push(textToken(Token, rest, child.level));
    }
    block.children = dropStrikeAroundBadges(children);
  }
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
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (
      t.type === 'paragraph_open' &&
      tokens[i + 1]?.type === 'inline' &&
      tokens[i + 2]?.type === 'paragraph_close' &&
      /^<!--[\s\S]*?-->$/.test(tokens[i + 1].content.trim()) &&
      !/-->[\s\S]*<!--/.test(tokens[i + 1].content)
    ) {
      i += 2;
      continue;
    }
    if (t.type === 'inline' && t.children && t.content.includes('<!--')) {
      for (const child of t.children) {
        if (child.type === 'text' && child.content.includes('<!--')) child.content = child.content.replace(/<!--[\s\S]*?-->/g, '');
      }
    }
    out.push(t);
  }
  state.tokens = out;
}

function textToken(Token: StateCore['Token'], content: string, level: number): Token {
  const t = new Token('text', '', 0);
  t.content = content;
  t.level = level;
  return t;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
