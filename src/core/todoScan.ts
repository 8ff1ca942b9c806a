import { STRIKE, findAnswer } from './resolvedFormat';

/**
 * TODO recognition inside one inline content string (a paragraph, a list item's text, a table
 * cell). The block structure has already excluded code blocks, front matter and headings; here
 * the hidden inline ranges (code spans, math, link destinations, autolinks, images, HTML
 * comments) are skipped.
 *
 * A tag is a whole word (no letter, digit or `_` on either side), matched case-sensitively, so
 * `TODOS` and `todo` are not tags. A tag is a TODO when it is
 * - followed by a colon: `TODO: question` (also `**TODO**: …`, `TODO:** …`);
 * - right after `(`: `(TODO)`, `(TODO: question)`;
 * - followed by a dash: `TODO - question`;
 * - at the end of a sentence or line: `Detailed Algorithm TODO`, `TODO.`;
 * - the first word of a line followed by text: `TODO check this`;
 * - struck out (`~~TODO~~`), which is the resolved form.
 * A tag in the middle of a sentence (`the TODO list`) is prose, not a TODO.
 *
 * The question runs from the tag to the end of the line, and stops earlier at the `)` that closes
 * an enclosing parenthesis, an unbalanced `]`, display math (`$$ … $$`: `TODO: what are the
 * symbols?: $$ … $$` asks "what are the symbols?"), a link destination, or the next TODO on the
 * line. Trailing spaces and colons are not part of it. Inline math and code inside the question
 * stay in its text.
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

type OpenKind = 'paren' | 'question' | 'bare';

interface Candidate {
  readonly tag: string;
  readonly tagStart: number;
  readonly spanStart: number;
  readonly restStart: number;
  readonly struck: boolean;
  readonly kind: OpenKind | undefined;
  readonly lineStart: number;
  readonly lineEnd: number;
}

const COLON = /[*_]*[ \t]*[:\uFF1A]/y;
const DASH = /[ \t]+[-\u2013\u2014][ \t]/y;
const BARE_END = /[*_~]*[ \t]*(?:[.!?;,)\]]|\n|$)/y;
const WORDS_FOLLOW = /[ \t]+[^\s]/y;
const LEADING_SEPARATOR = /^[*_]*\s*(?:[:\uFF1A]|[-\u2013\u2014](?=\s))?[*_]*\s*/;

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
  const candidates = findCandidates(content, exclusions, tagRe, skipBefore);
  const result: ScannedTodo[] = [];
  let consumedTo = 0;
  let lastEndOnLine = -1;
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
    if (c.struck) {
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
    const text = content
      .slice(c.restStart, questionEnd)
      .replace(LEADING_SEPARATOR, '')
      .replace(/\s+/g, ' ')
      .trim();
    const contextFrom = Math.max(c.lineStart, lastEndOnLine >= c.lineStart ? lastEndOnLine : c.lineStart, c.spanStart - 80);
    const context = content
      .slice(contextFrom, c.spanStart)
      .replace(/[^\p{L}\p{N}\s]/gu, ' ')
      .trim()
      .split(/\s+/)
      .slice(-3)
      .join(' ');
    result.push({ tag: c.tag, start: c.spanStart, end, text, resolved: c.struck, answer, context });
    consumedTo = end;
    lastEndOnLine = end;
  }
  return result;
}

function findCandidates(content: string, exclusions: readonly Exclusion[], tagRe: RegExp, skipBefore: number): Candidate[] {
  const out: Candidate[] = [];
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
    const spanStart = struck ? t - 2 : t;
    const restStart = struck ? afterTag + 2 : afterTag;
    out.push({ tag, tagStart: t, spanStart, restStart, struck, kind: classify(content, spanStart, restStart, lineStart), lineStart, lineEnd });
  }
  return out;
}

function classify(content: string, spanStart: number, restStart: number, lineStart: number): OpenKind | undefined {
  if (spanStart > lineStart && content.charCodeAt(spanStart - 1) === 40 /* ( */) return 'paren';
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
      if (e.kind === 'display' || e.kind === 'link') break;
      i = Math.max(i, e.end);
      ex++;
      continue;
    }
    switch (content.charCodeAt(i)) {
      case 40: // (
        parens++;
        break;
      case 41: // )
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
  return end;
}

function firstExclusionEndingAfter(exclusions: readonly Exclusion[], offset: number): number {
  let lo = 0;
  let hi = exclusions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (exclusions[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
