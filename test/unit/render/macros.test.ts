import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BraceMatcher, MAX_MACROS, macrosKey, mergeMacros, parseMacroPreamble, sanitizeMacroObject } from '../../../src/core/render/macros';
import { renderFormula } from '../../../src/core/render/mathCache';

test('parses the \\newcommand family, \\DeclareMathOperator and \\def', () => {
  const { macros, problems } = parseMacroPreamble(
    [
      '% Lectern preamble',
      '\\newcommand{\\R}{\\mathbb{R}}',
      '\\newcommand\\E{\\mathbb{E}} % expectation',
      '\\renewcommand{\\vec}[1]{\\mathbf{#1}}',
      '\\newcommand{\\norm}[1]{\\left\\lVert #1 \\right\\rVert}',
      '\\providecommand{\\R}{\\mathcal{R}}',
      '\\DeclareMathOperator{\\argmax}{arg\\,max}',
      '\\DeclareMathOperator*{\\argmin}{arg\\,min}',
      '\\def\\T{^{\\top}}',
      '\\newcommand{\\pair}[2]{\\langle #1, #2 \\rangle}',
      '\\newcommand{\\set}[2][x]{\\{#1 \\mid #2\\}}',
      '\\newcommand{\\multi}{a',
      '  + b}',
      '\\newcommand{\\pct}{50\\%}',
    ].join('\n'),
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(macros, {
    '\\R': '\\mathbb{R}',
    '\\E': '\\mathbb{E}',
    '\\vec': '\\mathbf{#1}',
    '\\norm': '\\left\\lVert #1 \\right\\rVert',
    '\\argmax': '\\operatorname{arg\\,max}',
    '\\argmin': '\\operatorname*{arg\\,min}',
    '\\T': '^{\\top}',
    '\\pair': '\\langle #1, #2 \\rangle',
    '\\set': '\\{x \\mid #1\\}',
    '\\multi': 'a\n  + b',
    '\\pct': '50\\%',
  });
});

test('parsed macros work in KaTeX', () => {
  const { macros } = parseMacroPreamble('\\newcommand{\\R}{\\mathbb{R}}\n\\newcommand{\\norm}[1]{\\lVert #1\\rVert}\n\\DeclareMathOperator*{\\argmin}{arg\\,min}');
  const result = renderFormula('\\argmin_{x \\in \\R^n} \\norm{Ax - b}', true, macros);
  assert.equal(result.error, undefined);
  assert.match(result.html, /mathbb/);
});

test('bad lines are reported with their line and skipped, never thrown', () => {
  const { macros, problems } = parseMacroPreamble(
    ['\\newcommand{\\ok}{1}', 'garbage line', '\\newcommand{\\bad}{unbalanced', '\\usepackage{amsmath}', '\\newcommand{notacs}{x}', '\\newcommand{\\args}[1]{#2}', '\\newcommand{\\later}{2}'].join('\n'),
  );
  assert.equal(macros['\\ok'], '1');
  assert.equal(macros['\\bad'], undefined);
  assert.deepEqual(
    problems.map((p) => p.line),
    [1, 2, 3, 4, 5],
  );
  assert.match(problems[2].message, /Unsupported command \\usepackage/);
  assert.match(problems[4].message, /#2 but declares 1/);
  // \bad swallows the rest of the file looking for its brace; the lines after it are still read.
  assert.equal(macros['\\later'], '2');
});

test('junk input never throws', () => {
  for (const junk of ['', '\\', '{{{{', '\\newcommand', '\\newcommand{', '\\def', '\\def\\x', '%%%', '\u0000\uFFFF', '\\newcommand{\\x}[99]{y}']) {
    assert.doesNotThrow(() => parseMacroPreamble(junk), JSON.stringify(junk));
  }
});

test('the number of macros is bounded', () => {
  const text = Array.from({ length: MAX_MACROS + 20 }, (_, i) => `\\newcommand{\\m${String.fromCharCode(97 + (i % 26))}${'a'.repeat(Math.floor(i / 26))}}{${i}}`).join('\n');
  const { macros, problems } = parseMacroPreamble(text);
  assert.equal(Object.keys(macros).length, MAX_MACROS);
  assert.equal(problems.length, 1);
});

test('settings macros are validated', () => {
  const { macros, problems } = sanitizeMacroObject({ '\\R': '\\mathbb{R}', N: '\\mathbb{N}', '\\bad name': 'x', '\\num': 3 });
  assert.deepEqual(macros, { '\\R': '\\mathbb{R}', '\\N': '\\mathbb{N}' });
  assert.equal(problems.length, 2);
  assert.equal(sanitizeMacroObject(['x']).problems.length, 1);
  assert.deepEqual(sanitizeMacroObject(undefined), { macros: {}, problems: [] });
});

test('merge lets later sources win; keys ignore insertion order', () => {
  assert.deepEqual(mergeMacros({ '\\a': '1', '\\b': '2' }, { '\\b': '3' }), { '\\a': '1', '\\b': '3' });
  assert.equal(macrosKey({ '\\a': '1', '\\b': '2' }), macrosKey({ '\\b': '2', '\\a': '1' }));
  assert.notEqual(macrosKey({ '\\a': '1' }), macrosKey({ '\\a': '2' }));
  assert.equal(macrosKey({}), '');
});

test('the on-demand brace matcher agrees with a whole-file pass, asked in any order', () => {
  // The reference: one pass over the whole file with a stack, `\x` an escaped pair.
  const reference = (src: string): Map<number, number> => {
    const close = new Map<number, number>();
    const open: number[] = [];
    for (let i = 0; i < src.length; i++) {
      if (src[i] === '\\') i++;
      else if (src[i] === '{') {
        close.set(i, -1);
        open.push(i);
      } else if (src[i] === '}' && open.length > 0) close.set(open.pop()!, i);
    }
    return close;
  };
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pieces = ['{', '}', '\\{', '\\}', '\\\\', '\\def\\a{', 'x', '\n', ' ', '\\'];
  for (let round = 0; round < 300; round++) {
    const src = Array.from({ length: 1 + random(60) }, () => pieces[random(pieces.length)]).join('');
    const expected = reference(src);
    const matcher = new BraceMatcher(src);
    // Asked forwards (as the parser does) in half the rounds, in random order in the others.
    // The parser asks at a `{` only. With no `}` after it, no group can close there, escaped or not.
    const positions = [...src].flatMap((c, i) => (c === '{' ? [i] : []));
    const lastClose = src.lastIndexOf('}');
    if (round % 2) positions.sort(() => random(3) - 1);
    for (const pos of positions) {
      assert.equal(matcher.closeOf(pos), pos > lastClose ? -1 : (expected.get(pos) ?? -2), `${JSON.stringify(src)} at ${pos}`);
    }
  }
});
