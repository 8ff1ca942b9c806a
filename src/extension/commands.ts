import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { Logger } from './log';

/** One command, one class (as in VS Code's Markdown extension): an id and what it does. */
export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

/**
 * Registers each command with the one error wrapper: a failure becomes an error message and a log
 * line, never a silent reject. Every registration goes to `context.subscriptions`.
 */
export function registerCommands(host: { readonly context: vscode.ExtensionContext; readonly log: Logger }, commands: readonly Command[]): void {
  for (const command of commands) {
    host.context.subscriptions.push(
      vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
        try {
          return await command.execute(...args);
        } catch (err) {
          const message = errorMessage(err);
          host.log.error(`${command.id} failed: ${message}`);
          void vscode.window.showErrorMessage(`Lectern: ${message}`);
          return undefined;
        }
      }),
    );
  }
}
