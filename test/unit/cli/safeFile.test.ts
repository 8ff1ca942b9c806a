import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readNoteFile, writeNoteFile } from '../../../src/cli/safeFile';
import { CliRefusal } from '../../../src/cli/errors';
import { NotesRenderer } from '../../../src/core/render/renderNotes';
import { EXPORT_ASSETS_FOLDER, standaloneHtml } from '../../../src/core/render/htmlPage';
import { PARSE_WINDOW_CHARS } from '../../../src/core/parse';

/**
 * Issue #11's data-safety cases for the CLI, each on real files: non-regular files, an already
 * resolved TODO, symlinks, hard links, mode and owner, read-only notes, a change between read and
 * write, control characters in terminal output, KaTeX warnings, and `lectern export`.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(repoRoot, 'out', 'src', 'cli', 'main.js');
const isRoot = process.getuid?.() === 0;

function run(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-safe-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const NOTE = '# L1\n\nTODO: open question\n\n~~TODO~~: done question **Answer: my long careful answer**\n';

function noteIn(dir: string, name = 'notes.md', text = NOTE, mode = 0o644): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

function idOf(file: string, status: 'open' | 'resolved'): string {
  const rows = JSON.parse(run(['todos', file, '--json']).stdout) as Array<{ id: string; status: string }>;
  return rows.find((r) => r.status === status)!.id;
}

function assertOneLineError(r: ReturnType<typeof run>, code: number, pattern: RegExp): void {
  assert.equal(r.signal, null, 'finished on its own');
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
}

test('a FIFO is refused at once by every command, exit 2, one line', { skip: process.platform === 'win32' }, () => {
  const dir = tempDir();
  const fifo = path.join(dir, 'fifo.md');
  spawnSync('mkfifo', [fifo]);
  assert.ok(fs.statSync(fifo).isFIFO());
  for (const args of [['todos', fifo], ['sections', fifo], ['check', fifo], ['export', fifo, '-o', path.join(dir, 'x.html')], ['resolve', fifo, '--id', 't-00000000']]) {
    assertOneLineError(run(args), 2, /is a FIFO, not a regular file/);
  }
});

test('devices and directories are refused, exit 2', { skip: !fs.existsSync('/dev/zero') }, () => {
  assertOneLineError(run(['todos', '/dev/zero']), 2, /\/dev\/zero: is a character device, not a regular file/);
  assertOneLineError(run(['check', '/dev/null']), 2, /character device/);
  assertOneLineError(run(['todos', tempDir()]), 2, /is a directory/);
});

test('resolving an already resolved TODO is refused (exit 1, file untouched); --replace-answer replaces it', () => {
  const dir = tempDir();
  const file = noteIn(dir);
  const id = idOf(file, 'resolved');
  for (const args of [['resolve', file, '--id', id], ['resolve', file, '--id', id, '--answer', 'x']]) {
    assertOneLineError(run(args), 1, /already resolved; nothing changed \(--replace-answer/);
    assert.equal(fs.readFileSync(file, 'utf8'), NOTE);
  }
  const r = run(['resolve', file, '--id', id, '--answer', 'shorter', '--replace-answer']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(fs.readFileSync(file, 'utf8'), /~~TODO~~: done question \*\*Answer: shorter\*\*/);
});

test('a symlinked note: the target is written, the link stays a link', () => {
  const dir = tempDir();
  const target = noteIn(dir, 'real.md');
  const link = path.join(dir, 'link.md');
  fs.symlinkSync('real.md', link);
  const r = run(['resolve', link, '--id', idOf(link, 'open'), '--answer', 'yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readlinkSync(link), 'real.md');
  assert.match(fs.readFileSync(target, 'utf8'), /~~TODO~~: open question \*\*Answer: yes\*\*/);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['link.md', 'real.md']);
});

test('a hard-linked note keeps its identity: both names see the new text', () => {
  const dir = tempDir();
  const a = noteIn(dir, 'a.md');
  const b = path.join(dir, 'b.md');
  fs.linkSync(a, b);
  const inode = fs.statSync(a).ino;
  const r = run(['resolve', a, '--id', idOf(a, 'open'), '--answer', 'linked']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.statSync(a).ino, inode);
  assert.equal(fs.statSync(b).ino, inode);
  assert.match(fs.readFileSync(b, 'utf8'), /\*\*Answer: linked\*\*/);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['a.md', 'b.md']);
});

test('mode is kept; a read-only note is refused (also as root) and left untouched', () => {
  const dir = tempDir();
  const file = noteIn(dir, 'notes.md', NOTE, 0o640);
  assert.equal(run(['resolve', file, '--id', idOf(file, 'open')]).code, 0);
  assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  const readOnly = noteIn(dir, 'ro.md', NOTE, 0o444);
  assertOneLineError(run(['resolve', readOnly, '--id', idOf(readOnly, 'open')]), 2, /read-only \(mode 0444\)/);
  assert.equal(fs.readFileSync(readOnly, 'utf8'), NOTE);
  assert.equal(fs.statSync(readOnly).mode & 0o777, 0o444);
});

test('the owner of a note is kept', { skip: !isRoot && 'needs root to give a file another owner' }, () => {
  const dir = tempDir();
  const file = noteIn(dir);
  fs.chownSync(file, 4321, 4321);
  const r = run(['resolve', file, '--id', idOf(file, 'open'), '--answer', 'owned']);
  assert.equal(r.code, 0, r.stderr);
  const stat = fs.statSync(file);
  assert.deepEqual([stat.uid, stat.gid], [4321, 4321]);
  assert.match(fs.readFileSync(file, 'utf8'), /Answer: owned/);
});

