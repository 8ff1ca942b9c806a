import { parseNotes, TASK_TAG } from './parse';
import { STRIKE, answerSuffix, findAnswer, normalizeAnswer } from './resolvedFormat';
import type { EditResult, ParseOptions, ParseResult, TextEdit, Todo } from './types';

/**
 * Resolve and reopen as pure text edits over one TODO's own span (format: resolvedFormat.ts).
 * Every edit is checked before it is returned: the edited text is parsed again and must show the
 * same TODO (same id) in the new state, and for a resolve, reopening must give back the open
 * text. An edit that would not round-trip is refused with an error instead of corrupting notes.
 */

export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset);
}

/**
 * Re-finds a TODO in a fresh parse of a note that may have changed since the TODO was listed:
 * the same id and question; failing that (a heading above it was renamed, which changes ids), the
 * only TODO with that exact question. Two or more candidates, or none: undefined — never a guess.
 */
export function relocateTodo(todos: readonly Todo[], id: string, expectedText: string): Todo | undefined {
  const exact = todos.find((t) => t.id === id && t.text === expectedText);
  if (exact) return exact;
  const sameText = todos.filter((t) => t.text === expectedText);
  return sameText.length === 1 && expectedText.trim().length > 0 ? sameText[0] : undefined;
}

/**
 * Resolve and reopen hold at most two parses of the note at once (the one before an edit and the
 * one after it), so a 32 MB note is not kept four times over while its edit is checked.
 */
export interface TodoEditOptions extends ParseOptions {
  /** Refuse (with `alreadyResolved`) instead of replacing the answer of a resolved TODO. */
  readonly onlyOpen?: boolean;
}

export function resolveTodo(text: string, id: string, answer = '', options: TodoEditOptions = {}): EditResult {
  return resolveParsed(text, { parse: parseNotes(text, options) }, id, answer, options);
}

/** A parse handed over to be dropped as soon as it is no longer needed. */
interface HeldParse {
  parse: ParseResult | undefined;
}

/** `resolveTodo` on a note whose parse the caller already has (and lets go of). */
function resolveParsed(text: string, held: HeldParse, id: string, answer: string, options: TodoEditOptions): EditResult {
  const step = applyResolve(text, held, id, answer, options);
  return 'ok' in step ? step : verifyReopen(text, step, options);
}

interface ResolveStep {
  readonly todo: Todo;
  readonly parts: SpanParts;
  readonly edit: TextEdit;
  readonly after: string;
  /** The parse of `after`. */
  readonly afterParse: HeldParse;
  readonly check: Todo;
}

/**
 * The resolve edit and its first checks (the answer reads back, nothing around it changed). The
 * parse before the edit is released here, its own frame, before the reopen check parses again.
 */
function applyResolve(text: string, held: HeldParse, id: string, answer: string, options: TodoEditOptions): ResolveStep | EditResult {
  const parse = held.parse;
  if (!parse) throw new Error('applyResolve: the parse was already released');
  held.parse = undefined;
  const todo = parse.todos.find((t) => t.id === id);
  if (!todo) return { ok: false, error: `No TODO with id ${id}` };
  if (options.onlyOpen && todo.status === 'resolved') return { ok: false, error: `TODO ${id} is already resolved`, alreadyResolved: true };
  const normalized = normalizeAnswer(answer);
  const parts = splitSpan(todo, text.slice(todo.span.startOffset, todo.span.endOffset));
  const newText = resolvedForm(todo, parts) + answerSuffix(normalized);
  const edit = makeEdit(todo, newText);
  const after = applyEdit(text, edit);
  const afterParse = parseNotes(after, options);
  const check = afterParse.todos.find((t) => t.id === id);
  if (!check || check.status !== 'resolved' || check.answer !== normalized) {
    return { ok: false, error: `Cannot resolve ${id} safely: the answer would not read back (try rephrasing it)` };
  }
  if (!sameSurroundings(parse, afterParse, id)) {
    return { ok: false, error: `Cannot resolve ${id} safely: the edit would change the Markdown around it (e.g. math glued to the tag)` };
  }
  return { todo, parts, edit, after, afterParse: { parse: afterParse }, check };
}

/**
 * The last check of a resolve: reopening the resolved text gives back the open text. For an open
 * TODO the open text is the note as it was, whose parse already passed the checks above, so the
 * reopen edit only has to give back those exact characters: no third parse, no third copy.
 */
function verifyReopen(text: string, step: ResolveStep, options: ParseOptions): EditResult {
  const { todo, parts, edit, after, check } = step;
  const fail: EditResult = { ok: false, error: `Cannot resolve ${todo.id} safely: reopening would not restore the text` };
  if (todo.status === 'open') {
    step.afterParse.parse = undefined;
    const reopen = makeEdit(check, openForm(check, splitSpan(check, after.slice(check.span.startOffset, check.span.endOffset))));
    return equalsEdited(after, reopen, text) ? { ok: true, edit, todo: check } : fail;
  }
  const reopened = reopenParsed(after, step.afterParse, todo.id, options);
  if (!reopened.ok || applyEdit(after, reopened.edit) !== applyEdit(text, makeEdit(todo, openForm(todo, parts)))) return fail;
  return { ok: true, edit, todo: check };
}

