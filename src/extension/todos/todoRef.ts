import * as vscode from 'vscode';
import type { Todo } from '../../core';

/** A TODO as a command argument: which note, which TODO, and the question it had when listed. */
export interface TodoRef {
  readonly uri: vscode.Uri;
  readonly id: string;
  readonly text: string;
  readonly status?: Todo['status'];
  /** Where it was when listed: a fallback for Reveal when the note has changed since. */
  readonly range?: Todo['span']['range'];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Reads a command argument: a tree leaf (from a click or a context menu) or a plain
 * `{ uri, id, text }` (from other features or keybindings). Anything else is `undefined`.
 */
export function toTodoRef(arg: unknown): TodoRef | undefined {
  if (!isRecord(arg)) return undefined;
  if (arg.kind === 'todo' && typeof arg.fileKey === 'string' && isRecord(arg.todo)) {
    const todo = arg.todo as unknown as Todo;
    if (typeof todo.id !== 'string' || typeof todo.text !== 'string') return undefined;
    return { uri: vscode.Uri.parse(arg.fileKey), id: todo.id, text: todo.text, status: todo.status, range: todo.span?.range };
  }
  const uri = arg.uri instanceof vscode.Uri ? arg.uri : typeof arg.uri === 'string' ? vscode.Uri.parse(arg.uri) : undefined;
  if (uri && typeof arg.id === 'string' && typeof arg.text === 'string') return { uri, id: arg.id, text: arg.text };
  return undefined;
}
