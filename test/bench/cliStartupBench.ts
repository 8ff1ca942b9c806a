import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * CLI start-up: `lectern todos` on a small note against a bare `node -e 0`, run interleaved
 * (one of each per round) so machine load hits both alike; medians of wall time. Goal: the ratio
 * within 2.5 (KaTeX is loaded only by `check`, see src/cli/lazyKatex.ts). `check` is measured too,
 * for contrast: it is the command that pays for KaTeX.
 */
export interface CliStartupResult {
  readonly nodeMs: number;
  readonly todosMs: number;
  readonly checkMs: number;
  readonly todosRatio: number;
  readonly checkRatio: number;
  readonly runs: number;
  readonly goalRatio: number;
}

export function benchCliStartup(root: string, runs = 9): CliStartupResult {
  const cli = path.join(root, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing (npm run build)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-bench-cli-'));
  try {
    const note = path.join(dir, 'small.md');
    fs.writeFileSync(note, '# Lecture 1\n\nTODO: why does $x^2$ grow?\n\n$$\\frac{a}{b}$$\n');
    const time = (args: string[]): number => {
      const started = process.hrtime.bigint();
      const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
      if (r.status !== 0 && args[0] === cli && args[1] !== 'check') throw new Error(`lectern ${args.slice(1).join(' ')} failed: ${r.stderr}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const node: number[] = [];
    const todos: number[] = [];
    const check: number[] = [];
    time([cli, 'todos', note]); // warm the file cache
    for (let i = 0; i < runs; i++) {
      node.push(time(['-e', '0']));
      todos.push(time([cli, 'todos', note]));
      check.push(time([cli, 'check', note]));
    }
    const nodeMs = median(node);
    const todosMs = median(todos);
    const checkMs = median(check);
    return {
      nodeMs: round(nodeMs),
      todosMs: round(todosMs),
      checkMs: round(checkMs),
      todosRatio: round(todosMs / nodeMs),
      checkRatio: round(checkMs / nodeMs),
      runs,
      goalRatio: 2.5,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
