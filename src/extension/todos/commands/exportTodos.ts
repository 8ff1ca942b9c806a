import * as vscode from 'vscode';
import { exportTodosAsJson, exportTodosAsMarkdown } from '../../../core/todoExport';
import type { Command, TodoFeature } from './command';

interface FormatItem extends vscode.QuickPickItem {
  readonly format: 'markdown' | 'json';
}

/** Lectern: Export TODOs — every TODO as a Markdown checklist or as JSON, in a new untitled editor. */
export class ExportTodosCommand implements Command {
  readonly id = 'lectern.todo.export';

  constructor(private readonly feature: TodoFeature) {}

  async execute(format?: unknown): Promise<boolean> {
    const chosen =
      format === 'markdown' || format === 'json'
        ? format
        : (
            await vscode.window.showQuickPick<FormatItem>(
              [
                { label: 'Markdown checklist', description: 'grouped by note, lecture and section', format: 'markdown' },
                { label: 'JSON', description: 'the same shape as `lectern todos --json`', format: 'json' },
              ],
              { title: 'Export TODOs', placeHolder: 'Export format' },
            )
          )?.format;
    if (!chosen) return false;
    await this.feature.index.ready;
    const notes = this.feature.index.notes();
    const content = chosen === 'json' ? exportTodosAsJson(notes) : exportTodosAsMarkdown(notes);
    const document = await vscode.workspace.openTextDocument({ language: chosen, content });
    await vscode.window.showTextDocument(document, { preview: false });
    return true;
  }
}
