import * as vscode from 'vscode';
import { DEMO_INFO } from '../../core/demos/mapping';
import type { DemoSections } from './demoSections';
import { OPEN_DEMO_FOR_SECTION } from './demoCommands';

/** "▶ Run demo: Dropout" above the heading of every section with a demo (or above the paragraph that names it). */
export class DemoCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly sections: DemoSections) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const { demos } = this.sections.demos(document);
    return demos.map(({ demo, sectionIndex, line: at }) => {
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
