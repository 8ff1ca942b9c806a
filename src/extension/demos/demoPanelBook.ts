import type { DemoId } from '../../core/demos/mapping';
import type { DemoPanelState, DemoSectionRef, DemoTodoRef } from '../../shared/protocol';

/**
 * The demo panels' bookkeeping, without `vscode`, so plain Node tests check it
 * (test/unit/demos/demoPanelBook.test.ts); DemoPanelManager does the VS Code side.
 *
 * The rules: one panel per demo, reused (re-targeted at the new section) when that demo is opened
 * again; every demo in ONE column beside the notes (a second demo is a tab there, never a column
 * of its own, issue #10); with `lectern.demos.panels: single` a new demo replaces the open ones; a
 * panel restored after a reload is refused when its demo is already open; a disposed panel leaves
 * the book (but a stale dispose does not remove its successor).
 */

/** What the book needs of a panel: where it sits. */
export interface DemoPanelHandle {
  readonly viewColumn: number | undefined;
}

export interface DemoEntry<P extends DemoPanelHandle> {
  readonly panel: P;
  state: DemoPanelState;
  todos: DemoTodoRef[];
}

export type DemoOpenPlan<P extends DemoPanelHandle> =
  /** The demo's panel exists: reveal it where it is and point it at the new section. */
  | { readonly kind: 'reuse'; readonly entry: DemoEntry<P> }
  /**
   * Create a panel in `column` ('beside' when the notes' column is unknown), then dispose the
   * `replace`d ones (after, so the column does not close and reopen in between).
   */
  | { readonly kind: 'create'; readonly column: number | 'beside'; readonly replace: readonly DemoEntry<P>[] };

export class DemoPanelBook<P extends DemoPanelHandle> {
  private readonly entries = new Map<DemoId, DemoEntry<P>>();

  /** How to open `demo`, given the panels setting and the column of the notes it is opened from. */
  plan(demo: DemoId, panels: 'tabs' | 'single', notesColumn: number | undefined): DemoOpenPlan<P> {
    const existing = this.entries.get(demo);
    if (existing) return { kind: 'reuse', entry: existing };
    return { kind: 'create', column: this.demoColumn(notesColumn), replace: panels === 'single' ? [...this.entries.values()] : [] };
  }

  /** The column of an open demo; else the one right of the notes; else beside the active editor. */
  demoColumn(notesColumn: number | undefined): number | 'beside' {
    for (const entry of this.entries.values()) if (entry.panel.viewColumn !== undefined) return entry.panel.viewColumn;
    return notesColumn === undefined ? 'beside' : notesColumn + 1;
  }

  /** A panel restored after a reload is taken only if its demo is not open already. */
  canRestore(demo: DemoId): boolean {
    return !this.entries.has(demo);
  }

  add(panel: P, state: DemoPanelState, todos: DemoTodoRef[]): DemoEntry<P> {
    const entry: DemoEntry<P> = { panel, state, todos };
    this.entries.set(state.demo, entry);
    return entry;
  }

  /** Points `entry` at another section (or the same one, refreshed) with its open TODOs. */
  retarget(entry: DemoEntry<P>, section: DemoSectionRef | undefined, todos: DemoTodoRef[]): void {
    entry.state = { ...entry.state, section };
    entry.todos = todos;
  }

  /** The panel was closed: forget it, unless another panel of its demo has replaced it already. */
  disposed(entry: DemoEntry<P>): void {
    if (this.entries.get(entry.state.demo) === entry) this.entries.delete(entry.state.demo);
  }

  /** Some panel shows a section of the note `uri` (an edit there refreshes the panels' TODOs). */
  attachedTo(uri: string): boolean {
    for (const entry of this.entries.values()) if (entry.state.section?.uri === uri) return true;
    return false;
  }

  get(demo: DemoId): DemoEntry<P> | undefined {
    return this.entries.get(demo);
  }

  all(): DemoEntry<P>[] {
    return [...this.entries.values()];
  }

  get size(): number {
    return this.entries.size;
  }
}
