import { errorMessage } from '../core/errors';
/**
 * The CLI's two kinds of failure and how a system error reads as one line. Separate from run.ts so
 * the file-safety and export modules throw the same errors the commands do.
 */

/** A usage or I/O problem: printed as one line, exit code 2. */
export class CliError extends Error {}

/** A refusal with a clear reason (unknown id, note changed meanwhile…): printed as one line, exit code 1. */
export class CliRefusal extends Error {}

export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return oneLine(errorMessage(e));
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
