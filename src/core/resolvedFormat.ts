/**
 * The resolved-TODO format: how an answered question is written back into the notes.
 *
 * Open:                 `TODO: What does this mean?`
 * Resolved, answered:   `~~TODO~~: What does this mean? **Answer: local patterns combine**`
 * Resolved, no answer:  `~~TODO~~: What does this mean?`
 * Parenthesised:        `(TODO)` → `(~~TODO~~ **Answer: Neural Architecture Search**)`
 * Task item:            `- [ ] Read §3` → `- [x] Read §3 **Answer: done, see p. 4**`
 *
 * Why this shape:
 * - It is plain CommonMark + GFM strikethrough: GitHub and VS Code's preview show a struck-out
 *   tag, the question still readable, and the answer in bold right after it, on the same line.
 * - Only the TODO's own text changes: the tag gains `~~` on both sides and the answer is appended
 *   at the end of the question. Reopening removes exactly those insertions, so it restores the
 *   original bytes; nothing else on the line (parentheses, math after the question, list
 *   markers, `>` quotes, line breaks) is touched.
 * - The answer is one line (line breaks become spaces, ends trimmed) and is backslash-escaped
 *   (`\ ` * _ ~ [ ] < > $ & |`), so it can never open a code span, math, a link, HTML or a table
 *   cell, and its first unescaped `**` is always the end of the answer. Parsing unescapes it: the
 *   answer read back is exactly the normalised answer given. (Math in answers is shown as text.)
 * - A tag struck out by hand (`~~TODO~~`) counts as resolved with an empty answer; a checked task
 *   `- [x]` likewise.
 */

/** Inserted between the question and the answer; the answer ends at the next unescaped `**`. */
export const ANSWER_OPEN = ' **Answer:';
export const ANSWER_CLOSE = '**';
export const STRIKE = '~~';

const ESCAPED = /[\\`*_~[\]<>$&|]/g;
const UNESCAPE = /\\([!-/:-@[-`{-~])/g;

/** One line, trimmed: what an answer becomes before it is written. */
export function normalizeAnswer(answer: string): string {
  return answer.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ').trim();
}

export function escapeAnswer(answer: string): string {
  return answer.replace(ESCAPED, (c) => '\\' + c);
}

export function unescapeAnswer(text: string): string {
  return text.replace(UNESCAPE, '$1');
}

/** The text appended after the question for `answer` (already normalised); `''` for no answer. */
export function answerSuffix(answer: string): string {
  return answer === '' ? '' : `${ANSWER_OPEN} ${escapeAnswer(answer)}${ANSWER_CLOSE}`;
}

/**
 * If `text` has an answer marker at `at`, returns where the answer suffix ends and the answer;
 * the answer must close before `limit`.
 */
export function readAnswerAt(text: string, at: number, limit: number): { end: number; answer: string } | undefined {
  if (!text.startsWith(ANSWER_OPEN, at)) return undefined;
  let i = at + ANSWER_OPEN.length;
  const bodyStart = i;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === 42 /* * */ && text.charCodeAt(i + 1) === 42 && i + 2 <= limit) {
      return { end: i + 2, answer: unescapeAnswer(text.slice(bodyStart, i)).trim() };
    }
    if (c === 10 || c === 13) return undefined;
    i++;
  }
  return undefined;
}

/** Finds the first answer marker starting in `[from, markerLimit)` whose answer closes before `closeLimit`. */
export function findAnswer(
  text: string,
  from: number,
  markerLimit: number,
  closeLimit: number,
): { start: number; end: number; answer: string } | undefined {
  // Search only the window: an unbounded indexOf per TODO would be quadratic on huge paragraphs.
  const searchWindow = text.slice(from, markerLimit + ANSWER_OPEN.length);
  let rel = searchWindow.indexOf(ANSWER_OPEN);
  while (rel >= 0) {
    if (from + rel >= markerLimit) break;
    const read = readAnswerAt(text, from + rel, closeLimit);
    if (read) return { start: from + rel, ...read };
    rel = searchWindow.indexOf(ANSWER_OPEN, rel + 1);
  }
  return undefined;
}
