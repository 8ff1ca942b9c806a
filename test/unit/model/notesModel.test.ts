import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotes } from '../../../src/core';
import type { RawParse } from '../../../src/core/parse';
import { InMemoryNotesWorkspace } from '../../../src/extension/model/inMemoryWorkspace';
import { InThreadParseHost } from '../../../src/extension/model/parseHost';
import { NotesModel, type NotesModelOptions } from '../../../src/extension/model/notesModel';
import type { ModelLog } from '../../../src/extension/model/log';

/**
 * The document model against the in-memory workspace: what the TODO index, tree and the other
 * features see after opens, edits, closes, disk changes, setting changes and non-regular files.
 */

class RecordingLog implements ModelLog {
  readonly lines: string[] = [];
  trace(): void {}
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
}

/** A parse host whose parses finish only when the test says so (a worker that is slow). */
class GatedParseHost extends InThreadParseHost {
  readonly gates: Array<{ text: string; release: () => void }> = [];

  override async parseRaw(text: string, tags: readonly string[]): Promise<RawParse> {
    await new Promise<void>((release) => this.gates.push({ text, release }));
    return super.parseRaw(text, tags);
  }
}

function setup(options: Partial<NotesModelOptions> = {}, host = new InThreadParseHost()) {
  const ws = new InMemoryNotesWorkspace();
  const log = new RecordingLog();
  const make = () => new NotesModel(ws, host, { log, scanNow: true, editDelayMs: 0, diskDelayMs: 0, ...options });
  return { ws, log, host, make };
}

/** Waits for timers (edit delays, the coalesced change event) and promise chains to settle. */
async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 1));
}

function todoTexts(model: NotesModel, key: string): string[] {
  return model.get(key)?.parse.todos.map((t) => t.text) ?? [];
}

test('lists the notes on disk with their parses and fires one change event for the scan', async (t) => {
  const { ws, make } = setup();
  ws.writeFile('a.md', '# A\n\nTODO: first\n');
  ws.writeFile('b.md', '# B\n\nTODO: second\n');
  ws.writeFile('ignored.txt', 'TODO: not a note\n');
  const model = make();
  t.after(() => model.dispose());
  const events: string[][] = [];
  model.onDidChange((keys) => events.push([...keys].sort()));
  await model.ready;
  await settle();
  assert.equal(model.state, 'ready');
  assert.deepEqual(
    model
      .notes()
      .map((n) => n.path)
      .sort(),
    ['a.md', 'b.md'],
  );
  assert.deepEqual(todoTexts(model, InMemoryNotesWorkspace.key('a.md')), ['first']);
  assert.deepEqual(events, [[InMemoryNotesWorkspace.key('a.md'), InMemoryNotesWorkspace.key('b.md')]]);
});

test('an open document wins over the file, follows edits incrementally, and falls back to disk on close', async (t) => {
  const { ws, make } = setup();
  const key = ws.writeFile('n.md', '# N\n\nTODO: on disk\n');
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  const doc = ws.open('n.md', '# N\n\nTODO: in the editor\n\nText.\n');
  await settle();
  assert.equal(model.get(key)?.source, 'document');
  assert.deepEqual(todoTexts(model, key), ['in the editor']);

  const at = doc.getText().indexOf('editor') + 'editor'.length;
  ws.edit(doc, at, at, 's');
  const parse = await model.parse(doc);
  assert.deepEqual(
    parse?.todos.map((t) => t.text),
    ['in the editors'],
  );
  assert.deepEqual(parse, parseNotes(doc.getText(), { tags: ['TODO', 'FIXME'] }), 'the incremental parse equals a full one');
  assert.equal(model.get(key)?.version, doc.version);

  ws.close(doc);
  await settle();
  assert.equal(model.get(key)?.source, 'disk');
  assert.deepEqual(todoTexts(model, key), ['on disk']);
});

test('an untitled document that is not on disk disappears when closed', async (t) => {
  const { ws, make } = setup();
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  const doc = ws.open('Untitled-1', 'TODO: scratch\n');
  await settle();
  assert.deepEqual(todoTexts(model, doc.key), ['scratch']);
  const events: Array<ReadonlySet<string>> = [];
  model.onDidChange((keys) => events.push(keys));
  ws.close(doc);
  await settle();
  assert.equal(model.get(doc.key), undefined);
  assert.ok(events.some((keys) => keys.has(doc.key)));
});

