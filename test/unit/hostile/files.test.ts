/**
 * Hostile files: a 32 MB note, binary junk renamed `.md`, invalid UTF-8, a BOM, CRLF, mixed and
 * bare-CR line ends, NUL bytes, deep nesting, a TODO on the last line without a newline.
 * Files are built here (nothing large is committed) and read the way the CLI reads them: bytes
 * from disk → `Buffer.toString('utf8')`.
 *
 * Decisions tested here:
 *  - Positions index the string given to `parseNotes`. A BOM, when the caller keeps it (the CLI
 *    reads raw bytes; VS Code strips it), is character 0 of line 0: a TODO right after it is at
 *    character 1, and slicing the text at the reported offsets gives exactly the TODO. The BOM
 *    never hides a first-line heading.
 *  - `\r\n`, `\r` and `\n` each end a line (as in VS Code), so a note reports the same TODO
 *    lines, columns and texts whatever its line ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdit, checkMath, parseNotes, reopenTodo, resolveTodo } from '../../../src/core';
import type { ParseResult } from '../../../src/core';
import { assertWellFormed, int, prng, realNotes } from './support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-hostile-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes bytes to a `.md` file and reads them back as the CLI does. */
function throughDisk(name: string, bytes: Uint8Array | string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return fs.readFileSync(file).toString('utf8');
}

const summary = (r: ParseResult) => r.todos.map((t) => ({ text: t.text, line: t.span.range.start.line, character: t.span.range.start.character, status: t.status }));

/** Resolve → parse → reopen for every open TODO; returns the texts after each resolve. */
function roundTripAll(text: string, parsed: ParseResult = parseNotes(text)): string[] {
  const resolvedTexts: string[] = [];
  for (const todo of parsed.todos.filter((t) => t.status === 'open')) {
    const r = resolveTodo(text, todo.id, 'an answer');
    assert.ok(r.ok, `resolve ${todo.id} (${JSON.stringify(todo.text)}): ${r.ok ? '' : r.error}`);
    const after = applyEdit(text, r.edit);
    const again = parseNotes(after).todos.find((t) => t.id === todo.id);
    assert.equal(again?.status, 'resolved');
    assert.equal(again?.answer, 'an answer');
    const back = reopenTodo(after, todo.id);
    assert.ok(back.ok, `reopen ${todo.id}: ${back.ok ? '' : back.error}`);
    assert.equal(applyEdit(after, back.edit), text, 'resolve → reopen is byte-identical');
    resolvedTexts.push(after);
  }
  return resolvedTexts;
}

function wellFormedNote(): string {
  const notes = realNotes();
  return (notes.find((n) => n.name.startsWith('notes')) ?? notes[0]).text;
}

test('a 32 MB note parses, well-formed, with every copy’s TODOs and math found', () => {
  // Front matter only counts at the top of a file: repeat the note without it.
  const note = wellFormedNote();
  const one = note.split('\n').slice(parseNotes(note).contentStartLine).join('\n').replace(/\s+$/, '') + '\n\n';
  const copies = Math.ceil(32_000_000 / Buffer.byteLength(one));
  const text = throughDisk('big.md', one.repeat(copies));
  assert.ok(Buffer.byteLength(text) >= 32_000_000);
  const single = parseNotes(one);
  const big = parseNotes(text);
  assertWellFormed(text, big);
  assert.ok(single.todos.length > 0 && single.math.length > 0, 'the repeated note has TODOs and math');
  assert.equal(big.todos.length, copies * single.todos.length);
  assert.equal(big.math.length, copies * single.math.length);
  assert.equal(big.sections.length, copies * (single.sections.length - 1) + 1);
  // Last copy's TODOs sit where they sit in the single note, shifted by whole copies.
  const linesPerCopy = single.lineCount - 1;
  const last = big.todos.slice(-single.todos.length).map((t) => t.span.range.start.line - (copies - 1) * linesPerCopy);
  assert.deepEqual(last, single.todos.map((t) => t.span.range.start.line));
});

