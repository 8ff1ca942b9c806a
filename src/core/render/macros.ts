/**
 * KaTeX macros from a LaTeX preamble (`.lectern/macros.tex`) and from the `lectern.math.macros`
 * setting. One parser shared by the preview, the hover, the diagnostics and the CLI, so a macro
 * means the same thing everywhere.
 *
 * Supported preamble forms (one definition may span lines; `%` starts a comment):
 *   \newcommand{\R}{\mathbb{R}}        \newcommand\R{\mathbb{R}}
 *   \renewcommand{\vec}[1]{\mathbf{#1}} \providecommand{\N}{\mathbb{N}}
 *   \DeclareMathOperator{\argmax}{arg\,max}   (→ \operatorname{arg\,max}; `*` → \operatorname*)
 *   \def\E{\mathbb{E}}
 * Anything else is reported as a problem with its 0-based line, never thrown.
 */

export type MathMacros = Readonly<Record<string, string>>;

export interface MacroProblem {
  /** 0-based line in the preamble text. */
  readonly line: number;
  readonly message: string;
}

export interface ParsedMacros {
  readonly macros: MathMacros;
  readonly problems: readonly MacroProblem[];
}

/** Bounds so a hostile preamble cannot make every later render expensive. */
export const MAX_MACROS = 500;
export const MAX_MACRO_EXPANSION_LENGTH = 2000;
/** Problems reported per preamble; past them the rest of the file is ignored (and that reported). */
export const MAX_MACRO_PROBLEMS = 100;

const MACRO_NAME = /^\\(?:[A-Za-z]+|[^A-Za-z\s])$/;

/** Parses `\newcommand`-style definitions out of a preamble. Never throws. */
export function parseMacroPreamble(text: string): ParsedMacros {
  const src = stripComments(typeof text === 'string' ? text : '');
  // Every `{` is matched once, in one pass that goes only as far as the definitions read so far
  // need: scanning to the end of the file for each unbalanced definition (`\def\a{` on 32,768
  // lines) was quadratic, and matching the whole file up front did work past the 100th problem.
  braces = new BraceMatcher(src);
  try {
    return parsePreamble(src);
  } finally {
    braces = undefined;
  }
}

function parsePreamble(src: string): ParsedMacros {
  const macros: Record<string, string> = {};
  const problems: MacroProblem[] = [];
  // Problems come in source order: count lines up to each one, never past the last.
  let counted = 0;
  let line = 0;
  const lineOf = (offset: number): number => {
    for (let i = src.indexOf('\n', counted); i !== -1 && i < offset; i = src.indexOf('\n', i + 1)) {
      line++;
      counted = i + 1;
    }
    return line;
  };

  let pos = 0;
  let count = 0;
  while (pos < src.length) {
    pos = skipSpace(src, pos);
    if (pos >= src.length) break;
    if (problems.length >= MAX_MACRO_PROBLEMS) {
      // A file this broken is not a preamble: 32,768 diagnostics help nobody and cost every save.
      problems.push({ line: lineOf(pos), message: `More than ${MAX_MACRO_PROBLEMS} problems; the rest of the file is ignored` });
      break;
    }
    const start = pos;
    const command = /^\\([A-Za-z]+)(\*?)/.exec(src.slice(pos, pos + 40));
    if (!command) {
      problems.push({ line: lineOf(start), message: 'Expected a macro definition such as \\newcommand{\\R}{\\mathbb{R}}' });
      pos = nextLine(src, pos);
      continue;
    }
    pos += command[0].length;
    const kind = command[1];
    const starred = command[2] === '*';
    const result =
      kind === 'newcommand' || kind === 'renewcommand' || kind === 'providecommand'
        ? parseNewcommand(src, pos)
        : kind === 'DeclareMathOperator'
          ? parseOperator(src, pos, starred)
          : kind === 'def'
            ? parseDef(src, pos)
            : { error: `Unsupported command \\${kind} (use \\newcommand, \\renewcommand, \\DeclareMathOperator or \\def)` };
    if ('error' in result) {
      problems.push({ line: lineOf(start), message: result.error });
      pos = nextLine(src, pos);
      continue;
    }
    pos = result.end;
    if (result.expansion.length > MAX_MACRO_EXPANSION_LENGTH) {
      problems.push({ line: lineOf(start), message: `Definition of ${result.name} is longer than ${MAX_MACRO_EXPANSION_LENGTH} characters` });
      continue;
    }
    if (count >= MAX_MACROS) {
      problems.push({ line: lineOf(start), message: `More than ${MAX_MACROS} macros; the rest are ignored` });
      break;
    }
    if (kind === 'providecommand' && result.name in macros) continue;
    macros[result.name] = result.expansion;
    count++;
  }
  return { macros, problems };
}

