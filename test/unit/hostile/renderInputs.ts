/**
 * The render inputs of issue #11 (each at scale 2 is the size) and an ordinary note of
 * any length, shared by the hostile suite (test/unit/hostile/renderLinear.test.ts) and the bench
 * (`hostile.render`), so both measure the same texts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { runCli } from '../../../src/cli/run';
import { realNotes } from './support';

export interface RenderInput {
  readonly name: string;
  readonly make: (scale: number) => string;
  /** Time per MB allowed relative to an ordinary note of the same size (see renderLinear.test.ts). */
  readonly allowed: number;
}

export const HOSTILE_RENDER_INPUTS: readonly RenderInput[] = [
  { name: '40,000 "TODO: question i" paragraphs', make: (s) => Array.from({ length: 20_000 * s }, (_, i) => `TODO: question ${i}`).join('\n\n'), allowed: 3 },
  { name: "'a ' + '<!-- ' × 100,000", make: (s) => 'a ' + '<!-- '.repeat(50_000 * s), allowed: 3 },
  { name: "'<!-- ' + '--> ' × 100,000", make: (s) => '<!-- ' + '--> '.repeat(50_000 * s), allowed: 3 },
  // A line and a TODO every 5 bytes, eight times the lines per MB of the sample notes: bare
  // markdown-it alone renders it 3.4–5.2× slower per MB than an ordinary note (two tokens per
  // line). The paragraph is plain (engine.ts `plainInline`: one text token, the badges built as
  // HTML per line), the export renders the parse's own tokens (a note parsed in one piece is not
  // parsed twice), the parse's per-TODO work allocates less (todoScan.ts, contentMap.ts
  // `verbatim`), a TODO's line is found from the previous one's (lines.ts `hint`) and ids are
  // looked up without a key string per TODO (todoId.ts). What is left is the parse result itself:
  // 200,000 TODOs, each a span of four objects, a Todo and an id, where an ordinary note of the
  // same size has about a hundred. Measured as below (a collected heap before each export, the
  // least of five rounds): 1.6–1.8×, and 1.5–1.7× for the built `lectern export` in fresh processes.
  { name: 'TODO\\n × 200,000', make: (s) => 'TODO\n'.repeat(100_000 * s), allowed: 3 },
];

let corpus: string | undefined;

/** The sample notes repeated and cut to `length` characters. */
export function ordinaryNote(length: number): string {
  corpus ??= realNotes()
    .filter((n) => n.name.startsWith('notes'))
    .map((n) => n.text)
    .join('\n\n');
  return corpus.repeat(Math.ceil(length / corpus.length)).slice(0, length);
}

/**
 * A full garbage collection (V8's `gc`, exposed at run time when node was not started with
 * --expose-gc), so an export does not pay for the previous one's garbage: which export a major GC
 * lands in was the largest noise in these ratios.
 */
const collectGarbage: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

/** CPU ms of one `lectern export` of `file` (in-process); throws if the export fails. */
function exportCpuMs(file: string, out: string): number {
  const err: string[] = [];
  collectGarbage();
  const start = process.cpuUsage();
  const code = runCli(['export', file, '-o', out], { stdout: () => undefined, stderr: (t) => err.push(t) });
  const used = process.cpuUsage(start);
  if (code !== 0) throw new Error(`lectern export failed (${code}): ${err.join('')}`);
  return (used.user + used.system) / 1000;
}

export interface RenderRatio {
  readonly bytes: number;
  /** Least CPU ms per MB of `lectern export` of the input at the size over the rounds. */
  readonly hostileMsPerMb: number;
  /** The same for an ordinary note of the same length, measured in the same rounds. */
  readonly ordinaryMsPerMb: number;
  /** hostile ÷ ordinary, per MB. */
  readonly ratio: number;
  /** Least CPU ms at a quarter of the size and at the full size (linear: ×4; quadratic: ×16). */
  readonly quarterMs: number;
  readonly fullMs: number;
}

/**
 * The input's export cost against an ordinary note's, in interleaved rounds (quarter, full,
 * ordinary, then again), so load that comes and goes weighs on both sides. Each side's least CPU
 * time over `rounds`: other work on the machine and the garbage collector only ever add to a
 * run's time, so the least is the closest to the work's own cost (medians of three moved by ±15%
 * between runs on the shared 2-core machine).
 */
export function measureRenderRatio(input: RenderInput, rounds = 3): RenderRatio {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-render-ratio-'));
  try {
    const full = input.make(2);
    const files = { quarter: path.join(dir, 'quarter.md'), full: path.join(dir, 'full.md'), ordinary: path.join(dir, 'ordinary.md') };
    fs.writeFileSync(files.quarter, input.make(0.5));
    fs.writeFileSync(files.full, full);
    fs.writeFileSync(files.ordinary, ordinaryNote(full.length));
    const out = path.join(dir, 'out.html');
    // One untimed round: KaTeX and the engines loaded, the code warm.
    exportCpuMs(files.quarter, out);
    exportCpuMs(files.ordinary, out);
    const quarter: number[] = [];
    const hostile: number[] = [];
    const ordinary: number[] = [];
    for (let i = 0; i < rounds; i++) {
      quarter.push(exportCpuMs(files.quarter, out));
      hostile.push(exportCpuMs(files.full, out));
      ordinary.push(exportCpuMs(files.ordinary, out));
    }
    const mb = full.length / 1e6;
    const hostileMsPerMb = Math.min(...hostile) / mb;
    const ordinaryMsPerMb = Math.min(...ordinary) / mb;
    return {
      bytes: full.length,
      hostileMsPerMb,
      ordinaryMsPerMb,
      ratio: hostileMsPerMb / ordinaryMsPerMb,
      quarterMs: Math.min(...quarter),
      fullMs: Math.min(...hostile),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
