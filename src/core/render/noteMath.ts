import katex from 'katex';
import { renderKatex } from './katexGuard';
import type { MathSpan } from '../types';
import type { MathMacros } from './macros';
import { macrosKey, parseMacroPreamble } from './macros';
import { formulaOf } from './formula';

/**
 * The math of one note as VS Code's built-in preview sees it, so check, diagnostics, hover,
 * preview, export and the CLI agree with it. VS Code's markdown-math extension renders a note with
 * one KaTeX macro scope (`globalGroup: true`, one `macros` object per render, formulas in document
 * order): `$$\newcommand{\RR}{\mathbb{R}}$$` early in a note defines `\RR` for every later formula.
 *
 * This layer sits in front of the guarded KaTeX render entry and only decides *what* each formula
 * is rendered with; it never calls KaTeX to draw anything:
 *  - Top-level definitions (`\newcommand`, `\renewcommand`, `\providecommand`, `\def`, `\gdef`,
 *    `\global\def`, `\let`, `\DeclareMathOperator`) are applied to the note's scope one by one, in order.
 *    A definition KaTeX refuses is one problem at its own place; the rest of the preamble still
 *    works (VS Code stops at the first refused one, and every later use of every later macro fails).
 *    `\newcommand` of a name KaTeX already has (`\char`) and `\renewcommand` of a new name are
 *    reported and then applied as written, because that is what the author meant (MathJax, which
 *    Typora and most note sites use, accepts both).
 *  - The definitions are blanked out of the formula (same length, so KaTeX positions stay source
 *    positions); a preamble formula renders empty, as in VS Code.
 *  - MathJax's `\label`, `\eqref`, `\ref` become KaTeX macros: a display formula with a `\label`
 *    gets the next equation number (or its own `\tag`), `\eqref{key}` renders `(n)`, `\ref{key}`
 *    renders `n`; a formula that is only a reference becomes a link to the equation.
 * Plans are computed per note in document order and are cheap: only definitions reach KaTeX here.
 */

/** Anything KaTeX accepts as a macro: an expansion, or a function of the macro context (`\eqref`). */
export type KatexMacro = string | ((context: MacroContext) => string);
export type KatexMacros = Readonly<Record<string, KatexMacro>>;

/** The part of KaTeX's macro context that Lectern's macros use (tokens of an argument come reversed). */
export interface MacroContext {
  consumeArgs(count: number): Array<Array<{ text: string }>>;
}

export interface FormulaProblem {
  readonly message: string;
  /** Index into the span's TeX (as `texOf` gives it). */
  readonly position: number;
  readonly length: number;
  /** `refused-definition`: KaTeX refuses a definition; `unknown-label`: a reference to no `\label`. */
  readonly code: 'refused-definition' | 'bad-definition' | 'unknown-label';
}

export interface FormulaPlan {
  /** The TeX to render: definitions blanked, positions unchanged. */
  readonly tex: string;
  readonly displayMode: boolean;
  /** The note's scope before this formula's own content (its definitions applied), plus label macros. */
  readonly macros: KatexMacros;
  /** Cache key of `macros` for this formula (equal scopes and equation numbers, equal keys). */
  readonly key: string;
  readonly problems: readonly FormulaProblem[];
  /** HTML id of a display formula with a `\label` (the target of references). */
  readonly anchor?: string;
  /** The formula is only `\eqref{key}` / `\ref{key}`: a link to this anchor. */
  readonly linkTo?: string;
}

// The formula rules (backticks, display environments) live in formula.ts; re-exported for callers.
export { texOf, texShift, displayOf } from './formula';

const DEFINITION = /\\(?:global\s*\\)?(newcommand|renewcommand|providecommand|DeclareMathOperator\*?|def|gdef|let)(?![A-Za-z])/y;
/** `\let\name = token`: the name, then an optional `=` and one optional space, then one token. */
const LET = /\\(?:global\s*\\)?let\s*(\\(?:[A-Za-z]+|[^A-Za-z\s]))\s*(?:=\s?)?(\\(?:[A-Za-z]+|[^A-Za-z])|[^{}\\%\s])/y;
const LABEL = /\\label\s*\{([^{}]*)\}/g;
const TAG = /\\tag\*?\s*\{([^{}]*)\}/;
const REFERENCE = /\\(eqref|ref)\s*\{([^{}]*)\}/g;
const ONLY_REFERENCE = /^\s*\\(?:eqref|ref)\s*\{([^{}]*)\}\s*$/;

