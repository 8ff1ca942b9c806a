import * as vscode from 'vscode';
import type { Services } from '../services';
import { NotesRenderer } from '../../core/render/renderNotes';
import { type BlockRenderUpdate, IncrementalNoteRender } from '../../core/render/incrementalRender';
import { macrosKey } from '../../core/render/macros';
import { MathRenderCache } from '../../core/render/mathCache';
import type { ParseResult, Section } from '../../core';
import { PREVIEW_VIEW_TYPE, isPreviewFromWebview, isPreviewState, previewBlockHtml } from '../../shared/protocol';
import type { PreviewFromWebview, PreviewState, PreviewToWebview } from '../../shared/protocol';
import type { MacrosProvider } from './macrosProvider';
import { PreviewHtml, moveInlineStyles, resolveLocalReference } from './previewHtml';
import { warmFormulas } from './warmFormulas';
import { PreviewContentSync, RenderScheduler } from './previewScheduling';
import { validatedRestoredNote } from '../restoredNote';
import { errorMessage } from '../../core/errors';
import { Disposable } from '../model/lifecycle';

/** Supplies the section → demo mapping once the demos feature provides one. */
export type DemoLookup = (document: vscode.TextDocument) => ((section: Section) => string | undefined) | undefined;

/** The last render of each document, for the bench and the e2e checks (`lectern.preview.stats`). */
export interface PreviewRenderStats {
  readonly uri: string;
  /** The synchronous render (markdown-it + cached formulas) of the blocks rendered. */
  readonly ms: number;
  /** Blocks rendered for this update: all of them on a full render, the changed ones after an edit. */
  readonly blocksRendered: number;
  /** Top-level blocks of the note. */
  readonly blocks: number;
  /** Wall clock of the sliced KaTeX warm-up before it (0 when every formula was cached). */
  readonly warmMs: number;
  /** Formulas in the blocks rendered (the whole note's on a full render). */
  readonly formulas: number;
  readonly formulasRendered: number;
  readonly mathErrors: number;
  readonly todoBadges: number;
}

/**
 * Owns every preview panel: creates them, restores them after a reload (WebviewPanelSerializer),
 * keeps them on the active Markdown editor, re-renders (debounced) as the note changes, and keeps
 * editor and preview scrolled to the same line. One NotesRenderer and one formula cache for all.
 */
export class PreviewManager extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly panels = new Set<PreviewPanel>();
  readonly renderer = new NotesRenderer({ cache: new MathRenderCache() });
  readonly html: PreviewHtml;
  lastStats: PreviewRenderStats | undefined;

  constructor(
    private readonly services: Services,
    private readonly macros: MacrosProvider,
    private readonly demoLookup: DemoLookup,
  ) {
    super();
    this.html = new PreviewHtml(services.context.extensionUri);
    this._registerAll(
      vscode.workspace.onDidChangeTextDocument((e) => {
        for (const panel of this.panels) if (panel.shows(e.document)) panel.scheduleRender();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!editor || editor.document.languageId !== 'markdown') return;
        for (const panel of this.panels) {
          if (!panel.locked && this.services.config.previewFollowActiveEditor(editor.document.uri)) void panel.show(editor.document);
        }
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        const first = e.visibleRanges[0];
        if (!first) return;
        for (const panel of this.panels) if (panel.shows(e.textEditor.document)) panel.editorScrolled(e.textEditor, first.start.line);
      }),
      macros.onDidChange(() => {
        for (const panel of this.panels) panel.scheduleRender(0);
      }),
      // A note parsed again at the version shown (the TODO tags changed): render it again. Edits
      // render through onDidChangeTextDocument above, on the preview's own debounce.
      services.notes.onDidChange((keys) => {
        for (const panel of this.panels) if (panel.reparsed(keys)) panel.scheduleRender(0);
      }),
    );
  }

  /** Opens (or reveals) the preview beside the editor, showing `document`. */
  async openToSide(document: vscode.TextDocument): Promise<void> {
    const existing = [...this.panels][0];
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      await existing.show(document);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      previewTitle(document.uri),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      this.panelOptions(document.uri),
    );
    await this.adopt(panel, document, undefined);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isPreviewState(state)) {
      panel.dispose();
      return;
    }
    const uri = await validatedRestoredNote(state.uri, (m) => this.services.log.warn(m));
    if (!uri) {
      panel.dispose();
      return;
    }
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      this.services.log.warn(`Preview of ${state.uri} not restored: ${errorMessage(e)}`);
      panel.dispose();
      return;
    }
    panel.webview.options = this.panelOptions(document.uri);
    await this.adopt(panel, document, state);
  }

  private async adopt(panel: vscode.WebviewPanel, document: vscode.TextDocument, state: PreviewState | undefined): Promise<void> {
    const preview = new PreviewPanel(panel, this, this.services, this.macros, this.demoLookup);
    this.panels.add(preview);
    panel.onDidDispose(() => this.panels.delete(preview));
    await preview.show(document, state?.line);
  }

  panelOptions(document: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, enableFindWidget: true, localResourceRoots: this.html.localResourceRoots(document) };
  }

  override dispose(): void {
    for (const panel of this.panels) panel.panel.dispose();
    this.panels.clear();
    super.dispose();
  }
}