test('a change between read and write is refused, the other writer\'s text kept (size, mtime, content)', () => {
  const dir = tempDir();
  const file = noteIn(dir);
  // Appended line: size differs.
  let read = readNoteFile(file);
  fs.appendFileSync(file, 'a line written meanwhile\n');
  assert.throws(() => writeNoteFile(read, 'replaced\n'), (e) => e instanceof CliRefusal && /changed on disk since it was read/.test(e.message));
  assert.match(fs.readFileSync(file, 'utf8'), /a line written meanwhile/);
  // Same size, same mtime (restored), different content: only the content check can see it.
  // (Whole seconds, which utimes restores exactly.)
  fs.utimesSync(file, 1_700_000_000, 1_700_000_000);
  read = readNoteFile(file);
  const same = read.text.replace('open question', 'OPEN question');
  fs.writeFileSync(file, same);
  fs.utimesSync(file, 1_700_000_000, 1_700_000_000);
  assert.equal(fs.statSync(file).mtimeMs, read.mtimeMs);
  assert.throws(() => writeNoteFile(read, 'replaced\n'), CliRefusal);
  assert.equal(fs.readFileSync(file, 'utf8'), same);
  // Unchanged: written.
  read = readNoteFile(file);
  writeNoteFile(read, 'replaced\n');
  assert.equal(fs.readFileSync(file, 'utf8'), 'replaced\n');
  assert.deepEqual(fs.readdirSync(dir), ['notes.md']);
});

test('control characters from a note never reach the terminal raw', () => {
  const dir = tempDir();
  const hostile = '# Title \u001b[2J\u009b31m\u202e\n\nTODO: steal \u001b]52;c;aGVsbG8=\u0007 clip\r\n\n- [ ] task \u001b[8m hidden\n';
  const file = noteIn(dir, 'evil.md', hostile);
  // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
  const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202E]/;
  for (const args of [['todos', file], ['todos', file, '--json'], ['sections', file], ['sections', file, '--json']]) {
    const r = run(args);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW, args.join(' '));
    assert.match(r.stdout, /\\u001b/, `${args.join(' ')} shows the escape`);
    if (args.includes('--json')) JSON.parse(r.stdout);
  }
  const missing = run(['todos', path.join(dir, 'no\u001b[2Jsuch.md')]);
  assert.doesNotMatch(missing.stderr, RAW);
});

test('export of a long note (parsed and rendered in windows, written as rendered) is the page of the whole note', () => {
  const dir = tempDir();
  const block = (i: number) => `## Part ${i}\n\nTODO: why $x_{${i}}$?\n\n$$\\frac{a}{${i}}$$\n\n- [ ] task ${i}\n\n<!-- a comment\n\nover blocks -->\n\n`;
  const text = Array.from({ length: 2_500 }, (_, i) => block(i)).join('');
  assert.ok(text.length > 2 * PARSE_WINDOW_CHARS, `${text.length} characters: not long enough to be windowed`);
  const file = noteIn(dir, 'long.md', text);
  const out = path.join(dir, 'long.html');
  const r = run(['export', file, '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  const whole = new NotesRenderer({ windowChars: Number.POSITIVE_INFINITY }).render(text, { interactive: false });
  assert.equal(fs.readFileSync(out, 'utf8'), standaloneHtml('long', whole.html));
});

test('KaTeX warnings are never printed raw: check exits 0 with at most one summary line', () => {
  const dir = tempDir();
  const file = noteIn(dir, 'warn.md', 'Emoji in text: $\\text{\u{1F600}\u0F00}$\n');
  const r = run(['check', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /No character metrics/);
  assert.match(r.stderr, /^(lectern: note: [^\n]*\n)?$/);
});

test('export writes the same standalone page as the editor, with its assets; never over the note', () => {
  const dir = tempDir();
  const text = '# Lecture\n\nTODO: why $x^2$?\n\n$$\\frac{a}{b}$$\n\n![fig](img/fig.png)\n';
  const file = noteIn(dir, 'lecture.md', text);
  const out = path.join(dir, 'site', 'page.html');
  const r = run(['export', file, '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Exported .* \(2 formulas\)/);
  const rendered = new NotesRenderer().render(text, {
    interactive: false,
    resolveImageSrc: (src) => (src === 'img/fig.png' ? '../img/fig.png' : undefined),
  });
  assert.equal(fs.readFileSync(out, 'utf8'), standaloneHtml('lecture', rendered.html));
  for (const asset of ['katex.min.css', 'preview.css']) assert.ok(fs.existsSync(path.join(dir, 'site', EXPORT_ASSETS_FOLDER, asset)), asset);
  assert.ok(fs.readdirSync(path.join(dir, 'site', EXPORT_ASSETS_FOLDER, 'fonts')).some((f) => f.endsWith('.woff2')));
  // Default output: beside the note.
  assert.equal(run(['export', file]).code, 0);
  assert.ok(fs.existsSync(path.join(dir, 'lecture.html')));
  assertOneLineError(run(['export', file, '-o', file]), 2, /would overwrite the note/);
  assert.equal(fs.readFileSync(file, 'utf8'), text);
});
