import * as vscode from 'vscode';

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

  /** True when a configuration change touches any Lectern setting. */
  static affects(event: vscode.ConfigurationChangeEvent, key = 'lectern'): boolean {
    return event.affectsConfiguration(key);
  }
}
