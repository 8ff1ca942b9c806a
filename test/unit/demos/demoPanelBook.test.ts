import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DemoPanelBook, type DemoPanelHandle } from '../../../src/extension/demos/demoPanelBook';
import { DEMO_IDS } from '../../../src/core/demos/mapping';

/** A panel as the book sees it: where it sits. */
class FakePanel implements DemoPanelHandle {
  constructor(public viewColumn: number | undefined) {}
}

const [first, second, third] = DEMO_IDS;
const section = (index: number) => ({ uri: 'file:///notes/a.md', sectionIndex: index, title: `S${index}` });

test('opening the same demo again reuses its panel and re-targets it', () => {
  const book = new DemoPanelBook<FakePanel>();
  const plan = book.plan(first, 'tabs', 1);
  assert.equal(plan.kind, 'create');
  const entry = book.add(new FakePanel(2), { demo: first, section: section(1) }, []);
  const again = book.plan(first, 'tabs', 1);
  assert.equal(again.kind, 'reuse');
  assert.ok(again.kind === 'reuse' && again.entry === entry);
  book.retarget(entry, section(4), [{ id: 't1', text: 'why?' }]);
  assert.equal(book.get(first)?.state.section?.sectionIndex, 4);
  assert.deepEqual(book.get(first)?.todos, [{ id: 't1', text: 'why?' }]);
  assert.equal(book.size, 1);
});

test('every demo goes to one column beside the notes: the first right of the notes, the others where it is', () => {
  const book = new DemoPanelBook<FakePanel>();
  const plan = book.plan(first, 'tabs', 1);
  assert.deepEqual(plan, { kind: 'create', column: 2, replace: [] });
  assert.deepEqual(new DemoPanelBook<FakePanel>().plan(first, 'tabs', undefined), { kind: 'create', column: 'beside', replace: [] });
  const panel = new FakePanel(2);
  book.add(panel, { demo: first }, []);
  panel.viewColumn = 3; // the user dragged the demo column
  const next = book.plan(second, 'tabs', 1);
  assert.ok(next.kind === 'create' && next.column === 3, 'a second demo joins the first one as a tab, not a new column');
  assert.deepEqual(next.kind === 'create' && next.replace, []);
});

test('with lectern.demos.panels = single a new demo replaces the open ones', () => {
  const book = new DemoPanelBook<FakePanel>();
  const a = book.add(new FakePanel(2), { demo: first }, []);
  const b = book.add(new FakePanel(2), { demo: second }, []);
  const plan = book.plan(third, 'single', 1);
  assert.ok(plan.kind === 'create');
  assert.deepEqual(new Set(plan.replace), new Set([a, b]));
  assert.equal(plan.column, 2, 'in the column the replaced ones occupy');
  assert.equal(book.plan(first, 'single', 1).kind, 'reuse', 'an open demo is still reused, not replaced by itself');
});

test('disposal forgets a panel, but a stale dispose does not remove its successor', () => {
  const book = new DemoPanelBook<FakePanel>();
  const old = book.add(new FakePanel(2), { demo: first, section: section(1) }, []);
  assert.ok(book.attachedTo('file:///notes/a.md'));
  assert.equal(book.canRestore(first), false, 'a restored panel of an open demo is refused');
  const successor = book.add(new FakePanel(2), { demo: first }, []);
  book.disposed(old);
  assert.equal(book.get(first), successor);
  book.disposed(successor);
  assert.equal(book.size, 0);
  assert.equal(book.attachedTo('file:///notes/a.md'), false);
  assert.equal(book.canRestore(first), true);
});
