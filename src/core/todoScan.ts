import { STRIKE, findAnswer } from './resolvedFormat';
import { partitionPoint } from './partitionPoint';

/**
 * TODO recognition inside one inline content string (a paragraph, a list item's text, a table
 * cell). The block structure has already excluded code blocks, front matter and headings; here
 * the hidden inline ranges (code spans, math, link destinations, autolinks, images, HTML
 * comments) are skipped.
 *
 * A tag is a whole word (no letter, digit or `_` on either side), matched case-sensitively, so
 * `TODOS` and `todo` are not tags. A tag is a TODO when it is
 * - followed by a colon: `TODO: question` (also `**TODO**: …`, `TODO:** …`, full-width `TODO：`,
 *   and the full-width comma of Chinese and Japanese notes, `TODO，检查…`);
 * - right after `(` or `（`, emphasis allowed in between: `(TODO)`, `(TODO: question)`, `（**TODO**）`;
 * - followed by a dash or a spaced slash: `TODO - question`, `TODO / 自己看…`;
 * - LaTeX style with a bracket argument, `\TODO[find the reference]`: the question is the argument;
 * - at the end of a sentence or line: `Detailed Algorithm TODO`, `TODO.`;
 * - the first word of a line followed by text: `TODO check this`;
 * - struck out (`~~TODO~~`), which is the resolved form; so is the author's own way of closing a
 *   question, striking the whole of it and writing the answer after: `~~TODO: question~~ answer`.
 * A tag in the middle of a sentence (`the TODO list`) is prose, not a TODO.
 *
 * The question runs from the tag to the end of the line, and stops earlier at the `)` (or `）`)
 * that closes an enclosing parenthesis, an unbalanced `]`, display math (`$$ … $$`: `TODO: what are
 * the symbols?: $$ … $$` asks "what are the symbols?"), or the next TODO on the line. A link inside
 * the question is kept whole (its label in the text, never cut inside it). Trailing spaces and
 * colons are not part of it, nor are emphasis markers left unpaired by the tag's own emphasis
 * (`**TODO: question**`). Inline math and code inside the question stay in its text.
 */

export type ExclusionKind = 'code' | 'math' | 'display' | 'link' | 'autolink' | 'image' | 'html' | 'comment';

export interface Exclusion {
  readonly start: number;
  readonly end: number;
  readonly kind: ExclusionKind;
}

export interface ScannedTodo {
  readonly tag: string;
  /** Content offsets of the TODO's own text (`~~`s and answer included when resolved). */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly resolved: boolean;
  readonly answer?: string;
  /** A few words before the TODO on its line: tells apart bare TODOs in one section. */
  readonly context: string;
}

type OpenKind = 'paren' | 'question' | 'bare' | 'bracket';

interface Candidate {
  readonly tag: string;
  readonly tagStart: number;
  readonly spanStart: number;
  readonly restStart: number;
  readonly struck: boolean;
  /** `~~TODO: question~~ answer`: where the closing `~~` is. */
  readonly strikeClose?: number;
  readonly kind: OpenKind | undefined;
  readonly lineStart: number;
  readonly lineEnd: number;
}

// Full-width forms: ： (FF1A), ， (FF0C), （ (FF08), ） (FF09), ／ (FF0F), and CJK sentence ends.
const COLON = /[*_]*[ \t]*[:\uFF1A\uFF0C]/y;
const DASH = /[*_]*(?:[ \t]+[-\u2013\u2014/][ \t]|[ \t]*\uFF0F)/y;
const BARE_END = /[*_~]*[ \t]*(?:[.!?;,)\]\u3002\uFF01\uFF1F\uFF1B\u3001\uFF09]|\n|$)/y;
const WORDS_FOLLOW = /[ \t]+[^\s]/y;
const LEADING_SEPARATOR = /^[*_]*\s*(?:[:\uFF1A\uFF0C\uFF0F]|[-\u2013\u2014/](?=\s))?[*_]*\s*/;

function stickyTest(re: RegExp, text: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(text);
}

