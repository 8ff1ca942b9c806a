import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMathSvg } from '../../../src/core/render/mathSvg';

test('a formula becomes a self-contained SVG with MathML inside', () => {
  const result = renderMathSvg('\\frac{a}{b} + \\sqrt{x}', true, {}, { color: '#e4e4e4' });
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.match(result.svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
  assert.match(result.svg, /<foreignObject/);
  assert.match(result.svg, /<math display="block" xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML">/);
  assert.equal((result.svg.match(/ display=/g) ?? []).length, 1);
  assert.match(result.svg, /<mfrac>/);
  assert.match(result.svg, /color:#e4e4e4/);
  assert.doesNotMatch(result.svg, /<script|href=/);
  assert.ok(result.width > 20 && result.height > 20);
});

test('size follows the formula: longer is wider, fractions are taller', () => {
  const short = renderMathSvg('x', false, {});
  const long = renderMathSvg('x + y + z + \\alpha + \\beta + \\gamma + \\delta', false, {});
  const tall = renderMathSvg('\\frac{\\frac{a}{b}}{\\frac{c}{d}}', true, {});
  assert.ok(short.ok && long.ok && tall.ok);
  if (!short.ok || !long.ok || !tall.ok) return;
  assert.ok(long.width > short.width * 3, `${long.width} vs ${short.width}`);
  assert.ok(tall.height > short.height * 1.5, `${tall.height} vs ${short.height}`);
});

test('macros apply as in the preview', () => {
  const withMacro = renderMathSvg('\\RR^n', false, { '\\RR': '\\mathbb{R}' });
  assert.ok(withMacro.ok);
  if (withMacro.ok) assert.match(withMacro.svg, /mathvariant="double-struck"/);
  const without = renderMathSvg('\\RR^n', false, {});
  assert.equal(without.ok, false);
});

test('errors carry KaTeX message', () => {
  const result = renderMathSvg('\\frac{a}{', false, {});
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.error, /^KaTeX parse error: /);
});

test('an unsafe colour is replaced', () => {
  const result = renderMathSvg('x', false, {}, { color: 'red;background:url(x)' });
  assert.ok(result.ok);
  if (result.ok) assert.doesNotMatch(result.svg, /url\(/);
});