class PreviewPanel {
  private document: vscode.TextDocument | undefined;
  private readonly scheduler = new RenderScheduler(() => this.renderAndPost());
  /** The note as blocks: an edit re-renders only the blocks it changed. */
  private readonly blocks: IncrementalNoteRender;
  /** What the webview shows, so a patch goes out only when it applies. */
  private readonly sync = new PreviewContentSync();
  /** Editor scrolls caused by the preview must not bounce back. */
  private ignoreEditorScrollUntil = 0;
  private ready = false;
  /** A render was skipped while the webview was still loading: send one once it is ready. */
  private missedRender = false;
  /** The parse the last render used. */
  private renderedParse: ParseResult | undefined;
  locked = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly manager: PreviewManager,
    private readonly services: Services,
    private readonly macros: MacrosProvider,
    private readonly demoLookup: DemoLookup,
  ) {
    this.blocks = new IncrementalNoteRender(manager.renderer);
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'lectern.svg');
    panel.onDidDispose(() => this.scheduler.dispose());
    // A hidden webview is discarded and rebuilt from the first HTML it got: refresh it once it is back.
    panel.onDidChangeViewState(() => {
      if (panel.visible) return;
      this.missedRender = true;
      this.sync.lost();
    });
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (!isPreviewFromWebview(message)) {
        services.log.warn('Preview: ignored an invalid message from the webview');
        return;
      }
      void this.onMessage(message).catch((e: unknown) => services.log.error(e instanceof Error ? e : String(e)));
    });
  }

  get documentUri(): string | undefined {
    return this.document?.uri.toString();
  }

  /** The note shown was parsed again at the version last rendered (not by an edit). */
  reparsed(keys: ReadonlySet<string>): boolean {
    const key = this.document?.uri.toString();
    if (!key || !keys.has(key) || !this.renderedParse) return false;
    const note = this.services.notes.model.get(key);
    return note !== undefined && note.version === this.document?.version && note.parse !== this.renderedParse;
  }

  shows(document: vscode.TextDocument): boolean {
    return this.document !== undefined && this.document.uri.toString() === document.uri.toString();
  }

  /** Shows `document`: the first time the whole webview document, afterwards a `render` message. */
  async show(document: vscode.TextDocument, line?: number): Promise<void> {
    const switching = !this.shows(document);
    this.document = document;
    this.panel.title = previewTitle(document.uri);
    // New resource roots reload the webview: only when the new note's folder is not covered yet.
    const reload = !this.ready || !this.manager.html.covers(this.panel.webview.options.localResourceRoots ?? [], document.uri);
    if (reload) this.panel.webview.options = this.manager.panelOptions(document.uri);
    const update = await this.renderDocument();
    if (!update) return;
    if (this.document !== document) {
      this.sync.lost(); // The blocks moved on without the webview.
      return;
    }
    const stats = this.manager.lastStats;
    if (switching && stats) {
      this.services.log.info(
        `Preview of ${document.uri.path.split('/').pop()} rendered in ${stats.ms.toFixed(1)} ms after ${stats.warmMs.toFixed(1)} ms of KaTeX warm-up ` +
          `(${stats.formulasRendered} of ${stats.formulas} formulas through KaTeX, ${stats.mathErrors} errors)`,
      );
    }
    if (reload) {
      const editorLine = line ?? firstVisibleLine(document);
      this.ready = false;
      this.panel.webview.html = this.manager.html.shell(
        this.panel.webview,
        { uri: document.uri.toString(), line: editorLine },
        this.panel.title,
        this.blocks
          .html()
          .map((b) => previewBlockHtml(moveInlineStyles(b)))
          .join(''),
      );
      this.sync.shellSent();
    } else {
      if (switching) this.sync.lost();
      this.post(this.sync.message(document.uri.toString(), this.panel.title, update, () => this.blocks.html(), moveInlineStyles));
    }
  }

  scheduleRender(delay = this.services.config.previewDebounceMs(this.document?.uri)): void {
    this.scheduler.schedule(delay);
  }

  private renderAndPost(): void {
    const document = this.document;
    if (!document) return;
    void this.renderDocument().then(
      (update) => {
        if (!update) return;
        if (!this.ready || this.document !== document) {
          this.missedRender = true;
          this.sync.lost();
          return;
        }
        this.post(this.sync.message(document.uri.toString(), this.panel.title, update, () => this.blocks.html(), moveInlineStyles));
      },
      (err: unknown) => {
        // A parse cut short (the worker disposed on deactivation) or a render that threw midway:
        // the blocks may be half updated, so the next render starts from the whole note.
        this.services.log.warn(`Preview render failed: ${errorMessage(err)}`);
        this.blocks.reset();
        this.sync.lost();
      },
    );
  }

  editorScrolled(editor: vscode.TextEditor, line: number): void {
    if (Date.now() < this.ignoreEditorScrollUntil || !this.ready) return;
    void editor;
    this.post({ type: 'scrollToLine', line });
  }

  private async renderDocument(): Promise<BlockRenderUpdate | undefined> {
    const document = this.document;
    if (!document) return undefined;
    const isStale = this.scheduler.begin();
    const { macros } = await this.macros.forDocument(document.uri);
    if (isStale()) return undefined; // A newer render is under way.
    const version = document.version;
    const parsed = await this.services.notes.parse(document);
    if (!parsed || isStale() || document.version !== version) return undefined;
    this.renderedParse = parsed;
    // KaTeX work in slices first, so the synchronous render below only meets cache hits.
    const warmStarted = performance.now();
    const missesBefore = this.manager.renderer.cache.stats().misses;
    const warmed = await warmFormulas(parsed.math, this.manager.renderer.cache, macros, () => isStale() || document.version !== version);
    if (!warmed) return undefined;
    const warmMs = performance.now() - warmStarted;
    const started = performance.now();
    this.manager.renderer.setMacros(macros);
    const update = this.blocks.update(
      document.getText(),
      {
        parsed,
        interactive: true,
        resolveImageSrc: this.manager.html.imageResolver(this.panel.webview, document.uri),
        demoForSection: this.demoLookup(document),
      },
      // What the blocks' HTML depends on besides the note: which note (image paths) and the macros.
      `${document.uri.toString()}\u0001${macrosKey(macros)}`,
    );
    const ms = performance.now() - started;
    const rendered = update.stats;
    this.manager.lastStats = {
      uri: document.uri.toString(),
      ms,
      warmMs,
      blocksRendered: rendered.blocksRendered,
      blocks: rendered.blocks,
      formulas: rendered.formulas,
      // KaTeX renders during the warm-up and the render (the diagnostics share the cache and may add a few).
      formulasRendered: this.manager.renderer.cache.stats().misses - missesBefore,
      mathErrors: rendered.mathErrors,
      todoBadges: rendered.todoBadges,
    };
    this.services.log.trace(
      `Preview rendered ${document.uri.fsPath}: ${rendered.blocksRendered} of ${rendered.blocks} blocks in ${ms.toFixed(1)} ms + ${warmMs.toFixed(1)} ms warm-up (${this.manager.lastStats.formulasRendered}/${rendered.formulas} formulas through KaTeX)`,
    );
    return update;
  }

  private post(message: PreviewToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: PreviewFromWebview): Promise<void> {
    switch (message.type) {
      case 'outOfSync':
        this.sync.lost();
        this.scheduleRender(0);
        return;
      case 'ready': {
        this.ready = true;
        // Rebuilt from the shell (shown again, moved, reloaded): whatever was posted since is gone.
        const behind = this.sync.rebuilt();
        if (this.missedRender || behind) {
          this.missedRender = false;
          this.sync.lost();
          this.scheduleRender(0);
        }
        return;
      }
      case 'revealLine':
        this.revealInEditors(message.line, false);
        return;
      case 'selectLine':
        this.revealInEditors(message.line, true);
        return;
      case 'resolveTodo': {
        const document = this.document;
        const todo = document ? (await this.services.notes.parse(document))?.todos.find((t) => t.id === message.todoId) : undefined;
        if (!document || !todo) {
          void vscode.window.showInformationMessage('Lectern: that TODO is no longer in the note.');
          return;
        }
        // The TODO feature's argument shape: `{ uri, id, text }`.
        await this.runIfRegistered('lectern.todo.resolve', 'Resolving TODOs needs the TODO feature', { uri: document.uri, id: todo.id, text: todo.text });
        return;
      }
      case 'openDemo':
        if (!this.document) return;
        // The demos feature's argument shape: `{ uri, sectionIndex, demo }`.
        await this.runIfRegistered('lectern.demo.openForSection', 'Demos are not available', {
          uri: this.document.uri,
          sectionIndex: message.sectionIndex,
          demo: message.demo,
        });
        return;
      case 'openLink':
        await this.openLink(message.href);
        return;
      default: {
        const unexpected: never = message;
        this.services.log.warn(`Preview: unhandled message ${JSON.stringify(unexpected)}`);
      }
    }
  }

  private revealInEditors(line: number, select: boolean): void {
    const document = this.document;
    if (!document) return;
    const whole = Math.max(0, Math.min(Math.floor(line), document.lineCount - 1));
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== document.uri.toString()) continue;
      this.ignoreEditorScrollUntil = Date.now() + 200;
      const position = new vscode.Position(whole, 0);
      if (select) editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), select ? vscode.TextEditorRevealType.InCenterIfOutsideViewport : vscode.TextEditorRevealType.AtTop);
    }
    if (select) {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
      if (editor) void vscode.window.showTextDocument(document, editor.viewColumn);
    }
  }

  private async runIfRegistered(command: string, unavailable: string, ...args: unknown[]): Promise<void> {
    const commands = await vscode.commands.getCommands(true);
    if (!commands.includes(command)) {
      void vscode.window.showInformationMessage(`${unavailable} (command ${command} is not registered).`);
      return;
    }
    await vscode.commands.executeCommand(command, ...args);
  }

  /** Links from an untrusted note: http(s)/mailto open externally, local files in the editor, nothing else. */
  private async openLink(href: string): Promise<void> {
    const document = this.document;
    if (/^(https?|mailto):/i.test(href)) {
      await vscode.env.openExternal(vscode.Uri.parse(href, true));
      return;
    }
    if (!document) return;
    const target = resolveLocalReference(document.uri, href);
    if (!target) {
      this.services.log.warn(`Preview: not opening link ${href}`);
      return;
    }
    try {
      await vscode.commands.executeCommand('vscode.open', target);
    } catch (e) {
      void vscode.window.showWarningMessage(`Could not open ${href}: ${errorMessage(e)}`);
    }
  }
}

function previewTitle(uri: vscode.Uri): string {
  const name = uri.path.split('/').pop() ?? 'note';
  return `Preview ${name}`;
}

function firstVisibleLine(document: vscode.TextDocument): number {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString());
  return editor?.visibleRanges[0]?.start.line ?? 0;
}

export type { PreviewState };