/** Plans every formula of a note, in document order, starting from the settings/preamble macros. */
export function planNoteMath(spans: readonly Pick<MathSpan, 'content' | 'display'>[], base: MathMacros = {}): FormulaPlan[] {
  const scope: Record<string, string> = { ...base };
  // Formulas between two definitions share one frozen snapshot of the scope and its key.
  let snapshot: MathMacros = Object.freeze({ ...scope });
  let scopeKey = macrosKey(snapshot);
  const staged = spans.map((span) => {
    const formula = formulaOf(span);
    const definitions = hoistDefinitions(formula.tex, scope);
    if (definitions.applied) {
      snapshot = Object.freeze({ ...scope });
      scopeKey = macrosKey(snapshot);
    }
    return { tex: definitions.tex, displayMode: formula.displayMode, problems: definitions.problems, scope: snapshot, scopeKey };
  });
  const labels = numberEquations(staged);
  return staged.map((s, i) => {
    const own = labels.perFormula[i];
    const usesLabels = /\\(?:label|eqref|ref)(?![A-Za-z])/.test(s.tex);
    const problems = [...s.problems, ...unknownReferences(s.tex, labels.numbers)];
    const macros: KatexMacros = usesLabels ? { ...s.scope, ...labelMacros(labels.numbers, own ?? [], s.displayMode && !TAG.test(s.tex)) } : s.scope;
    const only = ONLY_REFERENCE.exec(s.tex);
    const target = only ? labels.numbers.get(only[1].trim()) : undefined;
    return {
      tex: s.tex,
      displayMode: s.displayMode,
      macros,
      key: usesLabels ? `${s.scopeKey}\u0001${JSON.stringify(own ?? [])}\u0001${labels.key}` : s.scopeKey,
      problems,
      ...(own && own.length > 0 ? { anchor: anchorId(own[0].key) } : {}),
      ...(target ? { linkTo: anchorId(only![1].trim()) } : {}),
    };
  });
}

/** HTML id of a labelled equation (safe in an attribute and a `#fragment`). */
export function anchorId(label: string): string {
  return `eq-${label.replace(/[^A-Za-z0-9_.:-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}`)}`;
}

// ---- definitions ----------------------------------------------------------------------------

interface Hoisted {
  readonly tex: string;
  readonly problems: FormulaProblem[];
  readonly applied: boolean;
}

/** Applies the formula's top-level definitions to `scope` one by one and blanks them out of the TeX. */
function hoistDefinitions(tex: string, scope: Record<string, string>): Hoisted {
  if (!/\\(?:newcommand|renewcommand|providecommand|DeclareMathOperator|def|gdef|let)(?![A-Za-z])/.test(tex)) return { tex, problems: [], applied: false };
  const problems: FormulaProblem[] = [];
  let out = '';
  let copied = 0;
  let applied = false;
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') {
      if (depth === 0) {
        DEFINITION.lastIndex = i;
        const m = DEFINITION.exec(tex);
        const end = m ? definitionEnd(tex, i, DEFINITION.lastIndex, m[1]) : undefined;
        if (m && end !== undefined) {
          const chunk = tex.slice(i, end);
          const result = applyDefinition(chunk, m[1], scope);
          if (result.problem) problems.push({ ...result.problem, position: i + result.problem.position });
          applied ||= result.applied;
          out += tex.slice(copied, i) + chunk.replace(/[^\n]/g, ' ');
          copied = end;
          i = end - 1;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === '%') {
      const nl = tex.indexOf('\n', i);
      i = nl < 0 ? tex.length : nl;
    }
  }
  return { tex: out + tex.slice(copied), problems, applied };
}

/** End (exclusive) of a definition that starts at `start` and whose command ends at `pos`, or undefined if it is not well formed. */
function definitionEnd(tex: string, start: number, pos: number, kind: string): number | undefined {
  if (kind === 'let') {
    LET.lastIndex = start;
    return LET.exec(tex) ? LET.lastIndex : undefined;
  }
  pos = skipSpace(tex, pos);
  if (kind === 'def' || kind === 'gdef') {
    const name = /\\(?:[A-Za-z]+|[^A-Za-z\s])/y;
    name.lastIndex = pos;
    if (!name.exec(tex)) return undefined;
    pos = name.lastIndex;
    const params = /(?:#[1-9])*/y;
    params.lastIndex = pos;
    params.exec(tex);
    pos = params.lastIndex;
    return groupEnd(tex, pos);
  }
  // \newcommand{\name} or \newcommand\name
  if (tex[pos] === '{') {
    const end = groupEnd(tex, pos);
    if (end === undefined) return undefined;
    pos = end;
  } else {
    const name = /\\(?:[A-Za-z]+|[^A-Za-z\s])/y;
    name.lastIndex = pos;
    if (!name.exec(tex)) return undefined;
    pos = name.lastIndex;
  }
  pos = skipSpace(tex, pos);
  if (!kind.startsWith('Declare')) {
    for (let k = 0; k < 2 && tex[pos] === '['; k++) {
      const close = tex.indexOf(']', pos);
      if (close < 0) return undefined;
      pos = skipSpace(tex, close + 1);
    }
  }
  return groupEnd(tex, pos);
}

function groupEnd(tex: string, pos: number): number | undefined {
  if (tex[pos] !== '{') return undefined;
  let depth = 0;
  for (let i = pos; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return undefined;
}

function skipSpace(tex: string, pos: number): number {
  while (pos < tex.length && /\s/.test(tex[pos])) pos++;
  return pos;
}

interface Applied {
  readonly applied: boolean;
  readonly problem?: Omit<FormulaProblem, 'position'> & { position: number };
}

function applyDefinition(chunk: string, kind: string, scope: Record<string, string>): Applied {
  if (kind === 'let') {
    // `\let\a\b` copies \b's meaning now: its definition in the note's scope, or the KaTeX builtin.
    LET.lastIndex = 0;
    const m = LET.exec(chunk)!;
    scope[m[1]] = scope[m[2]] ?? m[2];
    return { applied: true };
  }
  // `\gdef` and `\global\def` define globally, which is what a note-wide scope is.
  const normalized = chunk.replace(/^\\(?:global\s*\\)?g?def(?![A-Za-z])/, '\\def');
  const parsed = parseMacroPreamble(normalized);
  const names = Object.keys(parsed.macros);
  if (parsed.problems.length > 0 || names.length !== 1) {
    return { applied: false, problem: { message: parsed.problems[0]?.message ?? 'Not a macro definition', position: 0, length: chunk.length, code: 'bad-definition' } };
  }
  const name = names[0];
  let problem: Applied['problem'];
  if (kind === 'newcommand' || kind === 'renewcommand' || kind === 'providecommand') {
    // KaTeX decides whether the name exists (its builtins and the note's scope so far).
    try {
      renderKatex(chunk, { macros: scope, displayMode: false });
    } catch (e) {
      const raw = e instanceof katex.ParseError ? e.rawMessage || e.message : e instanceof Error ? e.message : String(e);
      const at = chunk.indexOf(name);
      const where = { position: Math.max(0, at), length: at >= 0 ? name.length : chunk.length };
      if (/attempting to redefine/.test(raw)) {
        problem = { ...where, code: 'refused-definition', message: `${name} already exists in KaTeX, so VS Code's preview refuses \\newcommand here: use \\renewcommand (Lectern applies your definition)` };
      } else if (/does not yet exist/.test(raw)) {
        problem = { ...where, code: 'refused-definition', message: `${name} does not exist yet, so VS Code's preview refuses \\renewcommand here: use \\newcommand (Lectern applies your definition)` };
      } else {
        return { applied: false, problem: { ...where, code: 'bad-definition', message: raw } };
      }
    }
    if (kind === 'providecommand' && name in scope) return { applied: false };
  }
  scope[name] = parsed.macros[name];
  return { applied: true, problem };
}

