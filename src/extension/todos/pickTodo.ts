import * as vscode from 'vscode';
import type { Todo } from '../../core';
import { displaySectionPath, sectionPathLabel, todoLabel } from '../../core/todoLabels';
import { orderTodosForPick } from '../../core/todoNavigation';
import type { TodoWithFile } from '../../core/todoNavigation';
import type { TodoIndex } from './todoIndex';
import type { TodoRef } from './todoRef';

interface TodoPickItem extends vscode.QuickPickItem {
  readonly ref: TodoRef;
}

/**
 * A quick pick of the TODOs with `status`, the one at the cursor first, then the active note's,
 * then the rest. Resolves to undefined when there are none (after saying so) or on Escape.
 */
export async function pickTodo(index: TodoIndex, status: Todo['status'], title: string): Promise<TodoRef | undefined> {
  await index.ready;
  const items: TodoWithFile[] = [];
  const sectionLabels = new Map<Todo, string>();
  for (const note of index.notes()) {
    for (const todo of note.parse.todos) {
      if (todo.status !== status) continue;
      items.push({ fileKey: note.key, path: note.path, todo });
      sectionLabels.set(todo, sectionPathLabel(displaySectionPath(note.parse, todo)));
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(status === 'open' ? 'Lectern: no open TODOs in your notes.' : 'Lectern: no resolved TODOs to reopen.');
    return undefined;
  }
  const editor = vscode.window.activeTextEditor;
  const active = editor
    ? { fileKey: editor.document.uri.toString(), position: editor.selection.active }
    : undefined;
  const ordered = orderTodosForPick(items, active);
  const picks: TodoPickItem[] = ordered.map(({ fileKey, path, todo }) => ({
    label: todoLabel(todo),
    description: status === 'resolved' && todo.answer ? `→ ${oneLine(todo.answer)}` : sectionLabels.get(todo),
    detail: `${path}:${todo.span.range.start.line + 1}`,
    ref: { uri: vscode.Uri.parse(fileKey), id: todo.id, text: todo.text, status: todo.status, range: todo.span.range },
  }));
  const picked = await vscode.window.showQuickPick(picks, {
    title,
    placeHolder: status === 'open' ? 'Type to filter open TODOs by question, section or file' : 'Type to filter resolved TODOs',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.ref;
}

/** Asks for the answer; `undefined` means cancelled (Escape), `''` means "just mark it done". */
export async function askAnswer(question: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `Resolve: ${oneLine(question) || '(TODO)'}`,
    prompt: 'Your answer (Markdown). Leave empty to just mark the TODO done. Escape cancels.',
    placeHolder: 'Answer',
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
