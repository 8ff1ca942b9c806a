/**
 * `lectern todos` start-up against a bare `node -e 0` (issue #15: within 2.5×), interleaved run by
 * run so that machine load affects both alike. Uses the built dist/cli.js, as `npx lectern` does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, nowMs } from './measure';

export interface CliResult {
  readonly nodeMs: number;
  /** `lectern todos` on a small note (a few KB). */
  readonly todosSmallMs: number;
  readonly ratio: number;
  /** `lectern todos` on the sample notes (notes/*.md), for reference. */
  readonly todosNotesMs: number | null;
  readonly runs: number;
  readonly goalRatio: 2.5;
  readonly smallNoteBytes: number;
}

const SMALL_NOTE = [
  '# Lecture 9: CNNs',
  '',
  '## Receptive field',
  '',
  'The receptive field grows by $k - 1$ per layer: $r_l = r_{l-1} + (k - 1)\\prod_{i<l} s_i$.',
  '',
  'TODO: why does dilation grow it exponentially?',
  '',
  '## Pooling',
  '',
  '- [ ] compare max pooling and strided convolution',
  '- [x] write out $o = \\lfloor (i - k) / s \\rfloor + 1$',
  '',
  '$$',
  '\\frac{\\partial L}{\\partial x} = \\sum_j w_j \\frac{\\partial L}{\\partial y_j}',
  '$$',
  '',
  'FIXME: check the formula for padding (TODO)',
  '',
].join('\n');

function timeOnce(args: readonly string[]): number {
  const started = nowMs();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = nowMs() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').trim().split('\n')[0]}`);
  return ms;
}

export function benchCli(root: string, runs: number): CliResult | string {
  const cli = path.join(root, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) return 'not measured: dist/cli.js is missing (run without --no-build)';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-bench-cli-'));
  try {
    const small = path.join(dir, 'small.md');
    fs.writeFileSync(small, SMALL_NOTE);
    const notesDir = path.join(root, 'notes');
    const notes = fs.existsSync(notesDir) ? fs.readdirSync(notesDir).filter((f) => f.endsWith('.md')).map((f) => path.join(notesDir, f)) : [];
    const bare: number[] = [];
    const todos: number[] = [];
    const todosNotes: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const b = timeOnce(['-e', '0']);
      const t = timeOnce([cli, 'todos', small]);
      const n = notes.length ? timeOnce([cli, 'todos', ...notes]) : undefined;
      if (i === 0) continue; // warm-up: file system cache
      bare.push(b);
      todos.push(t);
      if (n !== undefined) todosNotes.push(n);
    }
    const round = (v: number) => Math.round(v * 10) / 10;
    const nodeMs = round(median(bare));
    const todosSmallMs = round(median(todos));
    return {
      nodeMs,
      todosSmallMs,
      ratio: Math.round((median(todos) / median(bare)) * 100) / 100,
      todosNotesMs: todosNotes.length ? round(median(todosNotes)) : null,
      runs,
      goalRatio: 2.5,
      smallNoteBytes: Buffer.byteLength(SMALL_NOTE),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
