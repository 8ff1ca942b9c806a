import { ContentMap, alignLine, alignTail } from './contentMap';
import { FRONT_MATTER_TOKEN, type MarkdownEngine, WINDOW_ENV_KEY, createParsingEngine } from './engine';
import { inlineRangeOf, trackInlinePositions } from './inlinePositions';
import { lastAtOrBefore, NormalizedText } from './lines';
import { findAnswer } from './resolvedFormat';
import { slugger } from './slug';
import { type Exclusion, type ScannedTodo, forEachTodo, tagPattern } from './todoScan';
import { todoIdFactory } from './todoId';
import type { MathSegment, MathSpan, ParseOptions, ParseResult, Section, SourceSpan, Todo } from './types';
import { errorMessage } from './errors';

type Token = ReturnType<MarkdownEngine['parse']>[number];

export const DEFAULT_TAGS: readonly string[] = ['TODO', 'FIXME'];
export const TASK_TAG = 'task';

let parsingEngine: MarkdownEngine | undefined;
let plainInlineFastPath = true;

/** The same rules as the preview's engine, plus inline source positions; no KaTeX (parsing never renders). */
function engine(): MarkdownEngine {
  if (!parsingEngine) {
    parsingEngine = createParsingEngine({ plainInlineFastPath });
    trackInlinePositions(parsingEngine);
  }
  return parsingEngine;
}

/**
 * For tests comparing parses with and without the engine's fast path for plain inline content
 * (engine.ts `plainInline`); returns the previous setting.
 */
export function setParsingPlainInlineFastPath(enabled: boolean): boolean {
  const previous = plainInlineFastPath;
  if (enabled !== previous) parsingEngine = undefined;
  plainInlineFastPath = enabled;
  return previous;
}

/**
 * Parses lecture notes into sections, TODOs and math spans. Never throws unless `options.strict`:
 * on an internal failure (which would be a bug) it returns the document as one root section with
 * nothing in it, and says so in `failure`, so that tests and the fuzzer can tell a crash from a
 * note without TODOs.
 */
export function parseNotes(text: string, options: ParseOptions = {}): ParseResult {
  return parseNotesInWindows(text, options).result;
}

/**
 * Notes longer than twice this many characters are parsed a window of top-level blocks at a time,
 * so markdown-it's token stream (about ten times the note's size) never exists for the whole note
 * at once: a 32 MB note needed 310 MB of tokens on top of its parse. Small windows also let the
 * tokens die young: on that note 64 K windows peaked at 235 MB and 1 M windows at 434 MB (and
 * took 30% more CPU, in the garbage collector).
 */
export const PARSE_WINDOW_CHARS = 1 << 16;

/** Lines a window reaches past the block it is cut at, so that block's start is settled. */
const WINDOW_LOOKAHEAD_LINES = 8;

/**
 * A run of whole top-level blocks of a note, parsed on its own with the same result as in the
 * whole note: it starts at a block start (or the note's start) outside any HTML comment.
 */
export interface NoteWindow {
  readonly startOffset: number;
  readonly endOffset: number;
  /** The note's line at `startOffset`. */
  readonly startLine: number;
}

export interface WindowedParse {
  readonly result: ParseResult;
  /**
   * The windows the note was parsed in, in order and covering it, or undefined when it was parsed
   * whole (short, or something that reaches across blocks: reference definitions, unclosed front
   * matter). The renderer renders the same windows.
   */
  readonly windows: readonly NoteWindow[] | undefined;
  /**
   * With `keepTokens`, when the note was parsed in one piece (whole, or one window: a single block
   * longer than the window), markdown-it's tokens of that parse (of the normalised text: no
   * byte-order mark, line breaks `\n`), so the renderer need not parse the note a second time.
   */
  readonly tokens?: readonly Token[];
}

