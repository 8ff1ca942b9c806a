import * as vscode from 'vscode';
import type { DemoId } from '../../core/demos/mapping';
import {
  DEMO_VIEW_TYPE,
  isDemoFromWebview,
  isDemoPanelState,
  type DemoFromWebview,
  type DemoPanelState,
  type DemoSectionRef,
  type DemoToWebview,
  type DemoTodoRef,
} from '../../shared/protocol';
import type { Services } from '../services';
import { applyResolve } from '../todos/resolveTodo';
import { validatedRestoredNote } from '../restoredNote';
import { demoPanelTitle } from '../../core/demos/panelTitle';
import { DemoHtml } from './demoHtml';
import type { DemoSections } from './demoSections';
import { errorMessage } from '../../core/errors';
import { Disposable } from '../model/lifecycle';
import { DemoPanelBook, type DemoEntry } from './demoPanelBook';

type OpenPanel = DemoEntry<vscode.WebviewPanel>;

/**
 * Owns every demo panel: one per demo, reused when opened again (for the same or another
 * section), restored after a reload through the serializer, paused while hidden.
 *
 * Layout: all demos share ONE editor column beside the notes, as the preview does. A second demo
 * becomes a tab in that column (or, with `lectern.demos.panels: single`, replaces the open one), never
 * a column of its own: five columns of a few hundred pixels each helped nobody (issue #10).
 */
