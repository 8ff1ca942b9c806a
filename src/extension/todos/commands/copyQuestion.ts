import * as vscode from 'vscode';
import { toTodoRef } from '../todoRef';
import type { Command } from './command';

/** Copies a tree leaf's question to the clipboard. */
export class CopyQuestionCommand implements Command {
  readonly id = 'lectern.todo.copyQuestion';

  async execute(arg?: unknown): Promise<boolean> {
    const ref = toTodoRef(arg);
    if (!ref) return false;
    await vscode.env.clipboard.writeText(ref.text);
    vscode.window.setStatusBarMessage('Lectern: question copied', 2000);
    return true;
  }
}
