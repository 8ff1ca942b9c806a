import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../core/lines';
import { checkMath } from '../core/math';
import { setKatexWarningSink } from '../core/render/katexGuard';
import type { MathError, MathSpan } from '../core/types';
import { parseMacroPreamble, type MathMacros } from '../core/render/macros';
import { oneLine } from './errors';

/**
 * `lectern check`: every formula of the notes through KaTeX with the note's macro scope, exactly
 * as the editor checks it. Loaded by `run.ts` only when this command runs, so the other commands
 * start without KaTeX.
 *
 * Macros, as the editor: the nearest `.lectern/macros.tex` from the note's folder upwards (the
 * editor stops at the workspace folder; the CLI, which has none, stops at the first one found or
 * at a `.git` folder); `--macros FILE` names the preamble instead. Problems in the preamble are
 * reported as findings at the preamble's lines.
 *
 * KaTeX writes some warnings (`No character metrics for …`) with `console.warn`; they are caught
 * here and summarised in one line on stderr, never printed raw.
 */

export const PREAMBLE_PATH = path.join('.lectern', 'macros.tex');
export const MAX_PREAMBLE_BYTES = 256 * 1024;
const EXCERPT_LENGTH = 60;

export interface CheckFinding {
  /** As given on the command line. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The formula's source (shortened around the error when long); empty for preamble problems. */
  readonly formula: string;
  readonly code?: string;
}

export interface CheckInput {
  readonly file: string;
  readonly text: string;
}

export interface CheckOptions {
  readonly tags?: readonly string[];
  /** `--macros FILE`: this preamble instead of the nearest `.lectern/macros.tex`. */
  readonly macrosFile?: string;
  readonly readFile: (file: string) => string | undefined;
}

export interface CheckReport {
  readonly findings: readonly CheckFinding[];
  /** KaTeX's console warnings, deduplicated. */
  readonly warnings: readonly string[];
}

export function checkNotes(inputs: readonly CheckInput[], options: CheckOptions): CheckReport {
  const findings: CheckFinding[] = [];
  const warnings = new Set<string>();
  const preambles = new Map<string, { macros: MathMacros; file?: string }>();
  const reportedPreambles = new Set<string>();
  setKatexWarningSink((message) => warnings.add(message.slice(0, 200)));
  try {
    for (const { file, text } of inputs) {
      const preambleFile = options.macrosFile ?? findPreamble(path.dirname(path.resolve(file)));
      let preamble = preambleFile === undefined ? { macros: {} } : preambles.get(preambleFile);
      if (!preamble && preambleFile !== undefined) {
        const source = options.readFile(preambleFile);
        if (source === undefined && options.macrosFile !== undefined) throw new Error(`--macros ${preambleFile}: cannot read it`);
        const parsed = parseMacroPreamble((source ?? '').slice(0, MAX_PREAMBLE_BYTES));
        preamble = { macros: parsed.macros, file: preambleFile };
        preambles.set(preambleFile, preamble);
        if (!reportedPreambles.has(preambleFile)) {
          reportedPreambles.add(preambleFile);
          const shown = options.macrosFile ?? path.relative(process.cwd(), preambleFile);
          for (const p of parsed.problems) findings.push({ file: shown, line: p.line + 1, column: 1, message: p.message, formula: '' });
        }
      }
      // The core's line index: it counts CRLF and bare CR line breaks exactly as the ranges do.
      const lines = new LineIndex(text);
      for (const error of checkMath(text, { tags: options.tags, macros: preamble?.macros })) {
        findings.push(finding(file, error, contentIndex(error.math, lines.offsetAt(error.range.start))));
      }
    }
  } finally {
    setKatexWarningSink(undefined);
  }
  return { findings, warnings: [...warnings] };
}

function finding(file: string, error: MathError, errorIndex: number): CheckFinding {
  return {
    file,
    line: error.range.start.line + 1,
    column: error.range.start.character + 1,
    message: oneLine(error.message),
    formula: excerpt(error.math, errorIndex),
    ...(error.code ? { code: error.code } : {}),
  };
}

/** The formula with its delimiters, on one line, cut around the error (`errorIndex` in the content) when long. */
function excerpt(math: MathSpan, errorIndex: number): string {
  const open = math.display ? '$$' : '$';
  const flat = math.content.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_LENGTH) return `${open}${flat}${open}`;
  // Flattening only shortens runs of blanks, so the error sits at or before `errorIndex`.
  const at = Math.min(errorIndex, flat.length);
  const from = Math.max(0, Math.min(at - Math.floor(EXCERPT_LENGTH / 3), flat.length - EXCERPT_LENGTH));
  const to = from + EXCERPT_LENGTH;
  return `${open}${from > 0 ? '…' : ''}${flat.slice(from, to)}${to < flat.length ? '…' : ''}${open}`;
}

/** Index in `math.content` of a source offset inside the formula (inverse of `mathContentToSource`). */
function contentIndex(math: MathSpan, offset: number): number {
  const segments = math.segments?.length ? math.segments : [{ contentStart: 0, sourceOffset: math.contentOffset }];
  let index = 0;
  for (const segment of segments) {
    if (segment.sourceOffset > offset) break;
    index = segment.contentStart + (offset - segment.sourceOffset);
  }
  return Math.max(0, index);
}

/** The nearest `.lectern/macros.tex` from `dir` upwards, stopping below a `.git` folder's parent. */
export function findPreamble(dir: string): string | undefined {
  for (let depth = 0; depth < 32; depth++) {
    const candidate = path.join(dir, PREAMBLE_PATH);
    if (isFile(candidate)) return candidate;
    if (exists(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function exists(file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** `file:line:col: message  $formula$` lines, and the warnings summary for stderr. */
export function formatFindings(report: CheckReport): { stdout: string; stderr: string } {
  const stdout = report.findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}${f.formula ? `  ${f.formula}` : ''}\n`).join('');
  return { stdout, stderr: warningSummary(report.warnings) };
}

/** One line for KaTeX's console warnings, in Lectern's words (they never reach the terminal raw). */
function warningSummary(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  const chars = new Set<string>();
  let other = 0;
  for (const w of warnings) {
    const m = /No character metrics for '(.+?)'/u.exec(w);
    if (m) chars.add(m[1]);
    else other++;
  }
  const parts: string[] = [];
  if (chars.size > 0) {
    const shown = [...chars].slice(0, 8).join(' ');
    parts.push(`KaTeX has no font metrics for ${chars.size} character(s) in formulas (${shown}${chars.size > 8 ? ' …' : ''}); they render in a fallback font`);
  }
  if (other > 0) parts.push(`KaTeX warned ${other} more time(s) while rendering`);
  return `lectern: note: ${parts.join('; ')}\n`;
}
