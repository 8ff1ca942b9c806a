import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNotes } from '../../../src/core';
import { NotesRenderer } from '../../../src/core/render/renderNotes';
import { IncrementalNoteRender, type BlockRenderUpdate, commonPrefix, commonSuffix, shiftDataLines } from '../../../src/core/render/incrementalRender';
import { mulberry32 } from '../../../src/core/demos/rng';

/**
 * The preview's block render against the whole-note render: after any edit, the webview's block
 * list patched as the host says (splices, then `data-line` shifts) must be exactly the HTML of the
 * edited note rendered from scratch.
 */

const NOTE = [
  '# Lecture 8',
  '',
  'Loss $L(\\theta) = \\frac{1}{n}\\sum_i \\ell_i$ and $x^2$. TODO: check this',
  '',
  '$$\\newcommand{\\RR}{\\mathbb{R}}$$',
  '',
  '$$',
  '\\hat y = \\sigma(Wx + b) \\label{eq:out}',
  '$$',
  '',
  'By \\eqref{eq:out} and $\\RR$ we get',
  'a lazy line.',
  '## Dropout',
  '',
  'Why scale by $1/(1-p)$? FIXME: check the eval convention.',
  '',
  '- [ ] read the paper',
  '- item with $y$',
  '',
  '> quoted $z$',
  '> TODO: quote',
  '',
  '```python',
  'x = 1  # TODO: not a todo',
  '```',
  '',
  '<!-- lectern-demo: dropout -->',
  '',
  '| a | b |',
  '|---|---|',
  '| $1$ | 2 |',
  '',
  '### Last',
  '',
  'Tail paragraph.',
  '',
].join('\n');

function applyUpdate(list: string[], update: BlockRenderUpdate): string[] {
  if (update.kind === 'full') return [...update.blocks];
  const out = list.map((html) => ({ html, inserted: false }));
  for (const s of update.splices) out.splice(s.start, s.deleteCount, ...s.html.map((html) => ({ html, inserted: true })));
  return out.map((b, i) => (i >= update.shiftFrom && !b.inserted ? shiftDataLines(b.html, update.lineDelta) : b.html));
}

function renderOf(renderer: NotesRenderer, text: string): string {
  return renderer.render(text, { parsed: parseNotes(text), demoForSection: demoFor }).html;
}

const demoFor = (section: { title: string }): string | undefined => (/dropout/i.test(section.title) ? 'dropout' : undefined);

test('the blocks of a note joined are its whole render', () => {
  const renderer = new NotesRenderer();
  const incremental = new IncrementalNoteRender(renderer);
  const update = incremental.update(NOTE, { parsed: parseNotes(NOTE), demoForSection: demoFor }, 'ctx');
  assert.equal(update.kind, 'full');
  assert.ok(update.blocks.length > 10, `${update.blocks.length} blocks`);
  assert.equal(update.blocks.join(''), renderOf(renderer, NOTE));
});

test('a one-character edit re-renders one or two blocks, and the patched list is the new render', () => {
  const renderer = new NotesRenderer();
  const incremental = new IncrementalNoteRender(renderer);
  let list = applyUpdate([], incremental.update(NOTE, { parsed: parseNotes(NOTE) }, 'ctx'));
  const at = NOTE.indexOf('Tail paragraph') + 4;
  const edited = NOTE.slice(0, at) + 'X' + NOTE.slice(at);
  const update = incremental.update(edited, { parsed: parseNotes(edited) }, 'ctx');
  assert.equal(update.kind, 'patch');
  assert.ok(update.stats.blocksRendered <= 2, `${update.stats.blocksRendered} blocks rendered`);
  list = applyUpdate(list, update);
  assert.equal(list.join(''), renderer.render(edited, { parsed: parseNotes(edited) }).html);
});

test('a new line above shifts the data-lines of the blocks below without rendering them', () => {
  const renderer = new NotesRenderer();
  const incremental = new IncrementalNoteRender(renderer);
  let list = applyUpdate([], incremental.update(NOTE, { parsed: parseNotes(NOTE) }, 'ctx'));
  const at = NOTE.indexOf('Why scale');
  const edited = NOTE.slice(0, at) + 'New line\n' + NOTE.slice(at);
  const update = incremental.update(edited, { parsed: parseNotes(edited) }, 'ctx');
  assert.equal(update.kind, 'patch');
  assert.equal(update.lineDelta, 1);
  list = applyUpdate(list, update);
  assert.equal(list.join(''), renderer.render(edited, { parsed: parseNotes(edited) }).html);
  assert.equal(incremental.html().join(''), list.join(''), 'the host materializes the same shifted lines');
});

