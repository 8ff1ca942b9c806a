import * as vscode from 'vscode';
import type { Services } from '../../services';
import type { TodoIndex } from '../todoIndex';
import type { TodoTreeView } from '../todoTreeView';
import { errorMessage } from '../../../core/errors';

/** One command, one class (as in VS Code's Markdown extension): an id and what it does. */
export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

/** What the TODO commands share. */
export interface TodoFeature {
  readonly services: Services;
  readonly index: TodoIndex;
  readonly tree: TodoTreeView;
}

/** Registers each command; a failure becomes an error message and a log line, never a silent reject. */
export function registerCommands(feature: TodoFeature, commands: readonly Command[]): void {
  for (const command of commands) {
    feature.services.context.subscriptions.push(
      vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
        try {
          return await command.execute(...args);
        } catch (err) {
          const message = errorMessage(err);
          feature.services.log.error(`${command.id} failed: ${message}`);
          void vscode.window.showErrorMessage(`Lectern: ${message}`);
          return undefined;
        }
      }),
    );
  }
}
