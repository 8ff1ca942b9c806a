import * as vscode from 'vscode';
import { DEMO_IDS, DEMO_INFO, isDemoId, type DemoId } from '../../core/demos/mapping';
import { isRecord } from '../../shared/protocol';
import type { Services } from '../services';
import type { DemoPanelManager } from './demoPanelManager';
import type { DemoSections } from './demoSections';

export const OPEN_DEMO = 'lectern.demo.open';
export const OPEN_DEMO_FOR_SECTION = 'lectern.demo.openForSection';

/** The panel manager as the commands see it: loaded on the first `open` (src/extension/demos/register.ts). */
export type DemoPanels = Pick<DemoPanelManager, 'open'>;

interface DemoCommandContext {
  readonly services: Services;
  readonly sections: DemoSections;
  readonly panels: DemoPanels;
}

/** Arguments from the CodeLens and the preview: `{ uri, sectionIndex, demo? }`. */
interface SectionArgs {
  readonly uri: vscode.Uri;
  readonly sectionIndex: number;
  readonly demo?: DemoId;
}

function parseSectionArgs(arg: unknown): SectionArgs | undefined {
  if (!isRecord(arg)) return undefined;
  const { uri, sectionIndex, demo } = arg;
  if (!Number.isInteger(sectionIndex) || (sectionIndex as number) < 0) return undefined;
  let parsed: vscode.Uri;
  if (uri instanceof vscode.Uri) parsed = uri;
  else if (typeof uri === 'string' && uri.length > 0 && uri.length < 8192) {
    try {
      parsed = vscode.Uri.parse(uri, true);
    } catch {
      return undefined;
    }
  } else return undefined;
  return { uri: parsed, sectionIndex: sectionIndex as number, demo: isDemoId(demo) ? demo : undefined };
}

/** Lectern: Open Demo… — a quick pick of all demos (or `{ demo }` directly). */
export class OpenDemoCommand {
  readonly id = OPEN_DEMO;
  constructor(private readonly ctx: DemoCommandContext) {}

  async execute(arg?: unknown): Promise<void> {
    let demo: DemoId | undefined = isRecord(arg) && isDemoId(arg.demo) ? arg.demo : isDemoId(arg) ? arg : undefined;
    if (!demo) {
      const picked = await vscode.window.showQuickPick(
        DEMO_IDS.map((id) => ({ label: DEMO_INFO[id].title, detail: DEMO_INFO[id].description, id })),
        { title: 'Lectern: Open Demo', placeHolder: 'Which demo?', matchOnDetail: true },
      );
      if (!picked) return;
      demo = picked.id;
    }
    // Attach the demo to its section of the active note, when it has one.
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.languageId === 'markdown') {
      const { demos } = this.ctx.sections.demos(editor.document);
      const hit = demos.find((d) => d.demo === demo);
      if (hit) {
        await this.ctx.panels.open(demo, editor.document, hit.sectionIndex);
        return;
      }
    }
    await this.ctx.panels.open(demo, undefined, undefined);
  }
}

/** Lectern: Open Demo for Current Section — also `{ uri, sectionIndex, demo? }` from CodeLens and preview. */
export class OpenDemoForSectionCommand {
  readonly id = OPEN_DEMO_FOR_SECTION;
  constructor(private readonly ctx: DemoCommandContext) {}

  async execute(arg?: unknown): Promise<void> {
    let document: vscode.TextDocument;
    let sectionIndex: number;
    let demo: DemoId | undefined;
    let cursorLine: number | undefined;
    const args = parseSectionArgs(arg);
    if (arg !== undefined && !args) {
      this.ctx.services.log.warn(`${this.id}: ignored malformed arguments ${safeJson(arg)}`);
    }
    if (args) {
      document = await vscode.workspace.openTextDocument(args.uri);
      sectionIndex = args.sectionIndex;
      demo = args.demo;
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'markdown') {
        void vscode.window.showInformationMessage('Lectern: open a Markdown note and put the cursor in a section to open its demo.');
        return;
      }
      document = editor.document;
      cursorLine = editor.selection.active.line;
      sectionIndex = this.ctx.sections.sectionAtLine(document, cursorLine);
    }
    const sections = this.ctx.sections.parse(document).sections;
    if (!sections[sectionIndex]) {
      void vscode.window.showWarningMessage(`Lectern: the note has no section ${sectionIndex} (it changed?). Nothing opened.`);
      return;
    }
    if (!demo) {
      const found = this.ctx.sections.demoAtOrAbove(document, sectionIndex, cursorLine);
      if (!found) {
        const title = sections[sectionIndex].title || 'the text before the first heading';
        const choice = await vscode.window.showInformationMessage(
          `Lectern: no demo for "${title}". Add <!-- lectern-demo: ${DEMO_IDS[0]} --> (or ${DEMO_IDS.slice(1).join(', ')}) to the section to choose one.`,
          'Open Demo…',
        );
        if (choice) await vscode.commands.executeCommand(OPEN_DEMO);
        return;
      }
      demo = found.demo;
      sectionIndex = found.sectionIndex;
    }
    await this.ctx.panels.open(demo, document, sectionIndex);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}