test('binary junk renamed .md: no throw, well-formed, the TODO after the junk is found', () => {
  const rand = prng(0xb1a7);
  const junk = new Uint8Array(64 * 1024);
  for (let i = 0; i < junk.length; i++) junk[i] = rand() < 0.05 ? 0 : int(rand, 0, 256);
  const bytes = Buffer.concat([junk, Buffer.from('\n\n\nTODO: found after the junk\n')]);
  const text = throughDisk('binary.md', bytes);
  assert.ok(text.includes('\u0000') && text.includes('\uFFFD'), 'junk holds NULs and invalid sequences');
  const parsed = parseNotes(text);
  assertWellFormed(text, parsed);
  assert.ok(parsed.todos.some((t) => t.text === 'found after the junk'), JSON.stringify(summary(parsed).slice(-3)));
  assert.doesNotThrow(() => checkMath(text));
});

test('invalid UTF-8 becomes U+FFFD and shifts nothing', () => {
  const bad = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0xff, 0xfe, 0xed, 0xa0, 0x80]);
  const text = throughDisk('invalid-utf8.md', Buffer.concat([Buffer.from('# Bad '), bad, Buffer.from(' bytes\n\nSee $x$ here ('), bad, Buffer.from(' TODO: after bad bytes)\n')]));
  const parsed = parseNotes(text);
  assertWellFormed(text, parsed);
  assert.equal(parsed.sections.length, 2, 'the heading survives');
  assert.equal(parsed.todos.length, 1);
  assert.equal(text.slice(parsed.todos[0].span.startOffset, parsed.todos[0].span.startOffset + 4), 'TODO');
  assert.equal(parsed.todos[0].text, 'after bad bytes');
  assert.equal(parsed.math.length, 1);
  roundTripAll(text, parsed);
});