/**
 * `parseNotes`, also telling how the note was cut. Why windows give the whole note's parse: see
 * snapshot.ts — markdown-it keeps no state between top-level blocks but the line number, the
 * reference definitions and Lectern's comment carry. A window is parsed a few lines past the last
 * block start it holds; everything before that block is kept and the next window starts there,
 * with the carry the parse had at that block. A note with reference definitions is parsed whole
 * (a definition anywhere changes links everywhere).
 */
export function parseNotesInWindows(text: string, options: ParseOptions = {}, windowChars = PARSE_WINDOW_CHARS, keepTokens = false): WindowedParse {
  const source = typeof text === 'string' ? text : String(text ?? '');
  try {
    if (source.length > 2 * windowChars) {
      const windowed = parseWindows(source, options, windowChars, keepTokens);
      if (windowed) return windowed;
    }
    const parser = new NotesParser(source, options.tags ?? DEFAULT_TAGS);
    const raw = parser.parse();
    return { result: finishParse(raw, raw.lineStarts.length), windows: undefined, ...(keepTokens ? { tokens: parser.tokens } : {}) };
  } catch (err) {
    if (options.strict) throw err;
    return { result: failedParse(source, err), windows: undefined };
  }
}

const NO_REFERENCES: Readonly<Record<string, unknown>> = Object.freeze({});
const BLANK_LINE = /\n[ \t]*(?:\r\n?|\n)/g;
const FRONT_MATTER_START = /^\uFEFF?---[^\S\r\n]*(?:\r\n?|\n|$)/;

function parseWindows(text: string, options: ParseOptions, windowChars: number, keepTokens: boolean): WindowedParse | undefined {
  const headings: HeadingInfo[] = [];
  const todos: RawTodo[] = [];
  const math: MathSpan[] = [];
  const windows: NoteWindow[] = [];
  let contentStartLine = 0;
  let start = 0;
  let line = 0;
  let carry: ParserCarry = { inComment: false };
  for (;;) {
    let size = windowChars;
    for (;;) {
      const end = lineStartAfter(text, start + size);
      const last = end >= text.length;
      const parser = new NotesParser(text.slice(start, end), options.tags ?? DEFAULT_TAGS, { carry, references: NO_REFERENCES, startsDocument: start === 0 });
      const win = parser.parse();
      if (Object.keys(win.references).length > 0) return undefined;
      if (start === 0 && !last && win.contentStartLine === 0 && FRONT_MATTER_START.test(text)) {
        // Front matter opened but not closed in this window may close anywhere later.
        size *= 2;
        continue;
      }
      if (start === 0) contentStartLine = win.contentStartLine;
      const windowLines = win.lineStarts.length;
      let cut = -1;
      if (!last) {
        const limit = windowLines - 1 - WINDOW_LOOKAHEAD_LINES;
        for (let b = win.blocks.length - 1; b >= 0; b--) {
          const block = win.blocks[b];
          if (block.line > limit) continue;
          if (block.line <= 0 || block.line < win.contentStartLine) break;
          // U+FEFF is a byte-order mark only at the note's start; a window must not begin with one.
          if (!block.carry.inComment && text.charCodeAt(start + win.lineStarts[block.line]) !== 0xfeff) {
            cut = b;
            break;
          }
        }
        if (cut < 0) {
          // One block longer than the window (a long list, fence or paragraph): a larger window,
          // reaching at least the next blank line, before which a paragraph cannot end (so one
          // paragraph of a million lines is parsed twice at most, not once per doubling).
          BLANK_LINE.lastIndex = end;
          const blank = BLANK_LINE.exec(text);
          size = blank ? Math.max(2 * size, blank.index + blank[0].length - start) : text.length - start;
          continue;
        }
      }
      const cutLine = last ? Number.POSITIVE_INFINITY : win.blocks[cut].line;
      const by = { offset: start, line };
      for (const h of win.headings) if (h.line < cutLine) headings.push(line === 0 ? h : { ...h, line: h.line + line });
      for (const t of win.todos) if (t.span.range.start.line < cutLine) todos.push(line === 0 ? t : { ...t, span: shiftSpan(t.span, by) });
      for (const m of win.math) if (m.span.range.start.line < cutLine) math.push(line === 0 ? m : shiftMath(m, by));
      if (last) {
        windows.push({ startOffset: start, endOffset: text.length, startLine: line });
        const result = finishParse({ headings, todos, math, blocks: [], contentStartLine, references: NO_REFERENCES, lineStarts: [] }, line + windowLines);
        return { result, windows, ...(keepTokens && start === 0 ? { tokens: parser.tokens } : {}) };
      }
      const next = start + win.lineStarts[cutLine];
      windows.push({ startOffset: start, endOffset: next, startLine: line });
      carry = win.blocks[cut].carry;
      start = next;
      line += cutLine;
      break;
    }
  }
}

