import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseNotes } from '../../src/core';

/**
 * Peak memory of every `lectern` command on one big note, each in a fresh process (issue #11: a
 * 32 MB note once took 1.49 GB to resolve; the goal is every command under 20× the note's size).
 * The figure is the process's peak resident set, Node itself included (≈ 40 MB).
 */
export interface CliMemoryRow {
  readonly command: string;
  readonly exitCode: number | null;
  readonly peakBytes: number | null;
  /** Peak ÷ note size. */
  readonly timesNote: number | null;
  readonly withinGoal: boolean | null;
}

export interface CliMemoryResult {
  readonly noteBytes: number;
  readonly goalTimesNote: 20;
  readonly rows: readonly CliMemoryRow[];
  readonly worstTimesNote: number | null;
  /** Every command ran and stayed under the goal. */
  readonly withinGoal: boolean;
}

export function benchCliMemory(text: string): CliMemoryResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-bench-mem-'));
  const child = path.join(__dirname, 'cliMemoryChild.js');
  try {
    const note = path.join(dir, 'big.md');
    fs.writeFileSync(note, text);
    const noteBytes = fs.statSync(note).size;
    const runChild = (args: string[]): { code: number | null; peak: number | null; stdout: string } => {
      const r = spawnSync(process.execPath, [child, ...args], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
      const last = r.stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(last) as { code: number; maxRssBytes: number };
        return { code: parsed.code, peak: parsed.maxRssBytes, stdout: r.stdout };
      } catch {
        return { code: r.status, peak: null, stdout: r.stdout };
      }
    };
    const id = firstOpenId(text);
    const commands: string[][] = [
      ['todos', note, '--json'],
      ['sections', note, '--json'],
      ['check', note],
      ...(id ? [['resolve', note, '--id', id, '--answer', 'bench'], ['reopen', note, '--id', id]] : []),
      ['export', note, '-o', path.join(dir, 'big.html')],
    ];
    const rows = commands.map((args) => {
      const r = runChild(args);
      return {
        command: args.filter((a) => a !== note && !a.startsWith(dir)).join(' '),
        exitCode: r.code,
        peakBytes: r.peak,
        timesNote: r.peak === null ? null : Math.round((r.peak / noteBytes) * 10) / 10,
        withinGoal: r.peak === null ? null : r.peak < 20 * noteBytes,
      };
    });
    const known = rows.map((r) => r.timesNote).filter((v): v is number => v !== null);
    return {
      noteBytes,
      goalTimesNote: 20,
      rows,
      worstTimesNote: known.length ? Math.max(...known) : null,
      withinGoal: rows.every((r) => r.withinGoal === true && r.exitCode !== null && r.exitCode <= 1),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The id of the first open TODO, by the CLI's own JSON listing of a small prefix of the note. */
function firstOpenId(text: string): string | undefined {
  // The ids depend on the section path and the occurrence, both settled in the first sections.
  const prefix = text.slice(0, 200_000);
  const open = parseNotes(prefix).todos.find((t) => t.status === 'open');
  return open?.id;
}
