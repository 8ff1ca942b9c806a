import * as vscode from 'vscode';

/** A small facade over one `LogOutputChannel`, so features log without owning a channel. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

let opened: vscode.LogOutputChannel | undefined;

/**
 * Creates Lectern's log channel when the bundle loads (extension.ts), before `activate()`. The
 * extension host sets a log channel up asynchronously — a round trip to the workbench
 * (`$ensureActivation` of the file system), a folder, a log file — and a line logged before that
 * is done waits, and is stamped only when it is written. Created in `activate()`, the channel's
 * set-up starts after the host has loaded the code and fetched the extension's context, so
 * "Lectern activated" was stamped one more round trip to a busy workbench later (0.4–1.4 s under
 * load, issue #15); created here, the set-up overlaps the host's own context fetch.
 */
export function openLogChannel(): void {
  opened ??= vscode.window.createOutputChannel('Lectern', { log: true });
}

export function createLogger(context: vscode.ExtensionContext): Logger {
  const channel = opened ?? vscode.window.createOutputChannel('Lectern', { log: true });
  opened = undefined;
  context.subscriptions.push(channel);
  return channel;
}
