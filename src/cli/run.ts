import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdit, parseNotes, reopenTodo, resolveTodo } from '../core';
import type { ParseResult, Section, Todo } from '../core';
import { demoIdsBySection } from '../core/demos/mapping';
import { todoExportEntry, type TodoExportEntry } from '../core/todoExport';
import { checkNotes, formatFindings } from './check';
import { CliError, CliRefusal, oneLine } from './errors';
import { exportNote, packageRoot } from './export';
import { readNoteFile, writeNoteFile } from './safeFile';
import { escapeControls } from './terminal';
import { errorMessage } from '../core/errors';

/**
 * The `lectern` command line over the core. `runCli` does everything but exiting, so tests can
 * drive it in-process; `main.ts` is the thin executable around it.
 *
 * Exit codes: 0 success; 1 a finding (`check` found math errors) or a refused edit (unknown id,
 * not resolved, …); 2 a usage or I/O error. Errors are one line on stderr, never a stack trace.
 */

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `Usage: lectern <command> [options]

Commands:
  todos FILE... [--json] [--open | --resolved]   list the TODOs of lecture notes
  sections FILE [--json]                          show the heading tree (with each section's demo)
  check FILE... [--json] [--macros FILE]          check every formula with KaTeX (exit 1 on errors);
                                                  macros from the nearest .lectern/macros.tex, or FILE
  resolve FILE --id ID [--answer TEXT]            mark an open TODO resolved, writing the answer next to it
          [--replace-answer]                      also replace the answer of an already resolved TODO
  reopen FILE --id ID                             undo a resolve, restoring the original text
  export FILE [-o OUT.html]                       the standalone HTML page of Export HTML (default FILE.html)

Options:
  --tags TAG,TAG   TODO tags (whole uppercase words; default TODO,FIXME)
  -h, --help       show this help
  -v, --version    show the version

Lines and columns are 1-based. Exit codes: 0 ok, 1 findings or refused edit, 2 usage or I/O error.
`;

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

const COMMAND_FLAGS: Record<string, { readonly booleans: readonly string[]; readonly values: readonly string[] }> = {
  todos: { booleans: ['json', 'open', 'resolved'], values: ['tags'] },
  sections: { booleans: ['json'], values: [] },
  check: { booleans: ['json'], values: ['tags', 'macros'] },
  resolve: { booleans: ['replace-answer'], values: ['id', 'answer', 'tags'] },
  reopen: { booleans: [], values: ['id', 'tags'] },
  export: { booleans: [], values: ['o', 'out', 'tags'] },
};

