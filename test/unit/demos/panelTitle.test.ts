import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNotes } from '../../../src/core';
import { DEMO_IDS, DEMO_INFO, demosForDocument } from '../../../src/core/demos/mapping';
import { demoPanelTitle, demoSectionLabel } from '../../../src/core/demos/panelTitle';

const root = path.resolve(__dirname, '..', '..', '..', '..');

function label(markdown: string, title: string): string {
  const { sections } = parseNotes(markdown);
  const section = sections.find((s) => s.title === title);
  assert.ok(section, `no section '${title}'`);
  return demoSectionLabel(sections, section.index);
}

test('the sample notes: the demo once, then lecture › section (the note title left out)', () => {
  const text = fs.readFileSync(path.join(root, 'notes', 'iacv-lectures-08-14.md'), 'utf8');
  const parse = parseNotes(text);
  const titles = Object.fromEntries(
    demosForDocument(parse, text).map((m) => [m.demo, demoPanelTitle(m.demo, demoSectionLabel(parse.sections, m.sectionIndex))]),
  );
  assert.equal(titles.dropout, 'Dropout · Lecture 9 › Dropout');
  assert.equal(titles.batchnorm, 'Batch normalization · Lecture 10 › Batch normalisation');
  assert.equal(titles['transposed-conv'], 'Transposed convolution · Lecture 11 › FCN upsampling: transposed convolution');
  for (const title of Object.values(titles)) assert.doesNotMatch(title, /Image Analysis/);
});

test('every demo has a title of its own without a section', () => {
  const titles = DEMO_IDS.map((id) => demoPanelTitle(id));
  assert.deepEqual(titles, DEMO_IDS.map((id) => DEMO_INFO[id].title));
  assert.equal(new Set(titles).size, DEMO_IDS.length);
});

test('section labels: document title, depth, subtitles, no headings', () => {
  // A lone `#` heading is the note's title: left out.
  assert.equal(label('# Notes\n\n## Week 2: Regularisation\n\n### Tricks\n\n#### Dropout\n', 'Dropout'), 'Week 2 › Dropout');
  // Several `#` headings are chapters, kept (cut at the subtitle).
  assert.equal(label('# Part A — basics\n\n# Part B — nets\n\n## Dropout\n', 'Dropout'), 'Part B › Dropout');
  // A section directly under the note title stands alone; so does the note title itself.
  assert.equal(label('# Notes\n\n## Dropout\n', 'Dropout'), 'Dropout');
  assert.equal(label('# Dropout\n\ntext\n', 'Dropout'), 'Dropout');
  // A chapter with no subtitle keeps its whole name; the section itself is never cut at a colon.
  assert.equal(label('## Lecture 9\n\n### FCN: upsampling\n', 'FCN: upsampling'), 'Lecture 9 › FCN: upsampling');
  // The root (text before any heading) has no label.
  assert.equal(demoSectionLabel(parseNotes('just text\n').sections, 0), '');
});

test('long headings are clipped so tabs stay readable', () => {
  const long = 'A very long section title that goes on and on about transposed convolutions';
  const result = label(`## Lecture 1\n\n### ${long}\n`, long);
  assert.ok(result.startsWith('Lecture 1 › A very long section title'));
  assert.ok(result.endsWith('…'));
  assert.ok([...result].length <= 'Lecture 1 › '.length + 48, result);
});
