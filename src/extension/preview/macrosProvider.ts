import * as vscode from 'vscode';
import type { LecternConfig } from '../config';
import type { Logger } from '../log';
import { macrosKey, mergeMacros, parseMacroPreamble, sanitizeMacroObject } from '../../core/render/macros';
import type { MacroProblem, MathMacros } from '../../core/render/macros';
import { DIAGNOSTIC_SOURCE } from '../diagnosticSource';

export const PREAMBLE_PATH = '.lectern/macros.tex';

export interface DocumentMacros {
  readonly macros: MathMacros;
  /** Cache key of `macros` (equal sets, equal keys). */
  readonly key: string;
  /** The preamble file that contributed, if any. */
  readonly preamble?: vscode.Uri;
}

/**
 * The macros a note is rendered with, shared by the preview, the hover, the diagnostics and the
 * export: `lectern.math.macros` first, then the nearest `.lectern/macros.tex` from the note's folder
 * up to its workspace folder (the file wins on conflicts, being the more specific source).
 */
export class MacrosProvider implements vscode.Disposable {
  private readonly files = new Map<string, Promise<{ macros: MathMacros; problems: readonly MacroProblem[] } | undefined>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly problems = vscode.languages.createDiagnosticCollection('lectern-macros');

  constructor(
    private readonly config: LecternConfig,
    private readonly log: Logger,
  ) {
    this.disposables.push(this.problems);
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${PREAMBLE_PATH}`);
    const invalidate = (uri: vscode.Uri): void => {
      this.files.delete(uri.toString());
      this.problems.delete(uri);
      this.changed.fire();
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(invalidate),
      watcher.onDidChange(invalidate),
      watcher.onDidDelete(invalidate),
      this.config.onDidChange((change) => {
        if (change.affects('lectern.math.macros')) this.changed.fire();
      }),
    );
  }

  async forDocument(uri: vscode.Uri): Promise<DocumentMacros> {
    const fromSettings = sanitizeMacroObject(this.config.mathMacros(uri));
    if (fromSettings.problems.length > 0) this.log.warn(`lectern.math.macros: ${fromSettings.problems.map((p) => p.message).join('; ')}`);
    for (const candidate of this.preambleCandidates(uri)) {
      const parsed = await this.readPreamble(candidate);
      if (parsed) {
        const macros = mergeMacros(fromSettings.macros, parsed.macros);
        return { macros, key: macrosKey(macros), preamble: candidate };
      }
    }
    return { macros: fromSettings.macros, key: macrosKey(fromSettings.macros) };
  }

  /** The preamble a note uses (the nearest existing one), or where a new one would go: its folder. */
  async preambleFor(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
    return (await this.forDocument(uri)).preamble ?? this.preambleCandidates(uri)[0];
  }

  /** `.lectern/macros.tex` in the note's folder and each parent up to its workspace folder. */
  private preambleCandidates(uri: vscode.Uri): vscode.Uri[] {
    if (uri.scheme === 'untitled') {
      const folder = vscode.workspace.workspaceFolders?.[0];
      return folder ? [vscode.Uri.joinPath(folder.uri, PREAMBLE_PATH)] : [];
    }
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri;
    const candidates: vscode.Uri[] = [];
    let dir = vscode.Uri.joinPath(uri, '..');
    for (let depth = 0; depth < 12; depth++) {
      candidates.push(vscode.Uri.joinPath(dir, PREAMBLE_PATH));
      if (!root || dir.path === root.path || dir.path.length <= root.path.length) break;
      const parent = vscode.Uri.joinPath(dir, '..');
      if (parent.path === dir.path) break;
      dir = parent;
    }
    return candidates;
  }

  private readPreamble(uri: vscode.Uri): Promise<{ macros: MathMacros; problems: readonly MacroProblem[] } | undefined> {
    const key = uri.toString();
    let pending = this.files.get(key);
    if (!pending) {
      pending = (async () => {
        let bytes: Uint8Array;
        try {
          bytes = await vscode.workspace.fs.readFile(uri);
        } catch {
          return undefined; // No preamble here.
        }
        const parsed = parseMacroPreamble(new TextDecoder('utf-8').decode(bytes.subarray(0, 256 * 1024)));
        this.problems.set(
          uri,
          parsed.problems.map((p) => {
            const d = new vscode.Diagnostic(new vscode.Range(p.line, 0, p.line, 1000), p.message, vscode.DiagnosticSeverity.Warning);
            d.source = DIAGNOSTIC_SOURCE;
            return d;
          }),
        );
        return parsed;
      })();
      this.files.set(key, pending);
    }
    return pending;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.files.clear();
  }
}