function parseArgs(command: string, args: readonly string[]): Parsed {
  const spec = COMMAND_FLAGS[command];
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.replace(/^--?/, '').slice(0, eq < 0 ? undefined : eq - (arg.startsWith('--') ? 2 : 1));
    if (spec.booleans.includes(name)) {
      if (eq >= 0) throw new CliError(`option --${name} takes no value`);
      flags.set(name, true);
    } else if (spec.values.includes(name)) {
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < args.length) value = args[++i];
      if (value === undefined) throw new CliError(`option --${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new CliError(`unknown option ${arg.slice(0, eq < 0 ? undefined : eq)} for '${command}' (see lectern --help)`);
    }
  }
  return { positional, flags };
}

export function runCli(argv: readonly string[], rawIo: CliIo): number {
  // Notes are untrusted: nothing from them reaches the terminal as a control sequence.
  const io: CliIo = { stdout: (t) => rawIo.stdout(escapeControls(t)), stderr: (t) => rawIo.stderr(escapeControls(t)) };
  try {
    return dispatch(argv, io);
  } catch (e) {
    const message = errorMessage(e);
    io.stderr(`lectern: ${oneLine(message)}\n`);
    return e instanceof CliRefusal ? 1 : 2;
  }
}

function dispatch(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr(USAGE);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${readVersion()}\n`);
    return 0;
  }
  if (!(command in COMMAND_FLAGS)) {
    throw new CliError(command.startsWith('-') ? `unknown option ${command} (see lectern --help)` : `unknown command '${command}' (see lectern --help)`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  const args = parseArgs(command, rest);
  const tags = tagsOption(args);
  switch (command) {
    case 'todos':
      return todosCommand(args, tags, io);
    case 'sections':
      return sectionsCommand(args, tags, io);
    case 'check':
      return checkCommand(args, tags, io);
    case 'resolve':
    case 'reopen':
      return editCommand(command, args, tags, io);
    case 'export':
      return exportCommand(args, tags, io);
  }
  throw new CliError(`unknown command '${command}'`);
}

function tagsOption(args: Parsed): string[] | undefined {
  const value = args.flags.get('tags');
  if (value === undefined || value === true) return undefined;
  const tags = value.split(',').map((t) => t.trim()).filter(Boolean);
  const bad = tags.find((t) => !/^\p{Lu}[\p{Lu}\p{N}_]*$/u.test(t));
  if (bad !== undefined) throw new CliError(`--tags: '${bad}' is not an uppercase word`);
  return tags;
}

function requireFiles(args: Parsed, command: string, max?: number): string[] {
  if (args.positional.length === 0) throw new CliError(`${command}: missing FILE`);
  if (max !== undefined && args.positional.length > max) throw new CliError(`${command}: expected ${max} FILE, got ${args.positional.length}`);
  return args.positional;
}

function todosCommand(args: Parsed, tags: string[] | undefined, io: CliIo): number {
  const files = requireFiles(args, 'todos');
  if (args.flags.has('open') && args.flags.has('resolved')) throw new CliError('todos: --open and --resolved exclude each other');
  const wanted = args.flags.has('open') ? 'open' : args.flags.has('resolved') ? 'resolved' : undefined;
  const texts = files.map((f) => readNoteFile(f).text);
  const rows: Array<{ file: string; todo: Todo }> = [];
  files.forEach((file, i) => {
    for (const todo of parseNotes(texts[i], { tags }).todos) {
      if (!wanted || todo.status === wanted) rows.push({ file, todo });
    }
  });
  if (args.flags.has('json')) {
    io.stdout(`${JSON.stringify(rows.map(({ file, todo }) => todoExportEntry(file, todo)), null, 2)}\n`);
    return 0;
  }
  for (const { file, todo } of rows) {
    const where = `${file}:${todo.span.range.start.line + 1}:${todo.span.range.start.character + 1}`;
    const section = todo.sectionPath.length ? `  [${todo.sectionPath.join(' › ')}]` : '';
    const answer = todo.status === 'resolved' && todo.answer ? ` → ${todo.answer}` : '';
    io.stdout(`${where}: ${todo.status === 'open' ? 'open    ' : 'resolved'} ${todo.id} ${todo.tag}${todo.text ? ': ' + todo.text : ''}${answer}${section}\n`);
  }
  if (rows.length === 0) io.stdout(wanted ? `no ${wanted} TODOs\n` : 'no TODOs\n');
  return 0;
}

/** One entry of `lectern todos --json` (built by the core, shared with the TODO tree's export). */
export type TodoJson = TodoExportEntry;

export interface SectionJson {
  title: string;
  level: number;
  slug: string;
  path: string[];
  /** 1-based first line (the heading) and last line (inclusive). */
  line: number;
  endLine: number;
  demo: string | null;
  children: SectionJson[];
}

function sectionsCommand(args: Parsed, tags: string[] | undefined, io: CliIo): number {
  const [file] = requireFiles(args, 'sections', 1);
  const { text } = readNoteFile(file);
  const parse = parseNotes(text, { tags });
  const demos = demosOf(parse, text);
  const node = (section: Section): SectionJson => ({
    title: section.title,
    level: section.level,
    slug: section.slug,
    path: [...section.path],
    line: section.startLine + 1,
    endLine: Math.max(section.startLine + 1, section.endLine),
    demo: demos[section.index] ?? null,
    children: section.children.map((c) => node(parse.sections[c])),
  });
  const tree = parse.sections[0].children.map((c) => node(parse.sections[c]));
  if (args.flags.has('json')) {
    io.stdout(`${JSON.stringify(tree, null, 2)}\n`);
    return 0;
  }
  const print = (n: SectionJson, depth: number) => {
    io.stdout(`${'  '.repeat(depth)}${'#'.repeat(n.level)} ${n.title}  (lines ${n.line}-${n.endLine})${n.demo ? `  [demo: ${n.demo}]` : ''}\n`);
    for (const c of n.children) print(c, depth + 1);
  };
  for (const n of tree) print(n, 0);
  if (tree.length === 0) io.stdout('no headings\n');
  return 0;
}

function demosOf(parse: ParseResult, text: string): Array<string | undefined> {
  try {
    return demoIdsBySection(parse, text);
  } catch {
    return [];
  }
}

function checkCommand(args: Parsed, tags: string[] | undefined, io: CliIo): number {
  const files = requireFiles(args, 'check');
  const inputs = files.map((file) => ({ file, text: readNoteFile(file).text }));
  const macros = args.flags.get('macros');
  if (typeof macros === 'string') readNoteFile(macros);
  const report = checkNotes(inputs, {
    tags,
    macrosFile: typeof macros === 'string' ? macros : undefined,
    readFile: (file) => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  const out = formatFindings(report);
  io.stdout(args.flags.has('json') ? `${JSON.stringify(report.findings, null, 2)}\n` : out.stdout);
  if (out.stderr) io.stderr(out.stderr);
  return report.findings.length > 0 ? 1 : 0;
}

function exportCommand(args: Parsed, tags: string[] | undefined, io: CliIo): number {
  const [file] = requireFiles(args, 'export', 1);
  const out = args.flags.get('o') ?? args.flags.get('out');
  const result = exportNote(file, typeof out === 'string' ? out : undefined, tags);
  const errors = result.mathErrors ? `, ${result.mathErrors} with errors` : '';
  io.stdout(`Exported ${file} to ${result.out} (${result.formulas} formulas${errors})\n`);
  return 0;
}

function editCommand(command: 'resolve' | 'reopen', args: Parsed, tags: string[] | undefined, io: CliIo): number {
  const [file] = requireFiles(args, command, 1);
  const id = args.flags.get('id');
  if (typeof id !== 'string' || id === '') throw new CliError(`${command}: missing --id ID`);
  const answer = args.flags.get('answer');
  const notes = readNoteFile(file);
  if (!notes.lossless) throw new CliError(`${file}: not valid UTF-8; refusing to rewrite it`);
  const text = typeof answer === 'string' ? answer : '';
  // As in the editor: resolving a resolved TODO would replace its answer; only on explicit request.
  const onlyOpen = !args.flags.has('replace-answer');
  const result = command === 'resolve' ? resolveTodo(notes.text, id, text, { tags, onlyOpen }) : reopenTodo(notes.text, id, { tags });
  if (!result.ok && result.alreadyResolved) throw new CliRefusal(`${file}: TODO ${id} is already resolved; nothing changed (--replace-answer replaces its answer)`);
  if (!result.ok) throw new CliRefusal(`${file}: ${result.error}`);
  writeNoteFile(notes, applyEdit(notes.text, result.edit));
  const at = `${file}:${result.todo.span.range.start.line + 1}:${result.todo.span.range.start.character + 1}`;
  io.stdout(`${command === 'resolve' ? 'Resolved' : 'Reopened'} ${id} (${at})\n`);
  return 0;
}

/** The version from Lectern's package.json (dist/cli.js and out/src/cli both find it). */
function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