test('an edit that renumbers equations below re-renders the blocks that show them', () => {
  const renderer = new NotesRenderer();
  const incremental = new IncrementalNoteRender(renderer);
  let list = applyUpdate([], incremental.update(NOTE, { parsed: parseNotes(NOTE) }, 'ctx'));
  const edited = '$$a \\label{eq:first}$$\n\n' + NOTE;
  const update = incremental.update(edited, { parsed: parseNotes(edited) }, 'ctx');
  assert.equal(update.kind, 'patch');
  assert.ok(update.kind === 'patch' && update.splices.length > 1, 'the \\eqref block is rendered again');
  list = applyUpdate(list, update);
  assert.equal(list.join(''), renderer.render(edited, { parsed: parseNotes(edited) }).html);
});

test('random edits: the patched blocks always equal the whole render', () => {
  const rng = mulberry32(1414);
  const snippets = ['\n', '\n\n', '```\n', '$', '$$\n', '# ', '===\n', 'TODO: x ', '<!-- ', ' -->', '\\label{eq:out}', '- ', '> ', 'x', '|', '    '];
  const fixture = path.join(__dirname, '../../../../test/fixtures/seed.md');
  const seed = fs.existsSync(fixture) ? fs.readFileSync(fixture, 'utf8') : '';
  for (const base of [NOTE, seed.slice(0, 6000)]) {
    const renderer = new NotesRenderer();
    const incremental = new IncrementalNoteRender(renderer);
    let text = base;
    let list = applyUpdate([], incremental.update(text, { parsed: parseNotes(text), demoForSection: demoFor }, 'ctx'));
    let patches = 0;
    for (let step = 0; step < 120; step++) {
      const at = Math.floor(rng() * (text.length + 1));
      if (rng() < 0.6) text = text.slice(0, at) + snippets[Math.floor(rng() * snippets.length)] + text.slice(at);
      else text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rng() * 12)));
      const parsed = parseNotes(text);
      const update = incremental.update(text, { parsed, demoForSection: demoFor }, 'ctx');
      if (update.kind === 'patch') patches++;
      list = applyUpdate(list, update);
      assert.equal(list.join(''), renderer.render(text, { parsed, demoForSection: demoFor }).html, `step ${step}`);
    }
    // Reference definitions and comments force whole renders; most edits must still be patches.
    assert.ok(patches > 60, `${patches} of 120 edits were patches`);
  }
});

test('a note with a link reference definition is rendered whole (a definition changes links anywhere)', () => {
  const renderer = new NotesRenderer();
  const incremental = new IncrementalNoteRender(renderer);
  const text = NOTE + '\nSee [the paper][p].\n\n[p]: https://example.org\n';
  incremental.update(text, { parsed: parseNotes(text) }, 'ctx');
  const edited = 'x' + text;
  const update = incremental.update(edited, { parsed: parseNotes(edited) }, 'ctx');
  assert.equal(update.kind, 'full');
  assert.equal(update.blocks.join(''), renderer.render(edited, { parsed: parseNotes(edited) }).html);
});

test('common prefix and suffix lengths', () => {
  const a = 'x'.repeat(70_000) + 'abc' + 'y'.repeat(5000);
  const b = 'x'.repeat(70_000) + 'aXc' + 'y'.repeat(5000);
  assert.equal(commonPrefix(a, b), 70_001);
  assert.equal(commonSuffix(a, b, a.length - 70_001), 5001);
  assert.equal(commonPrefix('abc', 'abc'), 3);
  assert.equal(commonSuffix('abc', 'xbc', 3), 2);
});

test('typing inside a \\newcommand keeps the remembered scope keys bounded, and the render right', () => {
  const renderer = new NotesRenderer();
  const incremental = new IncrementalNoteRender(renderer);
  const head = '$$\\newcommand{\\A}{x';
  const tail = '}$$\n\nUses $\\A$ and $y$.\n';
  let body = '';
  let list = applyUpdate([], incremental.update(head + body + tail, { parsed: parseNotes(head + body + tail) }, 'ctx'));
  for (let i = 0; i < 400; i++) {
    // Every keystroke changes the note-wide macros, so every formula below gets a new scope key.
    body += 'x';
    const text = head + body + tail;
    list = applyUpdate(list, incremental.update(text, { parsed: parseNotes(text) }, 'ctx'));
  }
  assert.ok(incremental.scopeKeyCount < 200, `${incremental.scopeKeyCount} scope keys remembered after 400 keystrokes`);
  const text = head + body + tail;
  const whole = new IncrementalNoteRender(new NotesRenderer()).update(text, { parsed: parseNotes(text) }, 'ctx');
  assert.deepEqual(list, applyUpdate([], whole));
});
