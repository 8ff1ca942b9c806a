/** The logging the model needs; the extension's `Logger` (a `LogOutputChannel`) satisfies it. */
export interface ModelLog {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** Drops everything (tests that do not look at the log). */
export const silentLog: ModelLog = { trace: () => undefined, info: () => undefined, warn: () => undefined };
