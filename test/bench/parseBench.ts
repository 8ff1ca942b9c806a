/**
 * Parse throughput: Lectern's `parseNotes` (sections + TODOs + math spans) against a bare
 * `markdown-it` parse of the same text, the floor Lectern builds on.
 */
import MarkdownIt from 'markdown-it';
import { parseNotes } from '../../src/core';
import { round, timeInterleaved, type TimingPlan } from './measure';
import { utf8Bytes } from './corpus';

// CommonJS module with an ES default export (see README: dependency choices).
type Md = InstanceType<typeof MarkdownIt>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const markdownItKatex = (require('@vscode/markdown-it-katex') as { default: (md: Md, o?: object) => Md }).default;

export interface ParseRow {
  readonly name: string;
  readonly bytes: number;
  readonly runs: number;
  readonly lecternMs: number;
  readonly markdownItMs: number;
  readonly markdownItKatexMs: number;
  readonly lecternMBps: number;
  readonly ratioToMarkdownIt: number;
  readonly msPerMB: number;
  readonly todos: number;
  readonly math: number;
  readonly sections: number;
}

export function planFor(bytes: number): TimingPlan {
  if (bytes <= 100_000) return { warmup: 20, runs: 40 };
  if (bytes <= 1_000_000) return { warmup: 5, runs: 15 };
  if (bytes <= 10_000_000) return { warmup: 2, runs: 7 };
  return { warmup: 1, runs: 3 };
}

const MB = 1_000_000;

/** Times one parse of every text in `texts` (a folder of notes counts as one input). */
export function benchParse(name: string, texts: readonly string[], plan?: TimingPlan): ParseRow {
  const bare = new MarkdownIt();
  const withKatex = new MarkdownIt().use(markdownItKatex);
  const bytes = texts.reduce((sum, t) => sum + utf8Bytes(t), 0);
  const p = plan ?? planFor(bytes);
  const each = (fn: (text: string) => unknown) => () => texts.map(fn);
  const t = timeInterleaved(
    {
      lectern: each((text) => parseNotes(text)),
      markdownIt: each((text) => bare.parse(text, {})),
      markdownItKatex: each((text) => withKatex.parse(text, {})),
    },
    p,
    bytes > 1_000_000,
  );
  const results = texts.map((text) => parseNotes(text));
  const count = (f: (r: ReturnType<typeof parseNotes>) => number) => results.reduce((sum, r) => sum + f(r), 0);
  return {
    name,
    bytes,
    runs: p.runs,
    lecternMs: round(t.lectern.medianMs, 3),
    markdownItMs: round(t.markdownIt.medianMs, 3),
    markdownItKatexMs: round(t.markdownItKatex.medianMs, 3),
    lecternMBps: round(bytes / MB / (t.lectern.medianMs / 1000), 2),
    ratioToMarkdownIt: round(t.lectern.medianMs / t.markdownIt.medianMs, 3),
    msPerMB: round(t.lectern.medianMs / (bytes / MB), 3),
    todos: count((r) => r.todos.length),
    math: count((r) => r.math.length),
    sections: count((r) => r.sections.length),
  };
}

/**
 * Linear growth: time per MB at each size relative to the smallest synthetic size.
 * The goal is a spread within 20 % from 32 KB to 32 MB.
 */
export function linearity(rows: readonly ParseRow[]): { maxSpread: number; withinGoal: boolean } {
  const perMB = rows.map((r) => r.msPerMB).filter((v) => Number.isFinite(v) && v > 0);
  if (perMB.length < 2) return { maxSpread: Number.NaN, withinGoal: false };
  const lo = Math.min(...perMB);
  const hi = Math.max(...perMB);
  const spread = hi / lo - 1;
  return { maxSpread: round(spread, 3), withinGoal: spread <= 0.2 };
}
