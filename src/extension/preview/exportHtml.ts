import * as vscode from 'vscode';
import type { Services } from '../services';
import type { MacrosProvider } from './macrosProvider';
import type { NotesRenderer } from '../../core/render/renderNotes';
import { resolveLocalReference } from './previewHtml';
import { EXPORT_ASSETS_FOLDER, exportTitle, standaloneHtml } from '../../core/render/htmlPage';
import { relativeHref } from '../../core/relativePath';


/**
 * Lectern: Export HTML — one standalone .html of a note that renders offline (KaTeX CSS and fonts
 * copied alongside) and prints well (print rules in preview.css). No script in the output.
 * Arguments (optional, for tests and keybindings): the note's URI and the target file's URI.
 */
export class ExportHtmlCommand {
  static readonly id = 'lectern.preview.exportHtml';

  constructor(
    private readonly services: Services,
    private readonly macros: MacrosProvider,
    private readonly renderer: () => Promise<NotesRenderer>,
  ) {}

  async execute(noteArg?: unknown, targetArg?: unknown): Promise<vscode.Uri | undefined> {
    const noteUri = noteArg instanceof vscode.Uri ? noteArg : vscode.window.activeTextEditor?.document.uri;
    if (!noteUri) {
      void vscode.window.showWarningMessage('Lectern: open a Markdown note to export it.');
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(noteUri);
    if (document.languageId !== 'markdown') {
      void vscode.window.showWarningMessage('Lectern: Export HTML works on Markdown notes.');
      return undefined;
    }
    let target = targetArg instanceof vscode.Uri ? targetArg : undefined;
    if (!target) {
      const suggested = noteUri.scheme === 'untitled' ? undefined : noteUri.with({ path: noteUri.path.replace(/\.[^/.]*$/, '') + '.html' });
      target = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: { HTML: ['html'] }, saveLabel: 'Export' });
      if (!target) return undefined;
    }
    const targetDir = vscode.Uri.joinPath(target, '..');
    const [renderer, { macros }, parsed] = await Promise.all([this.renderer(), this.macros.forDocument(document.uri), this.services.notes.parse(document)]);
    if (!parsed) return undefined; // Closed meanwhile.
    renderer.setMacros(macros);
    const rendered = renderer.render(document.getText(), {
      parsed,
      interactive: false,
      // Images stay where they are: point at them relative to the exported file.
      resolveImageSrc: (src) => {
        const file = resolveLocalReference(document.uri, src);
        // Same file system (a local folder, a remote one, a virtual one): a relative link works.
        if (!file || file.scheme !== targetDir.scheme || file.authority !== targetDir.authority) return undefined;
        // Windows file paths (`/c:/…`) compare without case, as the file system does.
        return relativeHref(targetDir.path, file.path, { ignoreCase: file.scheme === 'file' && /^\/[A-Za-z]:/.test(file.path) });
      },
    });
    const title = exportTitle(document.uri.path);
    await this.copyAssets(vscode.Uri.joinPath(targetDir, EXPORT_ASSETS_FOLDER));
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(standaloneHtml(title, rendered.html)));
    this.services.log.info(`Exported ${document.uri.fsPath} to ${target.fsPath} (${rendered.formulas} formulas, ${rendered.mathErrors} errors)`);
    if (!(targetArg instanceof vscode.Uri)) {
      const open = await vscode.window.showInformationMessage(`Exported ${target.path.slice(target.path.lastIndexOf('/') + 1)}.`, 'Open in Browser');
      if (open) await vscode.env.openExternal(target);
    }
    return target;
  }

  private async copyAssets(folder: vscode.Uri): Promise<void> {
    const extension = this.services.context.extensionUri;
    const katexDir = vscode.Uri.joinPath(extension, 'dist', 'webview', 'katex');
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder, 'fonts'));
    const copy = (from: vscode.Uri, to: vscode.Uri): Thenable<void> => vscode.workspace.fs.copy(from, to, { overwrite: true });
    await copy(vscode.Uri.joinPath(katexDir, 'katex.min.css'), vscode.Uri.joinPath(folder, 'katex.min.css'));
    await copy(vscode.Uri.joinPath(extension, 'media', 'preview.css'), vscode.Uri.joinPath(folder, 'preview.css'));
    for (const [name, type] of await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(katexDir, 'fonts'))) {
      if (type === vscode.FileType.File) await copy(vscode.Uri.joinPath(katexDir, 'fonts', name), vscode.Uri.joinPath(folder, 'fonts', name));
    }
  }
}