/** Builds the tag matcher: only whole uppercase words are valid tags. */
export function tagPattern(tags: readonly string[]): RegExp | undefined {
  const valid = [...new Set(tags.filter((t) => /^\p{Lu}[\p{Lu}\p{N}_]*$/u.test(t)))];
  if (valid.length === 0) return undefined;
  valid.sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${valid.join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
}

export function scanTodos(
  content: string,
  exclusions: readonly Exclusion[],
  tagRe: RegExp,
  /** Content offsets before which nothing is scanned (e.g. a task item's first line). */
  skipBefore = 0,
): ScannedTodo[] {
  const result: ScannedTodo[] = [];
  forEachTodo(content, exclusions, tagRe, skipBefore, (todo) => result.push(todo));
  return result;
}

/**
 * `scanTodos`, handing each TODO to `emit` in order. Candidates are kept one line at a time (a
 * TODO only looks at the others on its line): a TODO-dense paragraph of 200,000 lines never holds
 * 200,000 candidates at once.
 */
export function forEachTodo(content: string, exclusions: readonly Exclusion[], tagRe: RegExp, skipBefore: number, emit: (todo: ScannedTodo) => void): void {
  const line: Candidate[] = [];
  const state = { consumedTo: 0, lastEndOnLine: -1 };
  findCandidates(content, exclusions, tagRe, skipBefore, {
    push: (c) => {
      if (line.length > 0 && line[0].lineStart !== c.lineStart) {
        scanLine(content, exclusions, line, state, emit);
        line.length = 0;
      }
      line.push(c);
    },
  });
  if (line.length > 0) scanLine(content, exclusions, line, state, emit);
}

/** The TODOs of one line's candidates (all with the same `lineStart`), in order. */
function scanLine(
  content: string,
  exclusions: readonly Exclusion[],
  candidates: readonly Candidate[],
  state: { consumedTo: number; lastEndOnLine: number },
  emit: (todo: ScannedTodo) => void,
): void {
  let { consumedTo, lastEndOnLine } = state;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c.spanStart < consumedTo) continue;
    if (!c.struck && c.kind === undefined) continue;
    let next = c.lineEnd;
    for (let j = i + 1; j < candidates.length && candidates[j].lineStart === c.lineStart; j++) {
      const d = candidates[j];
      if (d.struck || d.kind !== undefined) {
        next = d.spanStart;
        break;
      }
    }
    let end: number;
    let questionEnd: number;
    let answer: string | undefined;
    if (c.strikeClose !== undefined) {
      // `~~TODO: question~~ answer`: the answer is the rest of the line, up to the next TODO.
      questionEnd = c.strikeClose;
      end = Math.min(next, c.lineEnd);
      while (end > c.strikeClose + 2 && /\s/.test(content[end - 1])) end--;
      answer = content
        .slice(c.strikeClose + 2, end)
        .replace(/^[\s:\uFF1A\-\u2013\u2014>→=?.!,]+/, '')
        .replace(/\s+/g, ' ')
        .trim();
    } else if (c.kind === 'bracket' && !c.struck) {
      questionEnd = bracketEnd(content, c.restStart, next);
      end = questionEnd;
    } else if (c.struck) {
      const found = findAnswer(content, c.restStart, Math.max(c.restStart, next), c.lineEnd);
      if (found) {
        end = found.end;
        questionEnd = found.start;
        answer = found.answer;
      } else {
        questionEnd = questionExtent(content, c, next, exclusions);
        end = questionEnd;
        answer = '';
      }
    } else {
      questionEnd = questionExtent(content, c, next, exclusions);
      end = questionEnd;
    }
    const text = questionText(content, c, questionEnd);
    const contextFrom = Math.max(c.lineStart, lastEndOnLine >= c.lineStart ? lastEndOnLine : c.lineStart, c.spanStart - 80);
    // Most TODOs start their line: no context to build (a TODO-dense note has one per 5 bytes).
    const context = contextFrom >= c.spanStart ? '' : contextBefore(content, contextFrom, c.spanStart);
    emit({ tag: c.tag, start: c.spanStart, end, text, resolved: c.struck || c.strikeClose !== undefined, answer, context });
    consumedTo = end;
    lastEndOnLine = end;
  }
  state.consumedTo = consumedTo;
  state.lastEndOnLine = lastEndOnLine;
}

