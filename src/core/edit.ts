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

export function resolveTodo(text: string, id: string, answer = '', options: ParseOptions = {}): EditResult {
  const parse = parseNotes(text, options);
  const todo = parse.todos.find((t) => t.id === id);
  if (!todo) return { ok: false, error: `No TODO with id ${id}` };
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
  const reopened = reopenTodo(after, id, options);
  const openText = todo.status === 'open' ? text : applyEdit(text, makeEdit(todo, openForm(todo, parts)));
  if (!reopened.ok || applyEdit(after, reopened.edit) !== openText) {
    return { ok: false, error: `Cannot resolve ${id} safely: reopening would not restore the text` };
  }
  return { ok: true, edit, todo: check };
}

export function reopenTodo(text: string, id: string, options: ParseOptions = {}): EditResult {
  const parse = parseNotes(text, options);
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
  const current = relocateTodo(parseNotes(text, options).todos, todoId, expectedText);
  if (!current) return { ok: false, reason: 'gone', message: 'the TODO is no longer in the note' };
  if (current.status !== (resolving ? 'open' : 'resolved')) {
    return { ok: false, reason: 'alreadyDone', message: `the TODO is already ${current.status}` };
  }
  const result = resolving ? resolveTodo(text, current.id, answer, options) : reopenTodo(text, current.id, options);
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