test('documents that are not notes are parsed on request but never listed', async (t) => {
  const { ws, make } = setup();
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  const doc = ws.open('diff.md', 'TODO: in a diff\n', { isNote: false });
  assert.deepEqual(
    (await model.parse(doc))?.todos.map((t) => t.text),
    ['in a diff'],
  );
  assert.deepEqual(model.notes(), []);
  assert.equal(model.get(doc.key), undefined);
});

test('a burst of edits is parsed once the typing stops, and the result equals a full parse', async (t) => {
  const { ws, make } = setup({ editDelayMs: 20 });
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  const body = Array.from({ length: 40 }, (_, i) => `## S${i}\n\nTODO: q${i}\n\n$x_${i}$ text\n`).join('\n');
  const doc = ws.open('big.md', `# Big\n\n${body}`);
  await settle();
  const first = model.get(doc.key)!.parse;
  let events = 0;
  model.onDidChange(() => events++);
  for (let i = 0; i < 10; i++) {
    const at = doc.getText().indexOf('q20') + 3;
    ws.edit(doc, at, at, String(i));
  }
  assert.equal(model.get(doc.key)!.parse, first, 'nothing is parsed while typing');
  await new Promise((r) => setTimeout(r, 60));
  await settle();
  assert.equal(events, 1);
  assert.deepEqual(model.get(doc.key)!.parse, parseNotes(doc.getText(), { tags: ['TODO', 'FIXME'] }));
  assert.ok(todoTexts(model, doc.key).includes('q209876543210'));
});

test('an edit that needs a full parse of a large note goes to the parse host; edits meanwhile are not lost', async (t) => {
  const host = new GatedParseHost();
  const { ws, make } = setup({ largeNoteChars: 200 }, host);
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  const text = `# Big\n\n${'Some words here. '.repeat(20)}\n\nTODO: one\n\nEnd.\n`;
  const doc = ws.open('large.md', text);
  await settle();
  assert.equal(host.gates.length, 1, 'the first parse of a large note goes to the host');
  host.gates[0].release();
  await settle();
  assert.deepEqual(todoTexts(model, doc.key), ['one']);

  // Typing inside the TODO: incremental, on this thread, no host call.
  const at = doc.getText().indexOf('one') + 3;
  ws.edit(doc, at, at, '!');
  await model.parse(doc);
  assert.equal(host.gates.length, 1);
  assert.deepEqual(todoTexts(model, doc.key), ['one!']);

  // An opening fence swallows what follows: a full parse, on the host. Type more while it runs.
  ws.edit(doc, 0, 0, '```\n');
  const pending = model.parse(doc);
  await settle();
  assert.equal(host.gates.length, 2);
  ws.edit(doc, 0, 4, '');
  const end = doc.getText().indexOf('one!') + 4;
  ws.edit(doc, end, end, '?');
  host.gates[1].release();
  const parse = await pending;
  await settle();
  assert.deepEqual(
    parse?.todos.map((t) => t.text),
    ['one!?'],
  );
  assert.deepEqual(model.get(doc.key)!.parse, parseNotes(doc.getText(), { tags: ['TODO', 'FIXME'] }));
  assert.equal(model.get(doc.key)!.version, doc.version);
});

test('a stale full parse never lands over a newer one (cancelled by parseNow, close, or invalidation)', async (t) => {
  const host = new GatedParseHost();
  const { ws, make } = setup({ largeNoteChars: 100 }, host);
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  const doc = ws.open('large.md', `TODO: old\n\n${'x'.repeat(200)}\n`);
  await settle();
  assert.equal(host.gates.length, 1);
  ws.edit(doc, 0, doc.length(), `TODO: new\n\n${'y'.repeat(200)}\n`);
  // A synchronous caller parses the current version now; the old host parse must not win.
  assert.deepEqual(
    model.parseNow(doc).todos.map((t) => t.text),
    ['new'],
  );
  host.gates[0].release();
  await settle();
  assert.deepEqual(todoTexts(model, doc.key), ['new']);

  // A cancelled request resolves to undefined and publishes nothing for it.
  // An opening fence swallows the rest: a full parse, on the host.
  ws.edit(doc, 0, 0, '```\n');
  const cancelled = { isCancellationRequested: false };
  const request = model.parse(doc, cancelled);
  await settle();
  cancelled.isCancellationRequested = true;
  ws.close(doc);
  for (const gate of host.gates) gate.release();
  assert.equal(await request, undefined);
  await settle();
  assert.equal(model.get(doc.key), undefined, 'closed: gone, and the parse in flight did not bring it back');
});

