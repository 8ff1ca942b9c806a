import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdit, checkMath, parseNotes, reopenTodo, resolveTodo } from '../core';
import type { ParseResult, Section, Todo } from '../core';
import { demoIdsBySection } from '../core/demos/mapping';
import { todoExportEntry } from '../core/todoExport';
import type { TodoExportEntry } from '../core/todoExport';

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

/** A usage or I/O problem: printed as one line, exit code 2. */
class CliError extends Error {}

/** A refusal with a clear reason (unknown id…): printed as one line, exit code 1. */
class CliRefusal extends Error {}

const USAGE = `Usage: lectern <command> [options]

Commands:
  todos FILE... [--json] [--open | --resolved]   list the TODOs of lecture notes
  sections FILE [--json]                          show the heading tree (with each section's demo)
  check FILE...                                   check every formula with KaTeX (exit 1 on errors)
  resolve FILE --id ID [--answer TEXT]            mark a TODO resolved, writing the answer next to it
  reopen FILE --id ID                             undo a resolve, restoring the original text

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
  check: { booleans: [], values: ['tags'] },
  resolve: { booleans: [], values: ['id', 'answer', 'tags'] },
  reopen: { booleans: [], values: ['id', 'tags'] },
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

export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    return dispatch(argv, io);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
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
  const texts = files.map((f) => readNotes(f).text);
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
  const { text } = readNotes(file);
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
  const texts = files.map((f) => readNotes(f).text);
  let count = 0;
  files.forEach((file, i) => {
    for (const error of checkMath(texts[i], { tags })) {
      count++;
      io.stdout(`${file}:${error.range.start.line + 1}:${error.range.start.character + 1}: ${oneLine(error.message)}\n`);
    }
  });
  return count > 0 ? 1 : 0;
}

function editCommand(command: 'resolve' | 'reopen', args: Parsed, tags: string[] | undefined, io: CliIo): number {
  const [file] = requireFiles(args, command, 1);
  const id = args.flags.get('id');
  if (typeof id !== 'string' || id === '') throw new CliError(`${command}: missing --id ID`);
  const answer = args.flags.get('answer');
  const notes = readNotes(file);
  if (!notes.lossless) throw new CliError(`${file}: not valid UTF-8; refusing to rewrite it`);
  const result =
    command === 'resolve'
      ? resolveTodo(notes.text, id, typeof answer === 'string' ? answer : '', { tags })
      : reopenTodo(notes.text, id, { tags });
  if (!result.ok) throw new CliRefusal(`${file}: ${result.error}`);
  writeFileAtomic(file, applyEdit(notes.text, result.edit));
  const at = `${file}:${result.todo.span.range.start.line + 1}:${result.todo.span.range.start.character + 1}`;
  io.stdout(`${command === 'resolve' ? 'Resolved' : 'Reopened'} ${id} (${at})\n`);
  return 0;
}

/** Reads a notes file; `lossless` is false when the bytes are not valid UTF-8 (then never rewritten). */
function readNotes(file: string): { text: string; lossless: boolean } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new CliError(`${file}: ${ioReason(e)}`);
  }
  if (stat.isDirectory()) throw new CliError(`${file}: is a directory`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new CliError(`${file}: ${ioReason(e)}`);
  }
  const text = bytes.toString('utf8');
  return { text, lossless: Buffer.from(text, 'utf8').equals(bytes) };
}

/** Temp file in the same directory (same file system), same mode, then rename over the original. */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  const mode = fs.statSync(file).mode & 0o7777;
  const temp = path.join(dir, `.${path.basename(file)}.lectern-${process.pid}-${Date.now().toString(36)}.tmp`);
  try {
    fs.writeFileSync(temp, text, { encoding: 'utf8', mode, flag: 'wx' });
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, file);
  } catch (e) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // the temp file was never created
    }
    throw new CliError(`${file}: cannot write: ${ioReason(e)}`);
  }
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    default:
      return oneLine(e instanceof Error ? e.message : String(e));
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The version from the nearest package.json named `lectern` (dist/cli.js and out/src/cli both work). */
function readVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lectern' && pkg.version) return pkg.version;
    } catch {
      // keep looking upwards
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
