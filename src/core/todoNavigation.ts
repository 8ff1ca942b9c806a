import { compareFilePaths, compareTodos } from './todoOrder';
import type { Position, Todo } from './types';

/** Positions: the TODO at the cursor, next / previous, the quick-pick order. */

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * The TODO the cursor is on: one whose span contains the position (ends inclusive), else the
 * nearest TODO on the cursor's line. Only TODOs with `status` when given.
 */
export function todoAtPosition(todos: readonly Todo[], position: Position, status?: Todo['status']): Todo | undefined {
  const candidates = status ? todos.filter((t) => t.status === status) : todos;
  const containing = candidates.find((t) => comparePositions(t.span.range.start, position) <= 0 && comparePositions(position, t.span.range.end) <= 0);
  if (containing) return containing;
  let best: Todo | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const t of candidates) {
    const { start, end } = t.span.range;
    if (position.line < start.line || position.line > end.line) continue;
    const distance =
      position.line === start.line && position.character < start.character
        ? start.character - position.character
        : position.line === end.line && position.character > end.character
          ? position.character - end.character
          : 0;
    if (distance < bestDistance) {
      best = t;
      bestDistance = distance;
    }
  }
  return best;
}

export interface AdjacentTodo {
  readonly todo: Todo;
  /** True when the search went past the end (or start) of the document and started over. */
  readonly wrapped: boolean;
}

/**
 * The next (or previous) TODO after (before) `position`, wrapping around the document. A TODO that
 * starts exactly at the cursor is the current one, so Next skips it. Open TODOs only unless
 * `includeResolved`.
 */
export function adjacentTodo(todos: readonly Todo[], position: Position, direction: 'next' | 'previous', includeResolved = false): AdjacentTodo | undefined {
  const list = todos.filter((t) => includeResolved || t.status === 'open').sort(compareTodos);
  if (list.length === 0) return undefined;
  if (direction === 'next') {
    const after = list.find((t) => comparePositions(t.span.range.start, position) > 0);
    return after ? { todo: after, wrapped: false } : { todo: list[0], wrapped: true };
  }
  for (let i = list.length - 1; i >= 0; i--) {
    if (comparePositions(list[i].span.range.start, position) < 0) return { todo: list[i], wrapped: false };
  }
  return { todo: list[list.length - 1], wrapped: true };
}

export interface TodoWithFile {
  readonly fileKey: string;
  readonly path: string;
  readonly todo: Todo;
}

/**
 * The order of the Resolve quick pick: the TODO at the cursor first, then the rest of the active
 * file in document order, then every other file by path.
 */
export function orderTodosForPick(items: readonly TodoWithFile[], active?: { readonly fileKey: string; readonly position?: Position }): TodoWithFile[] {
  const atCursor =
    active?.position !== undefined
      ? todoAtPosition(
          items.filter((i) => i.fileKey === active.fileKey).map((i) => i.todo),
          active.position,
        )
      : undefined;
  const rank = (i: TodoWithFile) => (i.todo === atCursor ? 0 : i.fileKey === active?.fileKey ? 1 : 2);
  return [...items].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.fileKey === b.fileKey ? 0 : compareFilePaths(a.path, b.path) || compareFilePaths(a.fileKey, b.fileKey)) ||
      compareTodos(a.todo, b.todo),
  );
}