/** The last three words before a TODO on its line, punctuation dropped. */
function contextBefore(content: string, from: number, to: number): string {
  return content
    .slice(from, to)
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .trim()
    .split(/\s+/)
    .slice(-3)
    .join(' ');
}

function findCandidates(content: string, exclusions: readonly Exclusion[], tagRe: RegExp, skipBefore: number, out: { push(c: Candidate): void }): void {
  let ex = 0;
  let lineStart = 0;
  let lineEnd = -1;
  tagRe.lastIndex = skipBefore;
  for (let m = tagRe.exec(content); m; m = tagRe.exec(content)) {
    const t = m.index;
    const tag = m[0];
    while (ex < exclusions.length && exclusions[ex].end <= t) ex++;
    if (ex < exclusions.length && exclusions[ex].start <= t) {
      tagRe.lastIndex = Math.max(tagRe.lastIndex, exclusions[ex].end);
      continue;
    }
    if (t > lineEnd) {
      lineStart = content.lastIndexOf('\n', t - 1) + 1;
      const nl = content.indexOf('\n', t);
      lineEnd = nl < 0 ? content.length : nl;
    }
    const afterTag = t + tag.length;
    const struck = t - 2 >= lineStart && content.startsWith(STRIKE, t - 2) && content.startsWith(STRIKE, afterTag);
    const authorStruck = !struck && authorStrike(content, t, afterTag, lineStart);
    if (authorStruck) {
      out.push({ tag, tagStart: t, struck: false, kind: 'question', lineStart, ...authorStruck });
      continue;
    }
    const spanStart = struck ? t - 2 : t;
    const restStart = struck ? afterTag + 2 : afterTag;
    out.push({ tag, tagStart: t, spanStart, restStart, struck, kind: classify(content, spanStart, restStart, lineStart), lineStart, lineEnd });
  }
}

function classify(content: string, spanStart: number, restStart: number, lineStart: number): OpenKind | undefined {
  if (spanStart > lineStart && content[spanStart - 1] === '\\' && content[restStart] === '[') return 'bracket';
  let before = spanStart - 1;
  while (before >= lineStart && (content[before] === '*' || content[before] === '_')) before--;
  if (before >= lineStart && (content[before] === '(' || content[before] === '\uFF08')) return 'paren';
  if (stickyTest(COLON, content, restStart)) return 'question';
  if (stickyTest(DASH, content, restStart)) return 'question';
  if (stickyTest(BARE_END, content, restStart)) return 'bare';
  if (onlyMarkupBefore(content, lineStart, spanStart) && stickyTest(WORDS_FOLLOW, content, restStart)) return 'question';
  return undefined;
}

function onlyMarkupBefore(content: string, lineStart: number, at: number): boolean {
  for (let i = at - 1; i >= lineStart; i--) {
    const c = content[i];
    if (c !== ' ' && c !== '\t' && c !== '*' && c !== '_') return false;
  }
  return true;
}

/** End of the question (exclusive, trailing blanks and colons dropped). */
function questionExtent(content: string, c: Candidate, limit: number, exclusions: readonly Exclusion[]): number {
  if (c.kind === 'bare' || c.kind === undefined) return c.restStart;
  let ex = firstExclusionEndingAfter(exclusions, c.restStart);
  let parens = 0;
  let brackets = 0;
  let i = c.restStart;
  scan: while (i < limit) {
    if (ex < exclusions.length && exclusions[ex].start <= i) {
      const e = exclusions[ex];
      if (e.kind === 'display') break;
      // A link's destination. In a link that started inside the question (its `[` was counted,
      // its `]` starts the exclusion) the question goes on; a TODO inside a link label ends there.
      if (e.kind === 'link') {
        if (brackets === 0) break;
        brackets--;
      }
      i = Math.max(i, e.end);
      ex++;
      continue;
    }
    switch (content.charCodeAt(i)) {
      case 40: // (
      case 0xff08: // （
        parens++;
        break;
      case 41: // )
      case 0xff09: // ）
        if (parens === 0) break scan;
        parens--;
        break;
      case 91: // [
        brackets++;
        break;
      case 93: // ]
        if (brackets === 0) break scan;
        brackets--;
        break;
      case 10:
        break scan;
    }
    i++;
  }
  let end = Math.min(i, limit);
  while (end > c.restStart && /[\s:\uFF1A]/.test(content[end - 1])) end--;
  // `(**TODO**)`: only the tag's closing emphasis follows; it is not part of the TODO.
  if (/^[*_]+$/.test(content.slice(c.restStart, end))) end = c.restStart;
  return end;
}

