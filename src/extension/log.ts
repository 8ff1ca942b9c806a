import * as vscode from 'vscode';

/** A small facade over one `LogOutputChannel`, so features log without owning a channel. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export function createLogger(context: vscode.ExtensionContext): Logger {
  const channel = vscode.window.createOutputChannel('Lectern', { log: true });
  context.subscriptions.push(channel);
  return channel;
}
