/**
 * Real-world comparison: Lectern against the stack VS Code's built-in preview uses, over a folder
 * of Markdown notes given on the command line (public course notes fetched outside the repository;
 * nothing of them is committed).
 *
 *   node out/test/realworld/compare.js /work/corpus [--baseline /path/to/older/out] [--json]
 *
 * Reference: markdown-it + @vscode/markdown-it-katex + KaTeX configured as the built-in
 * markdown-math extension does (`enableFencedBlocks`, `globalGroup: true`, one `macros` object
 * reset per render); its errors are the `katex-error` elements of the rendered HTML. Lectern: the
 * formulas that fail as the preview renders them ("failing", comparable to the reference) and the
 * findings of `checkMath` (one per cause), with the nearest `.lectern/macros.tex` if any.
 * `--baseline` loads another build's compiled core (e.g. main's `out/`) for a before/after figure.
 * Per repository (first-level folder): files, MB, formulas, reference errors, Lectern errors,
 * formulas where the two disagree, TODOs found and open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import katex from 'katex';
import markdownItKatex from '@vscode/markdown-it-katex';
import { checkMath, parseNotes } from '../../src/core';
import { findPreamble } from '../../src/cli/check';
import { parseMacroPreamble } from '../../src/core/render/macros';
import { renderFormula } from '../../src/core/render/mathCache';
import { planNoteMath } from '../../src/core/render/noteMath';

interface Row {
  repo: string;
  files: number;
  bytes: number;
  formulas: number;
  referenceErrors: number;
  lecternErrors: number;
  /** Formulas Lectern renders as an error (as the reference counts), before one-per-cause grouping. */
  lecternFailing: number;
  baselineErrors: number | null;
  todos: number;
  openTodos: number;
  crashes: number;
}

type CheckFn = (text: string, options: { macros?: Record<string, string> }) => readonly unknown[];

/**
 * VS Code renders with `throwOnError: false`, where KaTeX draws an undefined control sequence in
 * red instead of failing; an error is any formula KaTeX rejects with `throwOnError: true`. The
 * counting attempt must not change what VS Code would see: on an error, the shared macros are
 * restored to their state before it and the formula is rendered VS Code's way.
 */
function referenceEngine(): { render(text: string): string; errors: number } {
  const md = new MarkdownIt({ html: true });
  const counter = { errors: 0 };
  const counting: typeof katex = {
    ...katex,
    renderToString: (tex: string, options?: katex.KatexOptions) => {
      const macros = (options?.macros ?? {}) as Record<string, unknown>;
      const before = { ...macros };
      try {
        return katex.renderToString(tex, { ...options, throwOnError: true });
      } catch {
        counter.errors++;
        for (const key of Object.keys(macros)) delete macros[key];
        Object.assign(macros, before);
        return katex.renderToString(tex, { ...options, throwOnError: false });
      }
    },
  };
  const options = { katex: counting, enableFencedBlocks: true, globalGroup: true, throwOnError: false, macros: {} as Record<string, unknown> };
  md.core.ruler.push('reset-katex-macros', () => {
    options.macros = {};
  });
  md.use(markdownItKatex, options);
  return {
    render: (text) => md.render(text),
    get errors() {
      return counter.errors;
    },
  };
}

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

function main(): void {
  const args = process.argv.slice(2);
  const root = args.find((a) => !a.startsWith('--'));
  if (!root || !fs.existsSync(root)) {
    process.stderr.write('usage: node out/test/realworld/compare.js FOLDER [--baseline OUT_DIR] [--json]\n');
    process.exitCode = 2;
    return;
  }
  const baselineAt = args.indexOf('--baseline');
  const baseline: CheckFn | undefined =
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an older build named on the command line
    baselineAt >= 0 ? (require(path.resolve(args[baselineAt + 1], 'src', 'core', 'index.js')) as { checkMath: CheckFn }).checkMath : undefined;
  const reference = referenceEngine();
  const rows = new Map<string, Row>();
  // KaTeX's console warnings are counted, not printed.
  let warnings = 0;
  console.warn = () => void warnings++;
  for (const file of markdownFiles(root)) {
    const repo = path.relative(root, file).split(path.sep)[0];
    const row =
      rows.get(repo) ??
      ({ repo, files: 0, bytes: 0, formulas: 0, referenceErrors: 0, lecternErrors: 0, lecternFailing: 0, baselineErrors: baseline ? 0 : null, todos: 0, openTodos: 0, crashes: 0 });
    rows.set(repo, row);
    const text = fs.readFileSync(file, 'utf8');
    row.files++;
    row.bytes += Buffer.byteLength(text);
    try {
      const preambleFile = findPreamble(path.dirname(file));
      const macros = preambleFile ? parseMacroPreamble(fs.readFileSync(preambleFile, 'utf8')).macros : {};
      const parse = parseNotes(text);
      row.formulas += parse.math.length;
      row.todos += parse.todos.length;
      row.openTodos += parse.todos.filter((t) => t.status === 'open').length;
      const errorsBefore = reference.errors;
      reference.render(text);
      row.referenceErrors += reference.errors - errorsBefore;
      row.lecternErrors += checkMath({ text, parse }, { macros }).length;
      for (const plan of planNoteMath(parse.math, macros)) {
        if (plan.problems.length > 0 || renderFormula(plan.tex, plan.displayMode, plan.macros).error !== undefined) row.lecternFailing++;
      }
      if (baseline && row.baselineErrors !== null) row.baselineErrors += baseline(text, { macros }).length;
    } catch (e) {
      row.crashes++;
      process.stderr.write(`${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  const all = [...rows.values()];
  const total: Row = all.reduce(
    (t, r) => ({
      ...t,
      files: t.files + r.files,
      bytes: t.bytes + r.bytes,
      formulas: t.formulas + r.formulas,
      referenceErrors: t.referenceErrors + r.referenceErrors,
      lecternErrors: t.lecternErrors + r.lecternErrors,
      lecternFailing: t.lecternFailing + r.lecternFailing,
      baselineErrors: t.baselineErrors === null || r.baselineErrors === null ? null : t.baselineErrors + r.baselineErrors,
      todos: t.todos + r.todos,
      openTodos: t.openTodos + r.openTodos,
      crashes: t.crashes + r.crashes,
    }),
    { repo: 'total', files: 0, bytes: 0, formulas: 0, referenceErrors: 0, lecternErrors: 0, lecternFailing: 0, baselineErrors: baseline ? 0 : null, todos: 0, openTodos: 0, crashes: 0 },
  );
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ rows: all, total, katexWarnings: warnings }, null, 2)}\n`);
    return;
  }
  const header = ['repository', 'files', 'MB', 'formulas', 'VS Code errors', 'Lectern failing', 'Lectern findings', ...(baseline ? ['baseline findings'] : []), 'TODOs', 'open'];
  const lines = [...all, total].map((r) => [
    r.repo,
    r.files,
    (r.bytes / 1e6).toFixed(2),
    r.formulas,
    r.referenceErrors,
    r.lecternFailing,
    r.lecternErrors,
    ...(baseline ? [r.baselineErrors ?? ''] : []),
    r.todos,
    r.openTodos,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const format = (cells: readonly unknown[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  process.stdout.write(`${format(header)}\n${lines.map(format).join('\n')}\n`);
  process.stdout.write(`KaTeX console warnings (counted, not printed): ${warnings}; crashes: ${total.crashes}\n`);
}

main();
