import * as vscode from 'vscode';
import type { LecternConfigChange } from '../shared/settings';

/**
 * Typed access to the `lectern.*` settings. Every feature reads settings through here so the
 * names and defaults live in one place (and match `contributes.configuration` in package.json).
 */
export class LecternConfig {
  private section(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('lectern', scope);
  }

  todoTags(scope?: vscode.ConfigurationScope): string[] {
    const tags = this.section(scope).get<unknown>('todo.tags');
    if (Array.isArray(tags)) {
      const valid = tags.filter((t): t is string => typeof t === 'string' && /^[A-Z][A-Z0-9_]*$/.test(t));
      if (valid.length > 0) return valid;
    }
    return ['TODO', 'FIXME'];
  }

  /** Which files the TODO tree scans, relative to each workspace folder. */
  notesGlob(scope?: vscode.ConfigurationScope): string {
    const glob = this.section(scope).get<unknown>('notesGlob');
    return typeof glob === 'string' && glob.trim().length > 0 ? glob.trim() : '**/*.md';
  }

  /** Save the note right after resolving or reopening a TODO (otherwise it is left dirty). */
  todoSaveAfterResolve(scope?: vscode.ConfigurationScope): boolean {
    return this.section(scope).get<unknown>('todo.saveAfterResolve') === true;
  }

  /** Show open TODOs as Information diagnostics in the Problems panel. */
  todoShowInProblems(scope?: vscode.ConfigurationScope): boolean {
    return this.section(scope).get<unknown>('todo.showInProblems') === true;
  }

  /** Report KaTeX errors of Markdown files in the Problems panel. */
  mathDiagnostics(scope?: vscode.ConfigurationScope): boolean {
    return this.section(scope).get<unknown>('math.diagnostics') !== false;
  }

  /** KaTeX macros from settings (`{"\\R": "\\mathbb{R}"}`), unvalidated: the preview feature sanitises them. */
  mathMacros(scope?: vscode.ConfigurationScope): unknown {
    return this.section(scope).get<unknown>('math.macros');
  }

  /** Milliseconds of typing quiet before the preview and math diagnostics update. */
  previewDebounceMs(scope?: vscode.ConfigurationScope): number {
    const ms = this.section(scope).get<unknown>('preview.debounceMs');
    return typeof ms === 'number' && Number.isFinite(ms) ? Math.min(2000, Math.max(0, ms)) : 150;
  }

  /** The preview follows the active Markdown editor (otherwise it stays on the note it opened with). */
  previewFollowActiveEditor(scope?: vscode.ConfigurationScope): boolean {
    return this.section(scope).get<unknown>('preview.followActiveEditor') !== false;
  }

  /**
   * Backend of the demo panels: `auto` (hardware WebGL, else CPU), `webgl` (WebGL even on a software
   * renderer such as SwiftShader, else CPU), `cpu`. Changing it reloads open demo panels.
   */
  demosBackend(): 'auto' | 'webgl' | 'cpu' {
    const value = this.section().get<unknown>('demos.backend');
    return value === 'webgl' || value === 'cpu' ? value : 'auto';
  }

  /** `tabs`: one tab per demo in the demo column; `single`: opening a demo replaces the open one. */
  demosPanels(): 'tabs' | 'single' {
    return this.section().get<unknown>('demos.panels') === 'single' ? 'single' : 'tabs';
  }

  /**
   * Fires when a Lectern setting changed, with a change that can only be asked about Lectern's
   * settings (typed: a misspelt key does not compile).
   */
  onDidChange(listener: (change: LecternConfigChange) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('lectern')) listener({ affects: (scope) => event.affectsConfiguration(scope) });
    });
  }
}