test('a BOM is character 0 of line 0: it neither hides the first heading nor shifts later columns', () => {
  const plain = '# Title\n\nTODO: first\nText $a+b$ (TODO: second)\n';
  const withBom = throughDisk('bom.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plain)]));
  assert.equal(withBom.charCodeAt(0), 0xfeff, 'Buffer.toString keeps the BOM');
  const a = parseNotes(plain);
  const b = parseNotes(withBom);
  assertWellFormed(withBom, b);
  assert.deepEqual(b.sections.map((s) => s.title), a.sections.map((s) => s.title));
  assert.deepEqual(summary(b), summary(a), 'TODOs below line 0 keep their columns');
  assert.deepEqual(b.todos.map((t) => t.id), a.todos.map((t) => t.id), 'ids do not depend on the BOM');

  const firstLine = '\uFEFFTODO: on the first line';
  const t = parseNotes(firstLine).todos;
  assert.equal(t.length, 1);
  assert.deepEqual({ ...t[0].span.range.start }, { line: 0, character: 1 });
  assert.equal(firstLine.slice(t[0].span.startOffset, t[0].span.endOffset), 'TODO: on the first line');
  roundTripAll(firstLine);
});

test('CRLF notes: same TODOs, sections and math as LF; resolve keeps CRLF', () => {
  const lf = wellFormedNote().replace(/\r\n?/g, '\n');
  const crlf = throughDisk('crlf.md', lf.replace(/\n/g, '\r\n'));
  const a = parseNotes(lf);
  const b = parseNotes(crlf);
  assertWellFormed(crlf, b);
  assert.deepEqual(summary(b), summary(a));
  assert.deepEqual(b.sections.map((s) => [s.title, s.startLine, s.endLine]), a.sections.map((s) => [s.title, s.startLine, s.endLine]));
  assert.deepEqual(b.math.map((m) => [m.content.replace(/\r\n/g, '\n'), m.span.range.start, m.span.range.end]), a.math.map((m) => [m.content, m.span.range.start, m.span.range.end]));
  for (const after of roundTripAll(crlf, b)) assert.equal((after.match(/(?<!\r)\n/g) ?? []).length, 0, 'no bare LF after a resolve');
});

test('mixed and bare-CR line ends count as lines, as in VS Code', () => {
  const lines = wellFormedNote().replace(/\r\n?/g, '\n').split('\n');
  const rand = prng(0x3e01);
  const ends = ['\n', '\r\n', '\r'];
  let mixed = '';
  lines.forEach((line, i) => {
    if (i === lines.length - 1) return void (mixed += line);
    const end = ends[int(rand, 0, 3)];
    // A bare CR before an empty line ended by LF would read as one CRLF: keep the line count.
    mixed += line + (end === '\r' && lines[i + 1] === '' ? '\r\n' : end);
  });
  const text = throughDisk('mixed.md', mixed);
  const a = parseNotes(lines.join('\n'));
  const b = parseNotes(text);
  assertWellFormed(text, b);
  assert.equal(b.lineCount, a.lineCount);
  assert.deepEqual(summary(b), summary(a));
  assert.deepEqual(b.sections.map((s) => [s.title, s.startLine]), a.sections.map((s) => [s.title, s.startLine]));
  roundTripAll(text, b);
});

test('NUL bytes on other lines: no throw, TODOs found at their place', () => {
  const text = throughDisk('nul.md', 'a\u0000b\u0000\n\n# H\u0000\n\nTODO: after NULs\n\n$x\u0000y$\n');
  const parsed = parseNotes(text);
  assertWellFormed(text, parsed);
  assert.deepEqual(summary(parsed), [{ text: 'after NULs', line: 4, character: 0, status: 'open' }]);
  roundTripAll(text, parsed);
});

test('a NUL earlier on the same line does not move the TODO', () => {
  const text = 'a\u0000b TODO: x\n';
  const parsed = parseNotes(text);
  assert.equal(parsed.todos.length, 1);
  assert.equal(text.slice(parsed.todos[0].span.startOffset, parsed.todos[0].span.endOffset), 'TODO: x');
});

test('a TODO on the last line without a newline is found and round-trips', () => {
  for (const [text, expected] of [
    ['# T\n\nTODO: last line', 'last line'],
    ['# T\r\n\r\nSome text (TODO: in parens)', 'in parens'],
    ['para\n\n- [ ] a task at the end', 'a task at the end'],
    ['Detailed Algorithm TODO', ''],
  ] as const) {
    const file = throughDisk('last-line.md', text);
    const parsed = parseNotes(file);
    assertWellFormed(file, parsed);
    assert.equal(parsed.todos.length, 1, JSON.stringify(text));
    assert.equal(parsed.todos[0].text, expected);
    assert.equal(parsed.todos[0].span.range.start.line, parsed.lineCount - 1);
    for (const after of roundTripAll(file, parsed)) assert.ok(!/[\r\n]$/.test(after), 'no newline added at the end');
  }
});

test('empty, blank and BOM-only files', () => {
  for (const text of ['', '\n', '\r\n\r\n', '   \t  ', '\uFEFF', '\uFEFF\n']) {
    const parsed = parseNotes(text);
    assertWellFormed(text, parsed);
    assert.equal(parsed.todos.length, 0);
    assert.equal(parsed.sections.length, 1);
  }
});

test('one 2 MB line, 10 000-deep quotes and lists, 50 000 headings: no throw, well-formed', () => {
  const cases: Array<[string, string, (r: ParseResult) => void]> = [
    ['2 MB line', 'x '.repeat(1_000_000) + 'TODO: at the far end', (r) => assert.equal(r.todos.at(-1)?.text, 'at the far end')],
    ['10 000-deep blockquote', '> '.repeat(10_000) + 'TODO: deep\n', () => undefined],
    ['10 000-deep list', Array.from({ length: 10_000 }, (_, i) => ' '.repeat(i * 2) + '- item').join('\n') + '\n', () => undefined],
    ['50 000 headings', Array.from({ length: 50_000 }, (_, i) => `${'#'.repeat((i % 6) + 1)} H${i}\n`).join(''), (r) => assert.equal(r.sections.length, 50_001)],
    ['unterminated fence then TODO', '```\ncode\n\nTODO: inside the fence to the end\n', (r) => assert.equal(r.todos.length, 0)],
    ['unterminated display math then TODO', 'a\n\n$$\nx\n\nTODO: inside math to the end\n', (r) => assert.equal(r.todos.length, 0)],
  ];
  for (const [name, text, check] of cases) {
    const parsed = parseNotes(text);
    assert.doesNotThrow(() => assertWellFormed(text, parsed), name);
    check(parsed);
  }
});
