import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../harness/vscode-web';

/** Lectern's identity and contributions, read from package.json (never hard-coded in tests). */
export interface Manifest {
  extensionId: string;
  commands: { command: string; title: string; category?: string; paletteWhen?: string }[];
  /** Names of contributed views (VS Code adds a "Focus on <name> View" command for each). */
  viewNames: string[];
}

export function readManifest(): Manifest {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    contributes?: {
      commands?: { command: string; title: string; category?: string }[];
      menus?: { commandPalette?: { command: string; when?: string }[] };
      views?: Record<string, { id: string; name: string }[]>;
    };
  };
  const paletteWhen = new Map((pkg.contributes?.menus?.commandPalette ?? []).map((m) => [m.command, m.when]));
  return {
    extensionId: `${pkg.publisher}.${pkg.name}`,
    commands: (pkg.contributes?.commands ?? []).map((c) => ({ ...c, paletteWhen: paletteWhen.get(c.command) })),
    viewNames: Object.values(pkg.contributes?.views ?? {}).flatMap((views) => views.map((v) => v.name)),
  };
}

/** The label the command palette shows for a contributed command: "Category: Title". */
export function paletteLabel(command: { title: string; category?: string }): string {
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

export interface LogLine {
  /** Milliseconds since the epoch, from the line's "YYYY-MM-DD HH:MM:SS.mmm" prefix (local time). */
  time: number;
  level: string;
  message: string;
}

const lineStart = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3}) \[(\w+)\] ?/;

/** Parses VS Code's log format; continuation lines (stack traces) are appended to their entry. */
export function parseLog(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const raw of text.split('\n')) {
    const match = lineStart.exec(raw);
    if (match) {
      lines.push({ time: new Date(`${match[1]}T${match[2]}`).getTime(), level: match[3], message: raw.slice(match[0].length) });
    } else if (lines.length > 0 && raw.trim() !== '') {
      lines[lines.length - 1].message += `\n${raw}`;
    }
  }
  return lines;
}

export interface ActivationReport {
  /** The activation event VS Code reported (e.g. "onLanguage:markdown"). */
  activationEvent: string;
  /** What Lectern's activate() measured itself ("Lectern activated in N ms"). */
  activateMs: number;
  /**
   * From VS Code starting the activation (extension host log) to Lectern's "activated" line:
   * includes loading dist/extension.js. Millisecond log timestamps, so ±1 ms.
   */
  loadAndActivateMs: number;
}

/**
 * Reads Lectern's activation from the real logs: VS Code's extension host log
 * (`ExtensionService#_doActivateExtension <id>, ... activationEvent: '...'`) and Lectern's own
 * output channel (`Lectern activated in N ms`). Returns undefined until both lines exist.
 */
export function activationFromLogs(extensionId: string, exthostLog: string, lecternLog: string): ActivationReport | undefined {
  const start = parseLog(exthostLog).find((l) => l.message.startsWith(`ExtensionService#_doActivateExtension ${extensionId},`));
  const done = parseLog(lecternLog).find((l) => /Lectern activated in \d+ ms/.test(l.message));
  if (!start || !done) return undefined;
  return {
    activationEvent: /activationEvent: '([^']*)'/.exec(start.message)?.[1] ?? '?',
    activateMs: Number(/activated in (\d+) ms/.exec(done.message)?.[1]),
    loadAndActivateMs: done.time - start.time,
  };
}

/**
 * Error lines of the extension host log that concern the given extension (its id, its name or its
 * install folder appear in the message or stack). Other errors there are code-server's offline noise
 * (telemetry, marketplace and GitHub lookups fail without internet) and are returned separately.
 */
export function exthostErrors(exthostLog: string, extensionId: string): { ours: LogLine[]; others: LogLine[] } {
  const ours: LogLine[] = [];
  const others: LogLine[] = [];
  const name = extensionId.split('.').pop() ?? extensionId;
  const mentions = new RegExp(`${escapeRegExp(extensionId)}|\\b${escapeRegExp(name)}\\b`, 'i');
  for (const line of parseLog(exthostLog)) {
    if (line.level !== 'error') continue;
    (mentions.test(line.message) ? ours : others).push(line);
  }
  return { ours, others };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
