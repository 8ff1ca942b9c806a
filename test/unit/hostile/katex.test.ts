/**
 * Hostile formulas: expansion bombs (the CVE-2024-28243 `\edef` and CVE-2024-28244 Unicode
 * sub/superscript bypasses of `maxExpand`), 10 000-deep nesting, huge `\rule` sizes and
 * `\href{javascript:…}` with trust off, through every path where note TeX reaches KaTeX.
 * Each must finish (a worker thread, killed after a generous timeout: this asserts termination,
 * not speed) and either report an error or produce output with nothing dangerous in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { HANG_FOR_TEST, type KatexOutcome, type KatexProbe, type KatexReport, type PathOutcome } from './katexWorker';

const KILL_AFTER_MS = 60_000;
const STARTUP_TIMEOUT_MS = 120_000;

const deep = (n: number, open: string, close: string, core = 'x') => open.repeat(n) + core + close.repeat(n);
const edefChain = (levels: number) => {
  let tex = '\\def\\l0{x}';
  for (let i = 1; i <= levels; i++) tex += `\\edef\\l${String.fromCharCode(96 + i)}{${`\\l${i === 1 ? '0' : String.fromCharCode(95 + i)}`.repeat(10)}}`;
  return tex + `\\l${String.fromCharCode(96 + levels)}`;
};

interface Case extends KatexProbe {
  readonly name: string;
  /** What makes an output unsafe for this payload (beyond the generic checks). */
  readonly unsafe?: RegExp;
}

const cases: Case[] = [
  { name: 'recursive \\def bomb', tex: '\\def\\a{\\a\\a}\\a', display: true },
  { name: 'recursive \\gdef bomb', tex: '\\gdef\\a{\\a\\a}\\a', display: false },
  { name: 'self-referential \\newcommand', tex: '\\newcommand{\\a}{\\a}\\a', display: true },
  { name: 'exponential \\def with arguments', tex: '\\def\\a#1{#1#1#1#1}\\a{\\a{\\a{\\a{\\a{\\a{\\a{\\a{\\a{\\a{x}}}}}}}}}}', display: true },
  { name: 'CVE-2024-28243 style \\edef chain (10^10 tokens)', tex: edefChain(10), display: true },
  { name: 'CVE-2024-28243 style \\edef self-doubling', tex: '\\def\\a{x}' + '\\edef\\a{\\a\\a}'.repeat(60) + '\\a', display: true },
  { name: 'CVE-2024-28244 style bomb in Unicode superscripts', tex: '\\def\\a{\\a\\a}x²³⁴' + 'ⁿ'.repeat(200) + '\\a', display: true },
  { name: 'CVE-2024-28244 style Unicode subscripts after a doubling macro', tex: '\\def\\b{\\b\\b}' + 'x₁₂₃₄₅₆₇₈₉'.repeat(100) + '\\b', display: false },
  { name: '\\edef doubling inside Unicode superscripts', tex: 'a' + '⁽'.repeat(50) + '\\def\\a{x}' + '\\edef\\a{\\a\\a}'.repeat(40) + '\\a', display: true },
  { name: '9 999-deep braces', tex: deep(9_999, '{', '}'), display: true },
  { name: '10 000-deep braces (over the length limit)', tex: deep(10_000, '{', '}'), display: true },
  { name: '2 000-deep \\frac', tex: deep(2_000, '\\frac{', '}{y}'), display: true },
  { name: '3 000-deep \\sqrt', tex: deep(3_000, '\\sqrt{', '}'), display: false },
  { name: '5 000-deep superscripts', tex: deep(5_000, 'x^{', '}'), display: true },
  { name: '\\left( 3 000 deep', tex: deep(3_000, '\\left(', '\\right)'), display: true },
  { name: 'huge \\rule', tex: '\\rule{10000em}{10000em}', display: true },
  { name: 'huge \\hspace and \\kern', tex: 'a\\hspace{100000em}b\\kern{99999em}c', display: false },
  { name: '\\href javascript: (trust off)', tex: '\\href{javascript:alert(1)}{click}', display: false, unsafe: /javascript:/i },
  { name: '\\url javascript:', tex: '\\url{javascript:alert(document.cookie)}', display: false, unsafe: /javascript:/i },
  { name: '\\href data: URL', tex: '\\href{data:text/html,<script>alert(1)</script>}{x}', display: false, unsafe: /data:text\/html/i },
  { name: '\\includegraphics remote', tex: '\\includegraphics[height=1em]{https://evil.invalid/x.png}', display: false, unsafe: /<img|evil\.invalid/ },
  { name: '\\htmlClass / \\htmlId / \\htmlData / \\htmlStyle', tex: '\\htmlClass{x" onmouseover="alert(1)}{a}\\htmlId{y}{b}\\htmlData{onclick=alert(1)}{c}\\htmlStyle{background:url(https://evil.invalid)}{d}', display: false, unsafe: /evil\.invalid|data-onclick|id="y"|style="background/ },
  { name: '\\char and \\unicode-like escapes', tex: '\\char"3C script\\char"3E alert(1)', display: false, unsafe: /<script/ },
  { name: 'very long flat formula (19 000 chars)', tex: 'x+'.repeat(9_500), display: true },
  { name: 'array with 20 000 cells', tex: '\\begin{array}{c}' + 'a&'.repeat(5_000) + '\\end{array}', display: true },
];

/**
 * Dangerous in any rendered output, whatever the payload. Tested against the markup only (tags and
 * their attributes): with trust off KaTeX shows an unsupported command's source as text, and the
 * MathML annotation repeats the TeX, so `javascript:` in text is harmless.
 */
const GENERIC_UNSAFE = /<(script|iframe|object|embed|img|a)\b|\s(href|src|xlink:href|on[a-z]+)=|javascript:/i;

function markupOnly(output: string): string {
  const withoutAnnotations = output.replace(/<annotation\b[^>]*>[\s\S]*?<\/annotation>/g, '');
  return (withoutAnnotations.match(/<[^>]*>/g) ?? []).join('');
}

/** The largest length in em inside the markup's style attributes. */
function largestEm(markup: string): number {
  let max = 0;
  for (const m of markup.matchAll(/(-?\d+(?:\.\d+)?)em/g)) max = Math.max(max, Math.abs(Number(m[1])));
  return max;
}

type Result = { finished: true; outcome: KatexOutcome } | { finished: false; reason: string };

/**
 * Runs every probe in a worker thread, in order. A watchdog kills the worker when one probe runs
 * longer than KILL_AFTER_MS, records that probe as unfinished and starts a new worker after it.
 */
async function runAll(probes: readonly KatexProbe[], killAfterMs = KILL_AFTER_MS): Promise<Result[]> {
  const results: Result[] = [];
  while (results.length < probes.length) {
    const from = results.length;
    await new Promise<void>((resolve) => {
      const worker = new Worker(path.join(__dirname, 'katexWorker.js'), {
        workerData: { probes, from },
        resourceLimits: { maxOldGenerationSizeMb: 1024, stackSizeMb: 8 },
      });
      // Loading KaTeX and the core may take long on a busy machine: the per-formula clock starts
      // once the worker says it is ready.
      let timer: NodeJS.Timeout;
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          results.push({ finished: false, reason: `still running after ${ms / 1000} s (killed)` });
          void worker.terminate();
        }, ms);
      };
      arm(Math.max(killAfterMs, STARTUP_TIMEOUT_MS));
      worker.on('message', (report: KatexReport) => {
        if ('index' in report) results[report.index] = { finished: true, outcome: report.outcome };
        arm(killAfterMs);
      });
      worker.once('error', (e) => {
        if (results.length < probes.length) results.push({ finished: false, reason: `worker crashed: ${e.message}` });
      });
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (results.length === from) results.push({ finished: false, reason: 'worker exited before answering' });
  }
  return results;
}

