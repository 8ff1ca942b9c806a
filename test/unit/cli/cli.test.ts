import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The CLI end to end: the compiled entry point (out/src/cli/main.js, what webpack bundles into
 * dist/cli.js) run as a child process on real files.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(repoRoot, 'out', 'src', 'cli', 'main.js');
const seed = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'seed.md'), 'utf8');

function run(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-cli-'));
  tempDirs.push(dir);
  return dir;
}

after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function write(dir: string, name: string, text: string, mode = 0o644): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
  return file;
}

test('todos --json: the documented shape, 1-based positions, section titles', () => {
  const dir = tempDir();
  const file = write(dir, 'notes.md', 'TODO: root\n\n# L9\n\n## CNNs\n\n- item (TODO: why?)\n- [x] done\n');
  const r = run(['todos', file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  assert.equal(rows.length, 3);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row).sort(), ['column', 'file', 'id', 'line', 'section', 'status', 'tag', 'text', ...(row.status === 'resolved' ? ['answer'] : [])].sort());
    assert.match(String(row.id), /^t-[0-9a-f]{8}$/);
  }
  assert.deepEqual(
    rows.map((r) => [r.file, r.line, r.column, r.tag, r.text, r.status, r.section, r.answer]),
    [
      [file, 1, 1, 'TODO', 'root', 'open', [], undefined],
      [file, 7, 9, 'TODO', 'why?', 'open', ['L9', 'CNNs'], undefined],
      [file, 8, 3, 'task', 'done', 'resolved', ['L9', 'CNNs'], ''],
    ],
  );
  assert.deepEqual(JSON.parse(run(['todos', file, '--json', '--open']).stdout).map((r: { status: string }) => r.status), ['open', 'open']);
  assert.deepEqual(JSON.parse(run(['todos', file, '--json', '--resolved']).stdout).map((r: { tag: string }) => r.tag), ['task']);
});

test('todos on the seed: nine TODOs at the documented lines, across several files', () => {
  const dir = tempDir();
  const a = write(dir, 'a.md', seed);
  const b = write(dir, 'b.md', 'FIXME: other file\n');
  const r = run(['todos', a, b, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<{ file: string; line: number }>;
  assert.deepEqual(rows.filter((x) => x.file === a).map((x) => x.line), [23, 78, 144, 174, 212, 233, 251, 252, 282]);
  assert.deepEqual(rows.filter((x) => x.file === b).map((x) => x.line), [1]);
  const text = run(['todos', a]);
  assert.equal(text.stdout.trim().split('\n').length, 9);
  assert.match(text.stdout, new RegExp(`^${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:23:1: open`, 'm'));
});

test('check: one file:line:col line per KaTeX error, exit 1; exit 0 when clean', () => {
  const dir = tempDir();
  const bad = write(dir, 'seed.md', seed);
  const r = run(['check', bad]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  // The message, then the formula around the error (shortened, on one line).
  assert.ok(lines[0].startsWith(`${bad}:162:82: Can't use function '$' in math mode  $$…`), lines[0]);
  assert.ok(lines[0].length < 220);
  const good = write(dir, 'good.md', 'Fine $x^2$ and\n\n$$\n\\frac{a}{b}\n$$\n');
  const ok = run(['check', good]);
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout, '');
});

test('check honours the nearest .lectern/macros.tex as the editor does, or --macros FILE', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'course', 'week1'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'course', '.lectern'));
  write(path.join(dir, 'course', '.lectern'), 'macros.tex', '\\newcommand{\\RR}{\\mathbb{R}}\n\\oops\n');
  const note = write(path.join(dir, 'course', 'week1'), 'n.md', 'Let $x \\in \\RR$ and $y \\in \\QQ$.\n');
  const r = run(['check', note, '--json']);
  assert.equal(r.code, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as Array<{ file: string; line: number; column: number; message: string; formula: string; code?: string }>;
  assert.deepEqual(
    findings.map((f) => [path.basename(f.file), f.line, f.column, f.formula, f.code]),
    [
      ['macros.tex', 2, 1, '', undefined],
      ['n.md', 1, 28, '$y \\in \\QQ$', 'undefined-macro'],
    ],
  );
  const preamble = write(dir, 'other.tex', '\\newcommand{\\QQ}{\\mathbb{Q}}\n');
  const withFlag = run(['check', note, '--macros', preamble]);
  assert.equal(withFlag.code, 1);
  assert.match(withFlag.stdout, /Undefined control sequence: \\RR/, '--macros replaces the folder preamble');
  assert.equal(run(['check', note, '--macros', path.join(dir, 'missing.tex')]).code, 2);
});

test('check: macros defined in a note hold for its later formulas; KaTeX warnings are summarised', () => {
  const dir = tempDir();
  const note = write(dir, 'n.md', '$$\\newcommand{\\char}{\\chi}\\def\\eps{\\varepsilon}$$\n\n$\\char_A + \\eps$ and $\\text{Brand™}$\n');
  const r = run(['check', note]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.trim().split('\n').length, 1, r.stdout);
  assert.match(r.stdout, /n\.md:1:15: \\char already exists/);
  assert.doesNotMatch(r.stderr, /No character metrics/);
  assert.match(r.stderr, /^lectern: note: KaTeX has no font metrics for 1 character\(s\) in formulas \(™\)/);
});