export function reopenTodo(text: string, id: string, options: ParseOptions = {}): EditResult {
  return reopenParsed(text, { parse: parseNotes(text, options) }, id, options);
}

function reopenParsed(text: string, held: HeldParse, id: string, options: ParseOptions): EditResult {
  const parse = held.parse;
  if (!parse) throw new Error('reopenParsed: the parse was already released');
  held.parse = undefined;
  const todo = parse.todos.find((t) => t.id === id);
  if (!todo) return { ok: false, error: `No TODO with id ${id}` };
  if (todo.status !== 'resolved') return { ok: false, error: `TODO ${id} is not resolved` };
  const parts = splitSpan(todo, text.slice(todo.span.startOffset, todo.span.endOffset));
  const edit = makeEdit(todo, openForm(todo, parts));
  const afterParse = parseNotes(applyEdit(text, edit), options);
  const check = afterParse.todos.find((t) => t.id === id);
  if (!check || check.status !== 'open' || !sameSurroundings(parse, afterParse, id)) {
    return { ok: false, error: `Cannot reopen ${id} safely: the edit would change the Markdown around it` };
  }
  return { ok: true, edit, todo: check };
}

/** Whether `base` with `edit` applied reads `expected`, without building that text. */
function equalsEdited(base: string, edit: TextEdit, expected: string): boolean {
  const { startOffset: start, endOffset: end, newText } = edit;
  if (expected.length !== base.length - (end - start) + newText.length) return false;
  return expected.startsWith(base.slice(0, start)) && expected.startsWith(newText, start) && expected.endsWith(base.slice(end));
}

interface SpanParts {
  /** The question part after the tag (or after `[ ]`), without any answer. */
  readonly rest: string;
}

/** Takes a TODO's source text apart into what the open form keeps. */
function splitSpan(todo: Todo, source: string): SpanParts {
  let body: string;
  if (todo.tag === TASK_TAG) {
    body = source.slice(3);
  } else {
    const struck = STRIKE + todo.tag + STRIKE;
    body = source.startsWith(struck) ? source.slice(struck.length) : source.slice(todo.tag.length);
  }
  if (todo.status === 'resolved') {
    const found = findAnswer(body, 0, body.length, body.length);
    if (found && found.end === body.length) body = body.slice(0, found.start);
  }
  return { rest: body };
}

function openForm(todo: Todo, parts: SpanParts): string {
  return (todo.tag === TASK_TAG ? '[ ]' : todo.tag) + parts.rest;
}

function resolvedForm(todo: Todo, parts: SpanParts): string {
  return (todo.tag === TASK_TAG ? '[x]' : STRIKE + todo.tag + STRIKE) + parts.rest;
}

function makeEdit(todo: Todo, newText: string): TextEdit {
  return { startOffset: todo.span.startOffset, endOffset: todo.span.endOffset, range: todo.span.range, newText };
}

export type TodoEditPlan =
  | { readonly ok: true; readonly edit: TextEdit; readonly todo: Todo }
  | { readonly ok: false; readonly reason: 'gone' | 'alreadyDone' | 'refused'; readonly message: string };

/**
 * The edit that resolves (`answer` given) or reopens (`answer` undefined) a TODO in `text`, the
 * note as it is now: the TODO is re-located first (see `relocateTodo`), must still be in the
 * expected state, and the core's verified edit is computed on this same text.
 */
export function planTodoEdit(
  text: string,
  todoId: string,
  expectedText: string,
  answer: string | undefined,
  options: ParseOptions = {},
): TodoEditPlan {
  const resolving = answer !== undefined;
  const held: HeldParse = { parse: parseNotes(text, options) };
  const current = relocateTodo(held.parse!.todos, todoId, expectedText);
  if (!current) return { ok: false, reason: 'gone', message: 'the TODO is no longer in the note' };
  if (current.status !== (resolving ? 'open' : 'resolved')) {
    return { ok: false, reason: 'alreadyDone', message: `the TODO is already ${current.status}` };
  }
  const result = resolving ? resolveParsed(text, held, current.id, answer, options) : reopenParsed(text, held, current.id, options);
  return result.ok ? result : { ok: false, reason: 'refused', message: result.error };
}

/** Every other TODO and every formula reads the same before and after an edit of TODO `id`. */
function sameSurroundings(before: ParseResult, after: ParseResult, id: string): boolean {
  if (before.todos.length !== after.todos.length || before.math.length !== after.math.length) return false;
  for (let i = 0; i < before.todos.length; i++) {
    const a = before.todos[i];
    const b = after.todos[i];
    if (a.id !== b.id) return false;
    if (a.id !== id && (a.status !== b.status || a.text !== b.text || a.answer !== b.answer)) return false;
  }
  return before.math.every((m, i) => m.content === after.math[i].content && m.display === after.math[i].display);
}
