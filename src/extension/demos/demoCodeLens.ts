import * as vscode from 'vscode';
import type { ParseResult } from '../../core';
import { DEMO_INFO } from '../../core/demos/mapping';
import type { DemoSections } from './demoSections';
import { OPEN_DEMO_FOR_SECTION } from './demoCommands';

/** "▶ Run demo: Dropout" above the heading of every section with a demo (or above the paragraph that names it). */
export class DemoCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly sections: DemoSections) {}

  /** The parse each document's lenses came from. */
  private readonly provided = new Map<string, { parse: ParseResult; version: number }>();

  refresh(): void {
    this.changed.fire();
  }

  /** Asks VS Code for lenses again when a note was parsed again at the version they came from. */
  refreshIfReparsed(keys: ReadonlySet<string>): void {
    for (const key of keys) {
      const provided = this.provided.get(key);
      const note = this.sections.latest(key);
      if (provided && note && note.version === provided.version && note.parse !== provided.parse) {
        this.provided.delete(key);
        this.refresh();
        return;
      }
    }
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const found = await this.sections.demosOf(document, token);
    if (!found) return [];
    this.provided.set(document.uri.toString(), { parse: found.parse, version: document.version });
    return found.demos.map(({ demo, sectionIndex, line: at }) => {
      const line = Math.min(at, Math.max(0, document.lineCount - 1));
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: `▶ Run demo: ${DEMO_INFO[demo].title}`,
        tooltip: `Open the ${DEMO_INFO[demo].title} demo beside the notes`,
        command: OPEN_DEMO_FOR_SECTION,
        arguments: [{ uri: document.uri.toString(), sectionIndex, demo }],
      });
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
