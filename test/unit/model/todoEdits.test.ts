import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdit, parseNotes } from '../../../src/core';
import type { TodoEditPlan } from '../../../src/core';
import { InMemoryNotesWorkspace, type InMemoryDocument } from '../../../src/extension/model/inMemoryWorkspace';
import { silentLog } from '../../../src/extension/model/log';
import { NotesModel } from '../../../src/extension/model/notesModel';
import { InThreadParseHost } from '../../../src/extension/model/parseHost';
import { planOnCurrentVersion } from '../../../src/extension/model/todoEdits';

/**
 * The resolve / reopen flow's planning on the model, against the in-memory workspace: plans are
 * made on the live text, re-made when the note changes meanwhile, refused rather than guessed.
 */

const TAGS = ['TODO', 'FIXME'];

/** A host whose edit plans wait until the test releases them (a worker busy with a big note). */
class SlowPlanHost extends InThreadParseHost {
  readonly waiting: Array<() => void> = [];
  override async planEdit(text: string, tags: readonly string[], todoId: string, expectedText: string, answer: string | undefined): Promise<TodoEditPlan> {
    await new Promise<void>((release) => this.waiting.push(release));
    return super.planEdit(text, tags, todoId, expectedText, answer);
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(condition(), 'timed out');
}

function setup(host = new InThreadParseHost(), largeNoteChars?: number) {
  const ws = new InMemoryNotesWorkspace();
  const model = new NotesModel(ws, host, { log: silentLog, scanNow: true, editDelayMs: 0, largeNoteChars });
  return { ws, model, host };
}

function todoOf(doc: InMemoryDocument, text: string) {
  const todo = parseNotes(doc.getText()).todos.find((t) => t.text === text);
  assert.ok(todo, `no TODO "${text}"`);
  return todo;
}

test('resolving then reopening round-trips the note on the version it was planned on', async (t) => {
  const { ws, model } = setup();
  t.after(() => model.dispose());
  const original = '# Week 1\n\nTODO: what is a tensor?\n\nText.\n';
  const doc = ws.open('n.md', original);
  const todo = todoOf(doc, 'what is a tensor?');
  const resolved = await planOnCurrentVersion(model, () => Promise.resolve(doc), { todoId: todo.id, expectedText: todo.text, answer: 'an array', tags: TAGS });
  assert.equal(resolved.kind, 'planned');
  assert.ok(resolved.kind === 'planned' && resolved.plan.ok);
  assert.equal(resolved.version, doc.version);
  ws.edit(doc, resolved.plan.edit.startOffset, resolved.plan.edit.endOffset, resolved.plan.edit.newText);
  const after = parseNotes(doc.getText()).todos[0];
  assert.equal(after.status, 'resolved');
  assert.equal(after.answer, 'an array');
  // The model follows the edit (flush, as the extension does after its own edits).
  await model.flush(doc);
  assert.equal(model.get(doc.key)?.parse.todos[0].status, 'resolved');

  const reopened = await planOnCurrentVersion(model, () => Promise.resolve(doc), { todoId: after.id, expectedText: after.text, answer: undefined, tags: TAGS });
  assert.ok(reopened.kind === 'planned' && reopened.plan.ok);
  assert.equal(applyEdit(doc.getText(), reopened.plan.edit), original);
});

test('a TODO that went, or is already resolved, is refused with the reason', async (t) => {
  const { ws, model } = setup();
  t.after(() => model.dispose());
  const doc = ws.open('n.md', 'TODO: one\n\nTODO: two\n');
  const gone = await planOnCurrentVersion(model, () => Promise.resolve(doc), { todoId: 'nope', expectedText: 'not there', answer: 'x', tags: TAGS });
  assert.ok(gone.kind === 'planned' && !gone.plan.ok && gone.plan.reason === 'gone');
  const two = todoOf(doc, 'two');
  const reopenOpen = await planOnCurrentVersion(model, () => Promise.resolve(doc), { todoId: two.id, expectedText: two.text, answer: undefined, tags: TAGS });
  assert.ok(reopenOpen.kind === 'planned' && !reopenOpen.plan.ok && reopenOpen.plan.reason === 'alreadyDone');
});

test('an edit while a large note is planned off the thread makes it plan again on the new text', async (t) => {
  const host = new SlowPlanHost();
  const { ws, model } = setup(host, 50);
  t.after(() => model.dispose());
  const doc = ws.open('big.md', `# Big\n\n${'Words. '.repeat(20)}\n\nTODO: the question\n`);
  const todo = todoOf(doc, 'the question');
  let wrapped = 0;
  const planned = planOnCurrentVersion(
    model,
    () => Promise.resolve(doc),
    { todoId: todo.id, expectedText: todo.text, answer: 'yes', tags: TAGS },
    { around: (work) => (wrapped++, work()) },
  );
  await until(() => host.waiting.length === 1);
  ws.edit(doc, 0, 0, 'Intro.\n\n'); // The user types while the worker plans.
  host.waiting[0]();
  await until(() => host.waiting.length === 2);
  host.waiting[1]();
  const result = await planned;
  assert.equal(wrapped, 2, 'each slow plan is wrapped (progress shown)');
  assert.ok(result.kind === 'planned' && result.plan.ok);
  assert.equal(result.version, doc.version);
  // The plan fits the text as it is now (the TODO moved down by the inserted line).
  const applied = applyEdit(doc.getText(), result.plan.edit);
  assert.equal(parseNotes(applied).todos[0].answer, 'yes');
  assert.ok(applied.startsWith('Intro.'));
});

test('a note that changes during every attempt is left alone', async (t) => {
  const host = new SlowPlanHost();
  const { ws, model } = setup(host, 10);
  t.after(() => model.dispose());
  const doc = ws.open('big.md', 'TODO: moving target\n\nMore text here.\n');
  const todo = todoOf(doc, 'moving target');
  const planned = planOnCurrentVersion(model, () => Promise.resolve(doc), { todoId: todo.id, expectedText: todo.text, answer: 'a', tags: TAGS });
  for (let i = 0; i < 3; i++) {
    await until(() => host.waiting.length === i + 1);
    ws.edit(doc, doc.length(), doc.length(), '.');
    host.waiting[i]();
  }
  assert.deepEqual(await planned, { kind: 'keptChanging', attempts: 3 });
});

test('a document closed while planning is reopened and the plan is checked against it', async (t) => {
  const host = new SlowPlanHost();
  const { ws, model } = setup(host, 10);
  t.after(() => model.dispose());
  ws.writeFile('n.md', 'TODO: on disk\n');
  let doc = ws.open('n.md');
  const todo = todoOf(doc, 'on disk');
  let reopened = 0;
  const planned = planOnCurrentVersion(
    model,
    () => {
      if (doc.isClosed) {
        reopened++;
        doc = ws.open('n.md');
      }
      return Promise.resolve(doc);
    },
    { todoId: todo.id, expectedText: todo.text, answer: 'b', tags: TAGS },
  );
  await until(() => host.waiting.length === 1);
  ws.close(doc);
  // Closed without saving: reopened from disk, where the note says something else at version 1.
  ws.writeFile('n.md', 'Intro.\n\nTODO: on disk\n');
  host.waiting[0]();
  await until(() => host.waiting.length === 2);
  host.waiting[1]();
  const result = await planned;
  assert.equal(reopened, 1);
  assert.ok(result.kind === 'planned' && result.plan.ok && result.document === doc, 'planned again on the reopened document');
  assert.equal(parseNotes(applyEdit(doc.getText(), result.plan.edit)).todos[0].answer, 'b');
});