test('sections --json: the heading tree with 1-based lines and a demo field', () => {
  const dir = tempDir();
  const file = write(dir, 'n.md', '# Lecture 10\n\n## Dropout\n\ntext\n\n# Lecture 11\n');
  const r = run(['sections', file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const tree = JSON.parse(r.stdout);
  assert.equal(tree.length, 2);
  assert.deepEqual(
    [tree[0].title, tree[0].line, tree[0].endLine, tree[0].children[0].title, tree[0].children[0].path, tree[1].title, tree[1].line],
    ['Lecture 10', 1, 6, 'Dropout', ['Lecture 10', 'Dropout'], 'Lecture 11', 7],
  );
  assert.ok('demo' in tree[0].children[0]);
  assert.equal(tree[0].children[0].demo, 'dropout');
  assert.equal(tree[1].demo, null);
});

test('resolve and reopen edit the file in place atomically, keep its mode and leave no temp files', () => {
  const dir = tempDir();
  const original = '# T\r\n\r\nText (TODO: why?) here.\r\n';
  const file = write(dir, 'notes.md', original, 0o640);
  const [todo] = JSON.parse(run(['todos', file, '--json']).stdout) as Array<{ id: string }>;
  const r = run(['resolve', file, '--id', todo.id, '--answer', 'because\nit is $x$']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Resolved ${todo.id}`));
  const resolved = fs.readFileSync(file, 'utf8');
  assert.equal(resolved, '# T\r\n\r\nText (~~TODO~~: why? **Answer: because it is \\$x\\$**) here.\r\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  const rows = JSON.parse(run(['todos', file, '--json']).stdout);
  assert.deepEqual([rows[0].id, rows[0].status, rows[0].answer], [todo.id, 'resolved', 'because it is $x$']);
  const back = run(['reopen', file, `--id=${todo.id}`]);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(fs.readFileSync(file, 'utf8'), original);
  assert.deepEqual(fs.readdirSync(dir), ['notes.md'], 'no temp files left behind');
});

test('unknown id and reopening an open TODO: exit 1 with a clear message, file untouched', () => {
  const dir = tempDir();
  const file = write(dir, 'n.md', 'TODO: q\n');
  const r = run(['resolve', file, '--id', 't-00000000', '--answer', 'x']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `lectern: ${file}: No TODO with id t-00000000\n`);
  const [todo] = JSON.parse(run(['todos', file, '--json']).stdout);
  const reopen = run(['reopen', file, '--id', todo.id]);
  assert.equal(reopen.code, 1);
  assert.match(reopen.stderr, /is not resolved/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'TODO: q\n');
});

test('usage and I/O errors: one line on stderr, exit 2, never a stack trace', () => {
  const dir = tempDir();
  const file = write(dir, 'n.md', 'TODO: q\n');
  const unreadable = write(dir, 'secret.md', 'TODO: x\n', 0o000);
  const cases: Array<[string[], RegExp]> = [
    [['todos', path.join(dir, 'missing.md')], /missing\.md: no such file/],
    [['todos', dir], /is a directory/],
    [['todos', path.join(file, 'inside-a-file.md')], /not a directory/],
    [['check', file, dir], /is a directory/],
    [['todos', file, '--bogus'], /unknown option --bogus/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--wat'], /unknown option --wat/],
    [['todos'], /missing FILE/],
    [['todos', file, '--open', '--resolved'], /exclude each other/],
    [['resolve', file], /missing --id/],
    [['resolve', file, '--id'], /needs a value/],
    [['sections', file, file], /expected 1 FILE/],
    [['todos', file, '--tags', 'lower'], /not an uppercase word/],
  ];
  // Root can read anything: only check the unreadable file when permissions apply.
  if (process.getuid?.() !== 0) cases.push([['todos', unreadable], /permission denied/]);
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(r.stderr.startsWith('lectern: '));
  }
});

test('a file that is not valid UTF-8 is listed but never rewritten', () => {
  const dir = tempDir();
  const file = path.join(dir, 'latin1.md');
  const bytes = Buffer.concat([Buffer.from('TODO: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
  fs.writeFileSync(file, bytes);
  const [todo] = JSON.parse(run(['todos', file, '--json']).stdout);
  const r = run(['resolve', file, '--id', todo.id, '--answer', 'x']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not valid UTF-8/);
  assert.ok(fs.readFileSync(file).equals(bytes));
});

test('--help and --version', () => {
  const help = run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /lectern todos FILE|todos FILE\.\.\./);
  const version = run(['--version']);
  assert.equal(version.code, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(version.stdout.trim(), pkg.version);
  const none = run([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: lectern/);
});