let all: Promise<Result[]> | undefined;
const resultOf = async (i: number): Promise<Result> => (await (all ??= runAll(cases)))[i];

function judge(c: Case, where: string, p: PathOutcome): string | undefined {
  if (p.error !== undefined) return p.error.length > 0 ? undefined : `${where}: empty error message`;
  const out = p.output ?? '';
  const markup = markupOnly(out);
  if (GENERIC_UNSAFE.test(markup)) return `${where}: markup holds ${GENERIC_UNSAFE.exec(markup)![0]}`;
  if (c.unsafe?.test(markup)) return `${where}: markup holds ${c.unsafe.exec(markup)![0]}`;
  // KaTeX's maxSize caps user-given sizes; nothing a note writes may blow the layout up.
  if (largestEm(markup) > 1000) return `${where}: a ${largestEm(markup)}em dimension in the markup`;
  if (out.length > 5_000_000) return `${where}: ${out.length} characters of output`;
  return undefined;
}

cases.forEach((c, i) => {
  test(`KaTeX hostile: ${c.name} finishes with an error or safe output on every path`, async () => {
    const result = await resultOf(i);
    assert.ok(result.finished, `did not finish: ${result.finished ? '' : result.reason}`);
    const { outcome } = result;
    const problems = [judge(c, 'preview render', outcome.preview), judge(c, 'hover SVG', outcome.hover)].filter((p) => p !== undefined);
    // The math check renders nothing; it must finish and, for a bomb, say so.
    if (/bomb|chain|doubling|self-referential|exponential/.test(c.name)) {
      if (outcome.check.error === undefined) problems.push('math check reported no error for an expansion bomb');
      if (outcome.preview.error === undefined) problems.push('preview rendered an expansion bomb without error');
    }
    assert.deepEqual(problems, []);
  });
});

test('the watchdog kills a formula that never returns and goes on with the next', async () => {
  const results = await runAll([{ tex: 'x', display: false }, { tex: HANG_FOR_TEST, display: false }, { tex: '\\frac12', display: true }], 2_000);
  assert.deepEqual(results.map((r) => r.finished), [true, false, true]);
});