/**
 * Validates macros coming from settings (`{"\\R": "\\mathbb{R}"}`): keys must be control sequences,
 * values strings within bounds. Invalid entries are reported and dropped.
 */
export function sanitizeMacroObject(value: unknown): ParsedMacros {
  const macros: Record<string, string> = {};
  const problems: MacroProblem[] = [];
  if (value === undefined || value === null) return { macros, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { macros, problems: [{ line: 0, message: 'Macros must be an object mapping "\\\\name" to its expansion' }] };
  }
  let count = 0;
  for (const [rawName, expansion] of Object.entries(value as Record<string, unknown>)) {
    const name = rawName.startsWith('\\') ? rawName : `\\${rawName}`;
    if (!MACRO_NAME.test(name)) {
      problems.push({ line: 0, message: `Invalid macro name ${JSON.stringify(rawName)}` });
      continue;
    }
    if (typeof expansion !== 'string') {
      problems.push({ line: 0, message: `Macro ${name} must map to a string` });
      continue;
    }
    if (expansion.length > MAX_MACRO_EXPANSION_LENGTH) {
      problems.push({ line: 0, message: `Definition of ${name} is longer than ${MAX_MACRO_EXPANSION_LENGTH} characters` });
      continue;
    }
    if (++count > MAX_MACROS) {
      problems.push({ line: 0, message: `More than ${MAX_MACROS} macros; the rest are ignored` });
      break;
    }
    macros[name] = expansion;
  }
  return { macros, problems };
}

/** Later sources win: `mergeMacros(fromSettings, fromPreamble)` lets the folder's preamble override. */
export function mergeMacros(...sources: readonly (MathMacros | undefined)[]): MathMacros {
  const merged: Record<string, string> = {};
  for (const source of sources) if (source) Object.assign(merged, source);
  return merged;
}

/** A stable key for caches: equal macro sets give equal keys regardless of insertion order. */
export function macrosKey(macros: MathMacros): string {
  const names = Object.keys(macros).sort();
  if (names.length === 0) return '';
  return JSON.stringify(names.map((n) => [n, macros[n]]));
}

// ---- scanning helpers -----------------------------------------------------------------------

type Definition = { name: string; expansion: string; end: number } | { error: string };

function parseNewcommand(src: string, pos: number): Definition {
  const name = readName(src, pos);
  if ('error' in name) return name;
  pos = skipSpace(src, name.end);
  let numArgs = 0;
  let optionalDefault: string | undefined;
  if (src[pos] === '[') {
    const close = boundedIndexOf(src, ']', pos, 20);
    const n = close === -1 ? NaN : Number(src.slice(pos + 1, close).trim());
    if (!Number.isInteger(n) || n < 0 || n > 9) return { error: `Invalid argument count for ${name.name}` };
    numArgs = n;
    pos = skipSpace(src, close + 1);
    if (src[pos] === '[') {
      // An optional first argument with a default: KaTeX macros cannot express it, so expand with the default.
      const closeDefault = boundedIndexOf(src, ']', pos, MAX_MACRO_EXPANSION_LENGTH);
      if (closeDefault === -1) return { error: `Unterminated default argument for ${name.name}` };
      optionalDefault = src.slice(pos + 1, closeDefault);
      pos = skipSpace(src, closeDefault + 1);
    }
  }
  const body = readGroup(src, pos);
  if ('error' in body) return { error: `${body.error} in the definition of ${name.name}` };
  let expansion = body.text;
  if (optionalDefault !== undefined) {
    expansion = shiftArguments(expansion, optionalDefault);
    numArgs -= 1;
  }
  const highest = highestArgument(expansion);
  if (highest > numArgs) return { error: `${name.name} uses #${highest} but declares ${numArgs} argument(s)` };
  return { name: name.name, expansion, end: body.end };
}

function parseOperator(src: string, pos: number, starred: boolean): Definition {
  const name = readName(src, pos);
  if ('error' in name) return name;
  const body = readGroup(src, skipSpace(src, name.end));
  if ('error' in body) return { error: `${body.error} in the definition of ${name.name}` };
  return { name: name.name, expansion: `\\operatorname${starred ? '*' : ''}{${body.text}}`, end: body.end };
}