/** Offset just past the first `\n` at or after `offset` (a line start), or the text's length. */
function lineStartAfter(text: string, offset: number): number {
  if (offset >= text.length) return text.length;
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** How far a span moves: in offsets and lines (columns stay, as spans move by whole lines). */
export interface Shift {
  readonly offset: number;
  readonly line: number;
}

export function shiftSpan(span: SourceSpan, by: Shift): SourceSpan {
  const { start, end } = span.range;
  return {
    range: { start: { line: start.line + by.line, character: start.character }, end: { line: end.line + by.line, character: end.character } },
    startOffset: span.startOffset + by.offset,
    endOffset: span.endOffset + by.offset,
  };
}

export function shiftMath(m: MathSpan, by: Shift): MathSpan {
  return {
    ...m,
    span: shiftSpan(m.span, by),
    contentOffset: m.contentOffset + by.offset,
    ...(m.segments ? { segments: m.segments.map((s) => ({ contentStart: s.contentStart, sourceOffset: s.sourceOffset + by.offset })) } : {}),
  };
}

/** What `parseNotes` returns when the parser itself failed: the whole text as an empty root. */
export function failedParse(source: string, err: unknown): ParseResult {
  const lineCount = new NormalizedText(source).original.lineCount;
  return {
    sections: [{ index: 0, level: 0, title: '', slug: '', path: [], startLine: 0, endLine: lineCount, parent: undefined, children: [] }],
    todos: [],
    math: [],
    lineCount,
    contentStartLine: 0,
    failure: errorMessage(err),
  };
}

/**
 * The parser's state that crosses top-level blocks: an HTML comment left open in one paragraph
 * hides TODOs in the next ones. A window of the document parsed on its own starts from the carry
 * at its first block, and is only spliced in if it ends with the carry the old parse had there.
 */
export interface ParserCarry {
  readonly inComment: boolean;
}

/** A top-level markdown-it block (`level` 0): where it starts and the carry before it. */
export interface BlockStart {
  readonly line: number;
  readonly carry: ParserCarry;
}

/**
 * Everything the parser found, before the final pass that needs the whole document: sections are
 * nested, slugs de-duplicated and TODO ids counted over all of it (`finishParse`). Incremental
 * parsing (`snapshot.ts`) splices these lists, then runs the same final pass.
 */
export interface RawParse {
  readonly headings: readonly HeadingInfo[];
  readonly todos: readonly RawTodo[];
  readonly math: readonly MathSpan[];
  readonly blocks: readonly BlockStart[];
  readonly contentStartLine: number;
  /**
   * markdown-it's reference definitions (`[label]: url`), which the links of every block see. For
   * a window: only the labels it defines that the document did not already define.
   */
  readonly references: Readonly<Record<string, unknown>>;
  /** Offset of each line of the text parsed (line breaks `\r\n`, `\r`, `\n`). */
  readonly lineStarts: readonly number[];
}

/** Where a window parse starts: the carry and references of the document around it. */
export interface WindowContext {
  readonly carry: ParserCarry;
  readonly references: Readonly<Record<string, unknown>>;
  /** The window starts at the note's first line, so front matter is looked for. */
  readonly startsDocument: boolean;
}

/**
 * Parses `text` into a `RawParse`. With `window`, `text` is a run of whole top-level blocks cut
 * out of a larger note: front matter is not looked for, and the document's carry and reference
 * definitions are in force from the start. Throws on an internal failure.
 */
export function parseRaw(text: string, options: ParseOptions = {}, window?: WindowContext): RawParse {
  return new NotesParser(text, options.tags ?? DEFAULT_TAGS, window).parse();
}

export interface HeadingInfo {
  readonly level: number;
  readonly title: string;
  readonly line: number;
}

export interface RawTodo {
  readonly tag: string;
  readonly text: string;
  readonly status: 'open' | 'resolved';
  readonly answer?: string;
  readonly span: SourceSpan;
  readonly context: string;
}

class NotesParser {
  private readonly norm: NormalizedText;
  private readonly src: string;
  private readonly tagRe: RegExp | undefined;
  private readonly headings: HeadingInfo[] = [];
  private readonly rawTodos: RawTodo[] = [];
  private readonly math: MathSpan[] = [];
  private readonly blocks: BlockStart[] = [];
  private contentStartLine = 0;
  private inComment = false;
  /** markdown-it's tokens, once parsed. */
  tokens: readonly Token[] = [];

  constructor(
    text: string,
    tags: readonly string[],
    private readonly window?: WindowContext,
  ) {
    this.norm = new NormalizedText(text);
    this.src = this.norm.normalized;
    this.tagRe = tagPattern(tags);
    if (window) this.inComment = window.carry.inComment;
  }

  parse(): RawParse {
    // In a window, definitions found there land on the object itself; the document's are its prototype.
    const env: { references?: Record<string, unknown>; [WINDOW_ENV_KEY]?: boolean } = this.window
      ? { references: Object.create(this.window.references) as Record<string, unknown>, [WINDOW_ENV_KEY]: !this.window.startsDocument }
      : {};
    const tokens = engine().parse(this.src, env as Parameters<MarkdownEngine['parse']>[1]);
    this.tokens = tokens;
    let rowLine = -1;
    let rowCursor = 0;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.level === 0 && token.nesting !== -1 && token.map) this.blocks.push({ line: token.map[0], carry: { inComment: this.inComment } });
      switch (token.type) {
        case FRONT_MATTER_TOKEN:
          if (token.map) this.contentStartLine = token.map[1];
          break;
        case 'heading_open': {
          const inline = tokens[i + 1];
          if (token.map && inline?.type === 'inline') {
            const map = this.mapInline(inline.content, token.map[0]);
            // A heading inside a multi-line `<!-- … -->` is commented out, not a section.
            const commentedOut = this.inComment;
            this.htmlComments(inline.content, []);
            if (!commentedOut) this.headings.push({ level: Number(token.tag.slice(1)) || 1, title: plainText(inline.children ?? []), line: token.map[0] });
            this.inlineMath(inline, map);
            i++;
          }
          break;
        }
        case 'tr_open':
          rowLine = token.map ? token.map[0] : rowLine;
          rowCursor = rowLine >= 0 ? this.norm.lines.starts[Math.min(rowLine, this.norm.lines.lineCount - 1)] : 0;
          break;
        case 'inline': {
          const inTable = tokens[i - 1]?.type === 'th_open' || tokens[i - 1]?.type === 'td_open';
          const line = inTable ? rowLine : token.map?.[0];
          if (line === undefined || line < 0) break;
          const map = new ContentMap();
          if (inTable) {
            const start = alignLine(map, this.src, this.norm.lines, line, token.content, 0, undefined, rowCursor);
            rowCursor = start + token.content.length;
          } else {
            this.alignParagraph(map, token.content, line);
          }
          const isTaskParagraph = tokens[i - 1]?.type === 'paragraph_open' && tokens[i - 2]?.type === 'list_item_open';
          this.inlineTokens(token, map, isTaskParagraph);
          break;
        }
        case 'math_block':
          this.blockMath(token);
          break;
        case 'fence':
          if (token.info.trim().toLowerCase() === 'math') this.fencedMath(token);
          break;
      }
    }
    return {
      headings: this.headings,
      todos: this.rawTodos,
      math: this.math,
      blocks: this.blocks,
      contentStartLine: this.contentStartLine,
      references: { ...env.references },
      lineStarts: this.norm.original.starts,
    };
  }

  private mapInline(content: string, line: number): ContentMap {
    const map = new ContentMap();
    this.alignParagraph(map, content, line);
    return map;
  }

  private alignParagraph(map: ContentMap, content: string, firstLine: number): void {
    // The common case in one comparison: the content is the source from its first line's tail
    // to its last line's end (no container prefixes, no indentation dropped).
    if (firstLine < this.norm.lines.lineCount) {
      const nl = content.indexOf('\n');
      const start = this.norm.lines.lineEnd(firstLine) - (nl < 0 ? content.length : nl);
      const end = start + content.length;
      if (start >= this.norm.lines.starts[firstLine] && (end === this.src.length || this.src.charCodeAt(end) === 10) && this.src.startsWith(content, start)) {
        map.verbatim(start, content);
        return;
      }
    }
    let contentStart = 0;
    let line = firstLine;
    for (;;) {
      const nl = content.indexOf('\n', contentStart);
      const end = nl < 0 ? content.length : nl;
      if (!alignTail(map, this.src, this.norm.lines, line, content, contentStart, end)) {
        alignLine(map, this.src, this.norm.lines, line, content.slice(contentStart, end), contentStart);
      }
      if (nl < 0) break;
      contentStart = nl + 1;
      line++;
    }
  }

  private inlineTokens(token: Token, map: ContentMap, maybeTask: boolean): void {
    const content = token.content;
    const exclusions: Exclusion[] = [];
    for (const child of token.children ?? []) {
      const range = inlineRangeOf(child);
      if (!range) continue;
      switch (range.rule === 'math_inline_block' ? 'math_inline_block' : child.type) {
        case 'code_inline':
          exclusions.push({ start: range.start, end: range.end, kind: 'code' });
          break;
        case 'math_inline':
          exclusions.push({ start: range.start, end: range.end, kind: 'math' });
          this.pushInlineMath(map, range.start, range.end, 1, false, child.content);
          break;
        case 'math_inline_block':
          exclusions.push({ start: range.start, end: range.end, kind: 'display' });
          this.pushInlineMath(map, range.start, range.end, 2, true, child.content);
          break;
        case 'link_open':
          if (child.markup === 'autolink') exclusions.push({ start: range.start, end: range.end, kind: 'autolink' });
          else if (range.labelEnd !== undefined) exclusions.push({ start: range.labelEnd, end: range.end, kind: 'link' });
          break;
        case 'image':
          exclusions.push({ start: range.start, end: range.end, kind: 'image' });
          break;
        case 'html_inline':
          exclusions.push({ start: range.start, end: range.end, kind: 'html' });
          break;
      }
    }
    const hidden = normalizeExclusions(exclusions);
    const comments = this.htmlComments(content, hidden);
    const withComments = comments.length ? normalizeExclusions([...hidden, ...comments]) : hidden;
    if (!this.tagRe && !maybeTask) return;

    let skipBefore = 0;
    if (maybeTask && !(withComments.length > 0 && withComments[0].kind === 'comment' && withComments[0].start === 0)) {
      const task = readTask(content);
      if (task) {
        skipBefore = task.lineEnd;
        this.rawTodos.push({
          tag: TASK_TAG,
          text: task.text,
          status: task.checked ? 'resolved' : 'open',
          answer: task.checked ? task.answer ?? '' : undefined,
          span: this.sourceSpan(map, 0, task.end),
          context: '',
        });
      }
    }
    if (!this.tagRe) return;
    forEachTodo(content, withComments, this.tagRe, skipBefore, (found) => this.pushTodo(map, found));
  }

  /** `<!-- … -->` (shown as text with html off, hidden on GitHub): never a TODO. May span paragraphs. */
  private htmlComments(content: string, hidden: readonly Exclusion[]): Exclusion[] {
    const out: Exclusion[] = [];
    let pos = 0;
    let ex = 0;
    const outside = (at: number) => {
      while (ex < hidden.length && hidden[ex].end <= at) ex++;
      return !(ex < hidden.length && hidden[ex].start <= at);
    };
    let commentStart = 0;
    while (pos <= content.length) {
      if (this.inComment) {
        const close = content.indexOf('-->', pos);
        if (close < 0) {
          out.push({ start: commentStart, end: content.length, kind: 'comment' });
          return out;
        }
        out.push({ start: commentStart, end: close + 3, kind: 'comment' });
        this.inComment = false;
        pos = close + 3;
      } else {
        const open = content.indexOf('<!--', pos);
        if (open < 0) return out;
        if (outside(open) && !escaped(content, open)) {
          this.inComment = true;
          commentStart = open;
        }
        pos = open + 4;
      }
    }
    return out;
  }

  private pushTodo(map: ContentMap, found: ScannedTodo): void {
    this.rawTodos.push({
      tag: found.tag,
      text: found.text,
      status: found.resolved ? 'resolved' : 'open',
      answer: found.resolved ? found.answer ?? '' : undefined,
      span: this.sourceSpan(map, found.start, found.end),
      context: found.context,
    });
  }

  private sourceSpan(map: ContentMap, start: number, end: number): SourceSpan {
    const s = this.norm.toOriginal(map.toSource(start));
    const e = this.norm.toOriginal(map.endToSource(end, start));
    return this.norm.original.span(s, Math.max(s, e));
  }

  private inlineMath(inline: Token, map: ContentMap): void {
    for (const child of inline.children ?? []) {
      const range = inlineRangeOf(child);
      if (!range) continue;
      if (range.rule === 'math_inline') this.pushInlineMath(map, range.start, range.end, 1, false, child.content);
      else if (range.rule === 'math_inline_block') this.pushInlineMath(map, range.start, range.end, 2, true, child.content);
    }
  }

  private pushInlineMath(map: ContentMap, start: number, end: number, delimiter: number, display: boolean, content: string): void {
    const contentStart = start + delimiter;
    const segments: MathSegment[] = [];
    for (const piece of map.pieces) {
      if (piece.contentStart >= contentStart + content.length) break;
      const from = Math.max(piece.contentStart, contentStart);
      const segment = { contentStart: from - contentStart, sourceOffset: this.norm.toOriginal(map.toSource(from)) };
      if (piece.contentStart <= contentStart) segments.length = 0;
      segments.push(segment);
    }
    this.math.push({
      display,
      content,
      span: this.sourceSpan(map, start, end),
      contentOffset: this.norm.toOriginal(map.toSource(contentStart)),
      segments,
    });
  }

  /** `$$` blocks: the opening `$$` starts the block's first line (after any container prefix). */
  private blockMath(token: Token): void {
    if (!token.map) return;
    const lines = this.norm.lines;
    const last = lines.lineCount - 1;
    const first = Math.min(token.map[0], last);
    const firstStart = lines.starts[first];
    const firstEnd = lines.lineEnd(first);
    const openAt = this.src.slice(firstStart, firstEnd).indexOf('$$');
    if (openAt < 0) return;
    const open = firstStart + openAt;
    const content = token.content;
    const map = new ContentMap();
    let end: number;
    const afterOpen = this.src.slice(open + 2, firstEnd);
    const closesOnFirstLine = token.map[1] - token.map[0] <= 1 && afterOpen.trimEnd().endsWith('$$');
    if (closesOnFirstLine) {
      const lead = afterOpen.length - afterOpen.trimStart().length;
      map.add(0, open + 2 + lead, firstEnd + 1);
      end = open + 2 + afterOpen.trimEnd().length;
    } else {
      const parts = content.split('\n');
      let line = first;
      let contentStart = 0;
      const closeLine = Math.min(token.map[1] - 1, last);
      let k = 0;
      // Until a content line says otherwise, the content starts right after the `$$`.
      map.add(0, open + 2, firstEnd + 1);
      if (afterOpen.trim() !== '') {
        map.add(0, open + 2, firstEnd + 1);
        contentStart = parts[0].length + 1;
        k = 1;
      }
      line = first + 1;
      for (; k < parts.length; k++, line++) {
        const part = parts[k];
        const isLast = k === parts.length - 1;
        if (line > last) break;
        if (isLast && part === '') {
          map.add(contentStart, lines.starts[line], lines.lineEnd(line) + 1);
          break;
        }
        const target = line;
        const closing = isLast ? this.closingDelimiter(target) : undefined;
        alignLine(map, this.src, lines, target, part, contentStart, closing);
        contentStart += part.length + 1;
      }
      const closeAt = this.closingDelimiter(closeLine);
      end = closeLine > first && closeAt !== undefined ? closeAt + 2 : lines.lineEnd(closeLine);
    }
    this.pushBlockMath(content, open, end, map);
  }

  /** Where markdown-it-katex found the closing `$$` on a line (its own rule), if any. */
  private closingDelimiter(line: number): number | undefined {
    const start = this.norm.lines.starts[line];
    const text = this.norm.lines.lineText(line);
    if (text.trim().endsWith('$$')) return start + text.lastIndexOf('$$');
    const at = text.indexOf('$$');
    return at >= 0 ? start + at : undefined;
  }

  private fencedMath(token: Token): void {
    if (!token.map) return;
    const lines = this.norm.lines;
    const last = lines.lineCount - 1;
    const first = Math.min(token.map[0], last);
    const fenceText = lines.lineText(first);
    const fenceAt = Math.max(0, fenceText.search(/```|~~~/));
    const map = new ContentMap();
    const parts = token.content.split('\n');
    let contentStart = 0;
    map.add(0, lines.lineEnd(first), lines.lineEnd(first) + 1);
    for (let k = 0; k < parts.length; k++) {
      const line = first + 1 + k;
      if (line > last) break;
      if (k === parts.length - 1 && parts[k] === '') {
        map.add(contentStart, lines.starts[line], lines.lineEnd(line) + 1);
        break;
      }
      alignLine(map, this.src, lines, line, parts[k], contentStart);
      contentStart += parts[k].length + 1;
    }
    const closeLine = Math.min(Math.max(token.map[1] - 1, first), last);
    this.pushBlockMath(token.content, lines.starts[first] + fenceAt, lines.starts[closeLine] + lines.lineText(closeLine).trimEnd().length, map);
  }

  private pushBlockMath(content: string, start: number, end: number, map: ContentMap): void {
    const segments: MathSegment[] = map.pieces
      .filter((p, i) => i === 0 || p.contentStart < content.length)
      .map((p) => ({ contentStart: p.contentStart, sourceOffset: this.norm.toOriginal(Math.min(Math.max(p.sourceStart, start), end)) }));
    const s = this.norm.toOriginal(start);
    const e = this.norm.toOriginal(Math.max(start, end));
    this.math.push({
      display: true,
      content,
      span: this.norm.original.span(s, e),
      contentOffset: segments.length ? segments[0].sourceOffset : s,
      segments,
    });
  }
}

/**
 * The final pass over a whole document's raw parse: sections nested and slugged, every TODO given
 * its section and its id. Ids and slugs count occurrences over the whole document, which is why
 * this pass is never done per window.
 */
export function finishParse(raw: RawParse, lineCount: number): ParseResult {
  const sections = buildSections(raw.headings, lineCount, raw.contentStartLine);
  const headingLines = sections.map((s) => s.startLine);
  const newId = todoIdFactory();
  const todos: Todo[] = raw.todos.map((todo) => {
    const section = sections[sectionAt(headingLines, todo.span.range.start.line)];
    const id = newId(todo.tag, section.path, todo.text, todo.context);
    // Two literals rather than a spread: one object per TODO, not three (200,000 in a TODO-dense MB).
    return todo.answer !== undefined
      ? { id, tag: todo.tag, text: todo.text, status: todo.status, answer: todo.answer, span: todo.span, sectionIndex: section.index, sectionPath: section.path }
      : { id, tag: todo.tag, text: todo.text, status: todo.status, span: todo.span, sectionIndex: section.index, sectionPath: section.path };
  });
  return { sections, todos, math: raw.math, lineCount, contentStartLine: raw.contentStartLine };
}

/** The last section starting at or before `line` (index 0, the root, starts first). */
function sectionAt(headingLines: readonly number[], line: number): number {
  return lastAtOrBefore(headingLines, line);
}

function buildSections(headings: readonly HeadingInfo[], lineCount: number, contentStartLine: number): Section[] {
  interface Mutable {
    index: number;
    level: number;
    title: string;
    slug: string;
    path: string[];
    startLine: number;
    endLine: number;
    parent: number | undefined;
    children: number[];
  }
  const root: Mutable = { index: 0, level: 0, title: '', slug: '', path: [], startLine: contentStartLine, endLine: lineCount, parent: undefined, children: [] };
  const all: Mutable[] = [root];
  const stack: Mutable[] = [root];
  const slug = slugger();
  for (const h of headings) {
    while (stack.length > 1 && stack[stack.length - 1].level >= h.level) {
      stack.pop()!.endLine = h.line;
    }
    const parent = stack[stack.length - 1];
    const section: Mutable = {
      index: all.length,
      level: h.level,
      title: h.title,
      slug: slug(h.title),
      path: [...parent.path, h.title],
      startLine: h.line,
      endLine: lineCount,
      parent: parent.index,
      children: [],
    };
    parent.children.push(section.index);
    all.push(section);
    stack.push(section);
  }
  return all;
}

/** A heading's text as a reader sees it: markup dropped, code and math kept as written. */
function plainText(children: readonly Token[]): string {
  let out = '';
  for (const child of children) {
    switch (child.type) {
      case 'text':
      case 'text_special':
      case 'code_inline':
        out += child.content;
        break;
      case 'math_inline':
        out += `$${child.content}$`;
        break;
      case 'math_block':
        out += `$$${child.content}$$`;
        break;
      case 'softbreak':
      case 'hardbreak':
        out += ' ';
        break;
      case 'image':
        out += plainText(child.children ?? []);
        break;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** `[ ] text` / `[x] text` at the start of a list item's first paragraph (GFM task list). */
function readTask(content: string): { checked: boolean; text: string; answer?: string; end: number; lineEnd: number } | undefined {
  const m = /^\[([ xX])\](?=[ \t]|$|\n)/.exec(content);
  if (!m) return undefined;
  const nl = content.indexOf('\n');
  const lineEnd = nl < 0 ? content.length : nl;
  let end = lineEnd;
  while (end > 3 && /\s/.test(content[end - 1])) end--;
  const checked = m[1] !== ' ';
  let textEnd = end;
  let answer: string | undefined;
  if (checked) {
    const found = findAnswer(content, 3, end, end);
    if (found && found.end === end) {
      textEnd = found.start;
      answer = found.answer;
    }
  }
  return { checked, text: content.slice(3, textEnd).replace(/\s+/g, ' ').trim(), answer, end, lineEnd };
}

function normalizeExclusions(list: readonly Exclusion[]): Exclusion[] {
  if (list.length < 2) return [...list];
  const sorted = [...list].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Exclusion[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && e.start < prev.end) continue;
    out.push(e);
  }
  return out;
}

/** Whether `content[at]` is backslash-escaped (an odd run of backslashes before it). */
function escaped(content: string, at: number): boolean {
  let n = 0;
  while (at - n - 1 >= 0 && content.charCodeAt(at - n - 1) === 92) n++;
  return n % 2 === 1;
}