// ---- equation labels -------------------------------------------------------------------------

interface LabelEntry {
  readonly key: string;
  readonly number: string;
}

interface Labels {
  readonly numbers: ReadonlyMap<string, string>;
  readonly perFormula: ReadonlyArray<readonly LabelEntry[] | undefined>;
  /** Changes when any label's number changes. */
  readonly key: string;
}

function numberEquations(formulas: readonly { tex: string; displayMode: boolean }[]): Labels {
  const numbers = new Map<string, string>();
  const perFormula: Array<LabelEntry[] | undefined> = [];
  let next = 1;
  for (const f of formulas) {
    if (!f.displayMode || !f.tex.includes('\\label')) {
      perFormula.push(undefined);
      continue;
    }
    const tag = TAG.exec(f.tex)?.[1].trim();
    const own: LabelEntry[] = [];
    for (const m of f.tex.matchAll(LABEL)) {
      const key = m[1].trim();
      const number = tag ?? String(next++);
      if (!numbers.has(key)) numbers.set(key, number);
      own.push({ key, number });
    }
    perFormula.push(own);
  }
  return { numbers, perFormula, key: numbers.size === 0 ? '' : JSON.stringify([...numbers]) };
}

function unknownReferences(tex: string, numbers: ReadonlyMap<string, string>): FormulaProblem[] {
  if (!/\\(?:eqref|ref)(?![A-Za-z])/.test(tex)) return [];
  const out: FormulaProblem[] = [];
  for (const m of tex.matchAll(REFERENCE)) {
    if (!numbers.has(m[2].trim())) {
      out.push({ message: `No display equation has \\label{${m[2].trim()}}`, position: m.index, length: m[0].length, code: 'unknown-label' });
    }
  }
  return out;
}

function labelMacros(numbers: ReadonlyMap<string, string>, own: readonly LabelEntry[], tagged: boolean): Record<string, KatexMacro> {
  const argument = (context: MacroContext): string =>
    (context.consumeArgs(1)[0] ?? [])
      .slice()
      .reverse()
      .map((t) => t.text)
      .join('')
      .trim();
  return {
    '\\label': (context) => {
      // By key, not by a counter: the same macros object serves every render of the formula.
      const key = argument(context);
      const entry = own.find((e) => e.key === key);
      return tagged && entry ? `\\tag{${textSafe(entry.number)}}` : '';
    },
    '\\eqref': (context) => `\\text{(${textSafe(numbers.get(argument(context)) ?? '??')})}`,
    '\\ref': (context) => `\\text{${textSafe(numbers.get(argument(context)) ?? '??')}}`,
  };
}

/** A number or tag shown through `\text{…}`: only characters that are plain text there. */
function textSafe(text: string): string {
  return text.replace(/[\\{}$&#^_%~]/g, '');
}