function parseDef(src: string, pos: number): Definition {
  pos = skipSpace(src, pos);
  const m = /^\\(?:[A-Za-z]+|[^A-Za-z\s])/.exec(src.slice(pos, pos + 60));
  if (!m) return { error: 'Expected a control sequence after \\def' };
  pos += m[0].length;
  const params = /^(?:#[1-9])*/.exec(src.slice(pos, pos + 20))![0];
  pos += params.length;
  const body = readGroup(src, skipSpace(src, pos));
  if ('error' in body) return { error: `${body.error} in the definition of ${m[0]}` };
  return { name: m[0], expansion: body.text, end: body.end };
}

function readName(src: string, pos: number): { name: string; end: number } | { error: string } {
  pos = skipSpace(src, pos);
  if (src[pos] === '{') {
    const group = readGroup(src, pos);
    if ('error' in group) return group;
    const name = group.text.trim();
    if (!MACRO_NAME.test(name)) return { error: `Invalid macro name ${JSON.stringify(name)}` };
    return { name, end: group.end };
  }
  const m = /^\\(?:[A-Za-z]+|[^A-Za-z\s])/.exec(src.slice(pos, pos + 60));
  if (!m) return { error: 'Expected a macro name such as {\\R}' };
  return { name: m[0], end: pos + m[0].length };
}

/** The matcher of the preamble being parsed. */
let braces: BraceMatcher | undefined;

/**
 * For each unescaped `{` of `src`, the offset of its `}`: one pass with a stack (`\x` is an
 * escaped pair, as in `readGroup`), advanced on demand.
 */
export class BraceMatcher {
  /**
   * Per offset reached: -2 not an unescaped `{`, -1 an open `{` (never closed once the pass is
   * done), else the offset of its `}`. Allocated on the first scan: a file the parser gives up on
   * early, or with no `}` after its braces, needs none.
   */
  private close: Int32Array | undefined;
  /** The open braces of the pass. */
  private readonly open: number[] = [];
  private scanned = 0;
  /** No `{` after the last `}` can close: known without scanning (a file of `\def\a{` lines). */
  private readonly lastClose: number;

  constructor(readonly src: string) {
    this.lastClose = src.lastIndexOf('}');
  }

  /**
   * For a `{` at `pos`: the offset of its `}`, -1 when no `}` closes it, -2 when it is escaped
   * (`readGroup` then scans itself; with no `}` after it, -1 at once, escaped or not).
   */
  closeOf(pos: number): number {
    if (pos > this.lastClose) return -1;
    // Up to `pos`, then on until its `}` pops it (or the end: never closed).
    if (this.scanned <= pos) this.scan(pos + 1, -1);
    if (this.close![pos] === -1) this.scan(this.src.length, pos);
    return this.close![pos];
  }

  /** Advances the pass to `end`, or until the `{` at `until` is closed. */
  private scan(end: number, until: number): void {
    const { src } = this;
    const close = (this.close ??= new Int32Array(src.length).fill(-2));
    const open = this.open;
    let i = this.scanned;
    while (i < end) {
      const c = src.charCodeAt(i++);
      if (c === 92 /* \ */) i++;
      else if (c === 123 /* { */) {
        close[i - 1] = -1;
        open.push(i - 1);
      } else if (c === 125 /* } */ && open.length > 0) {
        const opened = open.pop()!;
        close[opened] = i - 1;
        if (opened === until) break;
      }
    }
    this.scanned = Math.min(i, src.length);
  }
}

/** `src.indexOf(char, from)`, looking no further than `within` characters. */
function boundedIndexOf(src: string, char: string, from: number, within: number): number {
  const at = src.slice(from, from + within + 1).indexOf(char);
  return at === -1 ? -1 : from + at;
}

/** Reads a balanced `{…}` group starting at `pos` (escaped braces `\{` do not count). */
function readGroup(src: string, pos: number): { text: string; end: number } | { error: string } {
  if (src[pos] !== '{') return { error: 'Expected {' };
  const matched = braces?.src === src ? braces.closeOf(pos) : -2;
  if (matched === -1) return { error: 'Unbalanced braces' };
  if (matched >= 0) return { text: src.slice(pos + 1, matched), end: matched + 1 };
  // A `{` the one-pass match saw as escaped (`\def\{…`): scan from here.
  let depth = 0;
  for (let i = pos; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return { text: src.slice(pos + 1, i), end: i + 1 };
  }
  return { error: 'Unbalanced braces' };
}

function highestArgument(expansion: string): number {
  let highest = 0;
  for (const m of expansion.replace(/##/g, '').matchAll(/#([1-9])/g)) highest = Math.max(highest, Number(m[1]));
  return highest;
}

/** `\newcommand\f[2][x]{#1+#2}`: #1 becomes the default, #2.. move down by one. */
function shiftArguments(expansion: string, defaultValue: string): string {
  return expansion.replace(/#([1-9])/g, (_m, d: string) => (d === '1' ? defaultValue : `#${Number(d) - 1}`));
}

function stripComments(src: string): string {
  // `%` starts a comment unless escaped (`\%`); keep the newline so line numbers stay right.
  return src.replace(/\r\n?/g, '\n').replace(/(^|[^\\])%[^\n]*/g, '$1');
}

function skipSpace(src: string, pos: number): number {
  while (pos < src.length && /\s/.test(src[pos])) pos++;
  return pos;
}

function nextLine(src: string, pos: number): number {
  const nl = src.indexOf('\n', pos);
  return nl === -1 ? src.length : nl + 1;
}