test('changing the TODO tags re-parses every note once and fires', async (t) => {
  const { ws, make } = setup();
  const key = ws.writeFile('a.md', 'TODO: t\n\nNOTE: n\n');
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  const doc = ws.open('open.md', 'NOTE: open\n');
  await settle();
  assert.deepEqual(todoTexts(model, key), ['t']);
  assert.deepEqual(todoTexts(model, doc.key), []);
  const events: Array<ReadonlySet<string>> = [];
  model.onDidChange((keys) => events.push(keys));
  ws.setTags(['NOTE']);
  await model.ready;
  await settle();
  assert.deepEqual(todoTexts(model, key), ['n']);
  assert.deepEqual(todoTexts(model, doc.key), ['open']);
  assert.ok(events.length >= 1 && events.every((keys) => keys.size > 0));
  assert.ok(
    events.some((keys) => keys.has(doc.key)),
    'the open note is announced',
  );
});

test('a FIFO named like a note is refused from its stat, never read, and the scan completes', async (t) => {
  const { ws, log, make } = setup();
  ws.writeFile('a.md', 'TODO: fine\n');
  const fifo = ws.addSpecialFile('pipe.md');
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  assert.equal(model.state, 'ready');
  assert.deepEqual(
    model.notes().map((n) => n.path),
    ['a.md'],
  );
  assert.ok(!ws.reads.includes(fifo), 'the FIFO was opened for reading');
  const refusals = log.lines.filter((l) => l.includes('pipe.md'));
  assert.equal(refusals.length, 1);
  assert.match(refusals[0], /^warn Skipping pipe\.md: not a regular file/);
  assert.ok(!refusals[0].includes('\n'), 'one line');

  // Created later, through the watcher: refused the same way.
  const later = ws.addSpecialFile('later.md');
  await settle();
  assert.ok(!ws.reads.includes(later));
  assert.equal(model.get(later), undefined);
});

test('files created, changed and deleted on disk follow, coalesced', async (t) => {
  const { ws, make } = setup();
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  const key = ws.writeFile('new.md', 'TODO: created\n');
  await settle();
  assert.deepEqual(todoTexts(model, key), ['created']);
  ws.writeFile('new.md', 'TODO: changed\n');
  await settle();
  assert.deepEqual(todoTexts(model, key), ['changed']);
  ws.deleteFile('new.md');
  await settle();
  assert.equal(model.get(key), undefined);
});

test('disk changes of an open note are ignored: the document is the truth', async (t) => {
  const { ws, make } = setup();
  const key = ws.writeFile('n.md', 'TODO: disk\n');
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  ws.open('n.md', 'TODO: editor\n');
  await settle();
  ws.writeFile('n.md', 'TODO: disk again\n');
  await settle();
  assert.deepEqual(todoTexts(model, key), ['editor']);
});

test('a rescan (folders or glob changed) lists again and drops notes that went', async (t) => {
  const { ws, make } = setup();
  ws.writeFile('a.md', 'TODO: a\n');
  const b = ws.writeFile('b.md', 'TODO: b\n');
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  assert.equal(model.notes().length, 2);
  // Removed without a watcher event (as when the glob stops matching it).
  (ws as unknown as { files: Map<string, unknown> }).files.delete(b);
  ws.changeNoteSet();
  await model.ready;
  await settle();
  assert.equal(ws.listings, 2);
  assert.deepEqual(
    model.notes().map((n) => n.path),
    ['a.md'],
  );
});

test('edits whose offsets do not fit the text are caught: the note is parsed again from its text', async (t) => {
  const { ws, log, make } = setup();
  const model = make();
  t.after(() => model.dispose());
  await model.ready;
  const doc = ws.open('n.md', 'TODO: a\n');
  await settle();
  // Change the text behind the model's back, then report an edit that no longer fits.
  doc.apply({ startOffset: 0, endOffset: 0, newText: 'Intro.\n\n' });
  ws.edit(doc, 0, 0, '');
  ws.applyEdits(doc, [{ startOffset: 1000, endOffset: 1000, newText: 'x' }].slice(0, 0));
  doc.version++;
  (ws as unknown as { _onDidChange: { fire(e: unknown): void } })._onDidChange.fire({
    document: doc,
    changes: [{ startOffset: 500, endOffset: 500, newText: 'x' }],
  });
  const parse = await model.parse(doc);
  assert.deepEqual(parse, parseNotes(doc.getText(), { tags: ['TODO', 'FIXME'] }));
  assert.ok(log.lines.some((l) => l.startsWith('warn Edits of') && l.includes('do not match')));
});
