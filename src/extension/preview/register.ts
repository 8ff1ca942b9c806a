import * as vscode from 'vscode';
import type { Services } from '../services';
import { PREVIEW_VIEW_TYPE } from '../../shared/protocol';
import { MacrosProvider } from './macrosProvider';
import { MathHoverProvider } from './mathHover';
import { DEFINE_MACRO_COMMAND, DefineMacroCodeActions, defineMacro } from './defineMacroFix';
import type { DemoLookup, PreviewManager, PreviewRenderStats } from './previewManager';
import { demoIdsBySection } from '../../core/demos/mapping';
import type { MathDiagnostics } from './mathDiagnostics';
import { registerCommands } from '../commands';

export const OPEN_PREVIEW_COMMAND = 'lectern.preview.openToSide';
export const EXPORT_HTML_COMMAND = 'lectern.preview.exportHtml';
/** Internal: the last preview render's numbers (for the bench and end-to-end tests). */
export const PREVIEW_STATS_COMMAND = 'lectern.preview.stats';

const MARKDOWN: vscode.DocumentSelector = [{ language: 'markdown' }];

/**
 * Registers the preview feature; every disposable goes to `services.context.subscriptions`.
 * Activation stays light: the preview manager (renderer, webview plumbing) loads on the first
 * "Open Preview" or panel restore, the hover's SVG renderer on the first hover, and the math
 * diagnostics (with KaTeX) after activation returns, once a Markdown document is open.
 */
export function registerPreviewFeatures(services: Services): void {
  const { context } = services;
  const macros = new MacrosProvider(services.config, services.log);
  context.subscriptions.push(macros);

  let manager: Promise<PreviewManager> | undefined;
  const getManager = (): Promise<PreviewManager> =>
    (manager ??= import(/* webpackChunkName: "preview" */ './previewManager').then(({ PreviewManager }) => {
      const created = new PreviewManager(services, macros, demoLookup(services));
      context.subscriptions.push(created);
      return created;
    }));

  let diagnostics: Promise<MathDiagnostics> | undefined;
  const startDiagnostics = (): Promise<MathDiagnostics> =>
    (diagnostics ??= Promise.all([import(/* webpackChunkName: "mathDiagnostics" */ './mathDiagnostics'), getManager()]).then(([{ MathDiagnostics }, m]) => {
      const created = new MathDiagnostics(services, macros, m.renderer.cache);
      context.subscriptions.push(created);
      return created;
    }));

  // The preview's commands go through the one wrapper (errors become a message and a log line).
  registerCommands(services, [
    {
      id: OPEN_PREVIEW_COMMAND,
      execute: async (uri?: unknown) => {
        const document = await markdownDocument(uri);
        if (!document) {
          void vscode.window.showWarningMessage('Lectern: open a Markdown note to preview it.');
          return;
        }
        await (await getManager()).openToSide(document);
      },
    },
    {
      id: EXPORT_HTML_COMMAND,
      execute: async (uri?: unknown, target?: unknown) => {
        const [{ ExportHtmlCommand }, m] = await Promise.all([import(/* webpackChunkName: "exportHtml" */ './exportHtml'), getManager()]);
        return new ExportHtmlCommand(services, macros, () => Promise.resolve(m.renderer)).execute(uri, target);
      },
    },
    {
      id: PREVIEW_STATS_COMMAND,
      execute: async (): Promise<PreviewRenderStats | undefined> => (manager ? (await manager).lastStats : undefined),
    },
    { id: DEFINE_MACRO_COMMAND, execute: (target: unknown, name: unknown) => defineMacro(target, name) },
  ]);
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => (await getManager()).deserializeWebviewPanel(panel, state),
    }),
    vscode.languages.registerHoverProvider(MARKDOWN, new MathHoverProvider(services, macros)),
    vscode.languages.registerCodeActionsProvider(MARKDOWN, new DefineMacroCodeActions(macros), { providedCodeActionKinds: DefineMacroCodeActions.kinds }),
  );

  // Diagnostics start (loading KaTeX) once a Markdown document is open: right after activation
  // for the ones already open, else with the first one opened — not while a folder's TODO tree,
  // the usual first thing on screen, is being built.
  const start = () => void startDiagnostics().catch((e: unknown) => services.log.error(e instanceof Error ? e : String(e)));
  const isMarkdown = (d: vscode.TextDocument) => d.languageId === 'markdown';
  setTimeout(() => {
    if (vscode.workspace.textDocuments.some(isMarkdown)) return start();
    const waiting = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isMarkdown(d)) return;
      waiting.dispose();
      start();
    });
    context.subscriptions.push(waiting);
  }, 0);
}

async function markdownDocument(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) {
    try {
      return await vscode.workspace.openTextDocument(uri);
    } catch {
      return undefined;
    }
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'markdown') return active;
  return vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'markdown')?.document;
}

/** The "▶ demo" buttons: the demos feature's section → demo mapping (markers, titles, body). */
function demoLookup(services: Services): DemoLookup {
  return (document) => {
    const ids = demoIdsBySection(services.notes.parseNow(document), document.getText());
    return (section) => ids[section.index];
  };
}