function firstExclusionEndingAfter(exclusions: readonly Exclusion[], offset: number): number {
  return partitionPoint(exclusions.length, (i) => exclusions[i].end <= offset);
}

/** The question as text: separators after the tag dropped, links as their labels, unpaired emphasis dropped. */
function questionText(content: string, c: Candidate, questionEnd: number): string {
  if (c.kind === 'bracket' && !c.struck && c.strikeClose === undefined) {
    return content.slice(c.restStart + 1, Math.max(c.restStart + 1, questionEnd - 1)).replace(/\s+/g, ' ').trim();
  }
  if (questionEnd <= c.restStart) return '';
  let text = content
    .slice(c.restStart, questionEnd)
    .replace(LEADING_SEPARATOR, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  // `**TODO: question**`: the closing `**` belongs to the emphasis that opened before the tag.
  for (const marker of ['**', '__', '*', '_']) {
    if (text.endsWith(marker) && text.split(marker).length % 2 === 0) text = text.slice(0, -marker.length).trimEnd();
  }
  return text;
}

/** End (after the `]`) of `\TODO[…]`'s argument starting at `open`, or the line's end if unclosed. */
function bracketEnd(content: string, open: number, limit: number): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const c = content[i];
    if (c === '\n') return i;
    if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i + 1;
  }
  return limit;
}

/** How far a struck question may run (across the lines of its paragraph) before its closing `~~`. */
const MAX_STRUCK_QUESTION = 1000;

/**
 * The author's own way of closing a question: `~~TODO: question~~ answer` or
 * `TODO: ~~question~~ answer`, the question possibly running over several lines of its paragraph.
 * The answer is the rest of the line the strike closes on.
 */
function authorStrike(
  content: string,
  tagStart: number,
  afterTag: number,
  lineStart: number,
): Pick<Candidate, 'spanStart' | 'restStart' | 'strikeClose' | 'lineEnd'> | undefined {
  let spanStart: number;
  let restStart: number;
  if (tagStart - 2 >= lineStart && content.startsWith(STRIKE, tagStart - 2)) {
    spanStart = tagStart - 2;
    restStart = afterTag;
  } else {
    // The same test without a slice and a match for every tag: a colon must come first.
    let colon = afterTag;
    while (colon < afterTag + 12 && (content.charCodeAt(colon) === 42 || content.charCodeAt(colon) === 95)) colon++;
    while (colon < afterTag + 12 && (content.charCodeAt(colon) === 32 || content.charCodeAt(colon) === 9)) colon++;
    if (content.charCodeAt(colon) !== 58 && content.charCodeAt(colon) !== 0xff1a) return undefined;
    const lead = /^[*_]*[ \t]*[:\uFF1A][ \t]*~~(?!~)/.exec(content.slice(afterTag, afterTag + 12));
    if (!lead) return undefined;
    spanStart = tagStart;
    restStart = afterTag + lead[0].length;
  }
  const strikeClose = content.indexOf(STRIKE, restStart);
  if (strikeClose < 0 || strikeClose - restStart > MAX_STRUCK_QUESTION || strikeClose === restStart) return undefined;
  const nl = content.indexOf('\n', strikeClose);
  return { spanStart, restStart, strikeClose, lineEnd: nl < 0 ? content.length : nl };
}
