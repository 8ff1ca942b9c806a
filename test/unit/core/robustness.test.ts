import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMath, parseNotes } from '../../../src/core';
import type { ParseResult } from '../../../src/core';
import { prng } from './support';

/** What must hold for any input: spans inside the text, ordered, consistent with their ranges. */
function assertWellFormed(text: string, parse: ParseResult, where: string): void {
  assert.equal(parse.failure, undefined, `${where}: the parser failed internally`);
  assert.ok(parse.sections.length >= 1 && parse.sections[0].level === 0, `${where}: root section`);
  const lines = text.split(/\r\n|\r|\n/);
  assert.equal(parse.lineCount, lines.length, `${where}: line count`);
  for (const item of [...parse.todos, ...parse.math]) {
    const { startOffset, endOffset, range } = item.span;
    assert.ok(0 <= startOffset && startOffset <= endOffset && endOffset <= text.length, `${where}: span inside the text`);
    assert.ok(range.start.line < parse.lineCount && range.end.line < parse.lineCount, `${where}: range inside the text`);
  }
  for (const todo of parse.todos) {
    const source = text.slice(todo.span.startOffset, todo.span.endOffset);
    assert.ok(source.startsWith(todo.tag) || source.startsWith('~~') || source.startsWith('['), `${where}: TODO span holds its tag: ${JSON.stringify(source)}`);
  }
}

test('random bytes and random Markdown-ish text never throw and give well-formed results', () => {
  const rand = prng(20261127);
  const alphabets = [
    (r: () => number) => String.fromCharCode(Math.floor(r() * 256)),
    (r: () => number) => '$`*_[]()<>!\\#-+>|~ \n\r\tTODO:FIXME x{}^'[Math.floor(r() * 38)],
    (r: () => number) => String.fromCharCode(Math.floor(r() * 0xffff)),
  ];
  for (let i = 0; i < 300; i++) {
    const next = alphabets[i % alphabets.length];
    const length = Math.floor(rand() * 2000);
    let text = '';
    for (let k = 0; k < length; k++) text += next(rand);
    const parse = parseNotes(text);
    assertWellFormed(text, parse, `input ${i}`);
    checkMath({ text, parse });
  }
});

test('pathological inputs: deep nesting, unterminated constructs, BOM, NUL, huge lines', () => {
  const inputs: Array<[string, string]> = [
    ['10,000 nested quotes', '>'.repeat(10_000) + ' TODO: deep'],
    ['10,000 nested lists', Array.from({ length: 10_000 }, (_, i) => ' '.repeat(i) + '- x').join('\n')],
    ['unterminated fence', '```\n' + 'TODO: in code\n'.repeat(1000)],
    ['unterminated math', '$$\n' + 'x +\n'.repeat(1000)],
    ['unterminated comment', '<!--\n' + 'TODO: x\n\n'.repeat(100)],
    ['dollars', '$'.repeat(20_000)],
    ['brackets', '['.repeat(20_000) + 'TODO' + ']'.repeat(20_000)],
    ['BOM + front matter', '\uFEFF---\na: 1\n---\n# T\nTODO: x'],
    ['NUL bytes', 'a\u0000TODO: x\u0000\n$\u0000$'],
    ['lone CR', 'a\rTODO: x\rb'],
    ['only newlines', '\n'.repeat(1000)],
    ['empty', ''],
    ['surrogates', '\uD800TODO: x \uDFFF $\uD83D$'],
  ];
  for (const [name, text] of inputs) {
    const parse = parseNotes(text);
    assertWellFormed(text, parse, name);
  }
  assert.equal(parseNotes('\uFEFF---\na: 1\n---\n# T\nTODO: x').todos[0].span.range.start.line, 4);
  assert.equal(parseNotes('a\rTODO: x\rb').todos[0].span.range.start.line, 1);
});

test('a 10 MB file parses (no stack overflow, no quadratic blow-up that would time out)', () => {
  const prose = 'The gradient of the loss with respect to each weight is accumulated over the mini-batch before the update. '.repeat(8);
  const unit = `# Section\n\n${prose}TODO: question here with $x^2$.\n${prose}\n\n- item (TODO) and \`code\` ${prose}\n> quote $$y$$\n\n`;
  const text = unit.repeat(Math.ceil(10_000_000 / unit.length));
  const parse = parseNotes(text);
  const copies = Math.ceil(10_000_000 / unit.length);
  assert.equal(parse.todos.length, 2 * copies);
  assert.equal(parse.math.length, 2 * copies);
  assert.equal(parse.sections.length, copies + 1);
});

test('parseNotes tolerates a non-string argument from untyped callers', () => {
  assert.equal(parseNotes(undefined as unknown as string).todos.length, 0);
  assert.equal(parseNotes(42 as unknown as string).lineCount, 1);
});

test('an internal parser failure is surfaced: in `failure`, or thrown with `strict`', () => {
  // A tag that cannot become part of a pattern (only an untyped host could pass it) makes the
  // parser itself throw: the result is the empty fallback, and it says why.
  const tags = [Symbol('not a tag') as unknown as string];
  const parsed = parseNotes('# A\n\nTODO: x\n', { tags });
  assert.match(parsed.failure ?? '', /Symbol/);
  assert.equal(parsed.todos.length, 0);
  assert.equal(parsed.sections.length, 1);
  assert.equal(parsed.lineCount, 4);
  assert.throws(() => parseNotes('# A\n\nTODO: x\n', { tags, strict: true }), TypeError);
  // A normal parse has no `failure` key at all, so results compare equal as before.
  assert.equal('failure' in parseNotes('# A\n\nTODO: x\n'), false);
});