export class DemoPanelManager extends Disposable implements vscode.WebviewPanelSerializer {
  /** Which panel shows which demo and section; the rules live there (plain-Node tested). */
  private readonly panels = new DemoPanelBook<vscode.WebviewPanel>();
  private readonly html: DemoHtml;
  private todoRefresh: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly services: Services,
    private readonly sections: DemoSections,
  ) {
    super();
    this.html = new DemoHtml(services.context.extensionUri);
    this._registerAll(
      services.config.onDidChange((change) => {
        if (change.affects('lectern.demos.backend')) this.reloadAll();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.attachedTo(e.document.uri)) this.scheduleTodoRefresh();
      }),
    );
  }

  /** Opens (or reveals and re-targets) the panel of `demo` in the demo column beside the notes. */
  async open(demo: DemoId, document: vscode.TextDocument | undefined, sectionIndex: number | undefined): Promise<void> {
    let section: DemoSectionRef | undefined;
    let todos: DemoTodoRef[] = [];
    let sectionLabel = '';
    if (document && sectionIndex !== undefined) {
      // Parsed through the model first (off this thread for a large note), so the lookups below hit its cache.
      await this.services.notes.parse(document);
      ({ ref: section, todos } = this.sections.openTodos(document, this.sections.sectionRef(document, sectionIndex)));
      sectionLabel = this.sections.sectionLabel(document, section.sectionIndex);
    }
    const plan = this.panels.plan(demo, this.services.config.demosPanels(), this.notesColumn(document));
    if (plan.kind === 'reuse') {
      const existing = plan.entry;
      this.panels.retarget(existing, section, todos);
      this.retitle(existing, sectionLabel);
      existing.panel.reveal(existing.panel.viewColumn);
      this.post(existing, { type: 'todos', section, todos });
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      DEMO_VIEW_TYPE,
      demoPanelTitle(demo, sectionLabel),
      { viewColumn: plan.column === 'beside' ? vscode.ViewColumn.Beside : plan.column, preserveFocus: false },
      {
        enableScripts: true,
        // Keep tfjs, its compiled shaders and the training state while hidden; the demo pauses instead.
        retainContextWhenHidden: true,
        localResourceRoots: this.html.localResourceRoots(),
      },
    );
    this.adopt(panel, { demo, section }, todos, sectionLabel);
    // After the new panel is in place, so the column does not close and reopen in between.
    for (const entry of plan.replace) entry.panel.dispose();
  }

  /** The column of the notes a demo is opened from (the demo column goes right of it). */
  private notesColumn(document: vscode.TextDocument | undefined): number | undefined {
    return (document && vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn) ?? vscode.window.activeTextEditor?.viewColumn;
  }

  /** Tab title: the demo, then where its section sits ("Dropout · Lecture 9 › Dropout"). */
  private retitle(entry: OpenPanel, sectionLabel: string): void {
    const title = demoPanelTitle(entry.state.demo, sectionLabel);
    if (entry.panel.title !== title) entry.panel.title = title;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isDemoPanelState(state) || !this.panels.canRestore(state.demo)) {
      this.services.log.warn('Lectern: a demo panel could not be restored (no or invalid saved state).');
      panel.dispose();
      return;
    }
    let todos: DemoTodoRef[] = [];
    let section = state.section;
    const uri = section && (await validatedRestoredNote(section.uri, (m) => this.services.log.warn(m)));
    if (!uri) section = undefined;
    let sectionLabel = section?.title ?? '';
    if (section && uri) {
      try {
        const document = await vscode.workspace.openTextDocument(uri);
        ({ ref: section, todos } = this.sections.openTodos(document, section));
        sectionLabel = this.sections.sectionLabel(document, section.sectionIndex);
      } catch (err) {
        this.services.log.warn(`Demo panel restored without its note (${errorMessage(err)})`);
      }
    }
    // The demo may have been opened (or restored) while the note was read: keep that one.
    if (!this.panels.canRestore(state.demo)) {
      panel.dispose();
      return;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: this.html.localResourceRoots() };
    this.adopt(panel, { demo: state.demo, section }, todos, sectionLabel);
  }

  private adopt(panel: vscode.WebviewPanel, state: DemoPanelState, todos: DemoTodoRef[], sectionLabel: string): void {
    const entry = this.panels.add(panel, state, todos);
    this.retitle(entry, sectionLabel);
    panel.iconPath = vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'lectern.svg');
    const disposables: vscode.Disposable[] = [];
    disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.onMessage(entry, message)),
      panel.onDidChangeViewState(() => this.post(entry, { type: 'visibility', visible: panel.visible })),
      panel.onDidDispose(() => {
        for (const d of disposables) d.dispose();
        this.panels.disposed(entry);
      }),
    );
    this.render(entry);
  }

  private render(entry: OpenPanel): void {
    entry.panel.webview.html = this.html.page(entry.panel.webview, {
      panel: entry.state,
      backend: this.services.config.demosBackend(),
      todos: entry.todos,
    });
  }

  private reloadAll(): void {
    for (const entry of this.panels.all()) this.render(entry);
  }

  private async onMessage(entry: OpenPanel, message: unknown): Promise<void> {
    if (!isDemoFromWebview(message)) {
      this.services.log.warn(`Demo ${entry.state.demo}: ignored an invalid message from the webview`);
      return;
    }
    const msg: DemoFromWebview = message;
    switch (msg.type) {
      case 'ready':
        this.services.log.info(`Demo ${entry.state.demo} ready on ${msg.backend}: ${JSON.stringify(msg.summary)}`);
        return;
      case 'backendFallback':
        this.services.log.warn(`Demo ${entry.state.demo} fell back to the CPU backend: ${msg.reason}`);
        return;
      case 'error':
        this.services.log.error(`Demo ${entry.state.demo}: ${msg.message}`);
        return;
      case 'useAnswer':
        await this.useAnswer(entry, msg.todoId, msg.answer);
        return;
      default: {
        const unreachable: never = msg;
        return unreachable;
      }
    }
  }

  /** "Use as answer": the same resolve path as the command palette (one undo step). */
  private async useAnswer(entry: OpenPanel, todoId: string, answer: string): Promise<void> {
    const section = entry.state.section;
    const todo = entry.todos.find((t) => t.id === todoId);
    if (!section || !todo) {
      this.post(entry, { type: 'answerResult', todoId, ok: false, message: 'That TODO is no longer open in this section.' });
      return;
    }
    const ok = await applyResolve(vscode.Uri.parse(section.uri, true), todo.id, todo.text, answer, this.services);
    this.post(entry, { type: 'answerResult', todoId, ok, message: ok ? 'Written into the note (undo with Ctrl+Z in the editor).' : 'Not written: see the notification.' });
    await this.refreshTodos(entry);
  }

  private attachedTo(uri: vscode.Uri): boolean {
    return this.panels.attachedTo(uri.toString());
  }

  private scheduleTodoRefresh(): void {
    if (this.todoRefresh) clearTimeout(this.todoRefresh);
    this.todoRefresh = setTimeout(() => {
      this.todoRefresh = undefined;
      for (const entry of this.panels.all()) void this.refreshTodos(entry);
    }, 300);
  }

  private async refreshTodos(entry: OpenPanel): Promise<void> {
    const section = entry.state.section;
    if (!section) return;
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(section.uri, true));
      const { ref, todos } = this.sections.openTodos(document, section);
      this.panels.retarget(entry, ref, todos);
      this.retitle(entry, this.sections.sectionLabel(document, ref.sectionIndex));
      this.post(entry, { type: 'todos', section: ref, todos });
    } catch (err) {
      this.services.log.warn(`Demo ${entry.state.demo}: cannot refresh TODOs (${errorMessage(err)})`);
    }
  }

  private post(entry: OpenPanel, message: DemoToWebview): void {
    void entry.panel.webview.postMessage(message);
  }

  override dispose(): void {
    if (this.todoRefresh) clearTimeout(this.todoRefresh);
    for (const entry of this.panels.all()) entry.panel.dispose();
    super.dispose();
  }
}
