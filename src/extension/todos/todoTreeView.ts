import * as vscode from 'vscode';
import { TodoTreeState } from '../model/todoTreeState';
import { todoLabel, sectionPathLabel } from '../../core/todoLabels';
import type { TodoCounts, TodoLeafNode, TodoTree, TodoTreeNode } from '../../core/todoTree';
import type { Services } from '../services';
import type { TodoIndex } from './todoIndex';
import { Disposable } from '../model/lifecycle';

export const TODO_VIEW_ID = 'lectern.todos';
const SHOW_RESOLVED_KEY = 'lectern.todos.showResolved';

/** What the welcome view says when the tree is empty; mirrored in `contributes.viewsWelcome`. */
type ViewState = 'loading' | 'noNotes' | 'noTodos' | 'allResolved' | 'ready';

function countsText(c: TodoCounts): string {
  return `${c.open} / ${c.total}`;
}

/** Maps the pure tree model to tree items; rebuilt from the index whenever a note changes. */
export class TodoTreeProvider implements vscode.TreeDataProvider<TodoTreeNode> {
  private readonly state = new TodoTreeState();
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TodoTreeNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor(private readonly index: TodoIndex) {}

  get current(): TodoTree {
    return this.state.tree;
  }

  rebuild(showResolved: boolean): TodoTree {
    const { tree, changed } = this.state.rebuild(this.index.notes(), showResolved);
    if (changed) this._onDidChangeTreeData.fire(undefined);
    return tree;
  }

  /** The leaf currently showing a TODO, for `TreeView.reveal`. */
  findLeaf(fileKey: string, todoId: string): TodoLeafNode | undefined {
    return this.state.findLeaf(fileKey, todoId);
  }

  getChildren(element?: TodoTreeNode): TodoTreeNode[] {
    if (!element) return [...this.state.tree.roots];
    return element.kind === 'todo' ? [] : [...element.children];
  }

  getParent(element: TodoTreeNode): TodoTreeNode | undefined {
    return this.state.parentOf(element);
  }

  getTreeItem(node: TodoTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('root-folder');
        item.description = countsText(node.counts);
        item.tooltip = `${node.folder.name}: ${node.counts.open} open of ${node.counts.total} TODOs`;
        item.contextValue = 'lectern.todoFolder';
        return item;
      }
      case 'file': {
        const uri = vscode.Uri.parse(node.fileKey);
        const slash = node.path.lastIndexOf('/');
        const item = new vscode.TreeItem(slash >= 0 ? node.path.slice(slash + 1) : node.path, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.resourceUri = uri;
        item.iconPath = vscode.ThemeIcon.File;
        item.description = slash >= 0 ? `${countsText(node.counts)} · ${node.path.slice(0, slash)}` : countsText(node.counts);
        const tooltip = new vscode.MarkdownString();
        tooltip.appendText(node.path);
        if (node.documentTitle) tooltip.appendMarkdown('\n\n').appendText(node.documentTitle);
        tooltip.appendMarkdown('\n\n').appendText(`${node.counts.open} open of ${node.counts.total} TODOs`);
        item.tooltip = tooltip;
        item.contextValue = 'lectern.todoFile';
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(node.title || '(untitled)', vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('symbol-string');
        item.description = countsText(node.counts);
        item.tooltip = `${sectionPathLabel(node.path)}\n${node.counts.open} open of ${node.counts.total} TODOs`;
        item.contextValue = 'lectern.todoSection';
        return item;
      }
      case 'todo':
        return leafItem(node);
    }
  }

  dispose(): void {
    this._onDidChangeTreeData.dispose();
  }
}

function leafItem(node: TodoLeafNode): vscode.TreeItem {
  const { todo } = node;
  const open = todo.status === 'open';
  const line = todo.span.range.start.line + 1;
  const label = todoLabel(todo);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = `L${line}`;
  // Theme colours, so light, dark and high-contrast themes each get a readable colour.
  item.iconPath = open
    ? new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('list.warningForeground'))
    : new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
  item.contextValue = open ? 'lectern.todo.open' : 'lectern.todo.resolved';
  item.accessibilityInformation = { label: `${open ? 'Open' : 'Resolved'} ${todo.tag}: ${label}, line ${line}`, role: 'treeitem' };

  // Notes are untrusted: appendText escapes, and the string is not trusted (no command links).
  const tooltip = new vscode.MarkdownString();
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  tooltip.appendMarkdown(open ? '**Open** ' : '**Resolved** ').appendText(todo.tag === 'task' ? 'task' : todo.tag);
  tooltip.appendMarkdown('\n\n').appendText(todo.text || '(no question)');
  if (!open) {
    tooltip.appendMarkdown('\n\n---\n\n**Answer:** ').appendText(todo.answer ? todo.answer : '(marked done without an answer)');
  }
  tooltip.appendMarkdown('\n\n---\n\n').appendText(
    `${todo.sectionPath.length > 0 ? `${sectionPathLabel(todo.sectionPath)} — ` : ''}${node.path}:${line}`,
  );
  item.tooltip = tooltip;
  item.command = { command: 'lectern.todo.reveal', title: 'Reveal TODO', arguments: [node] };
  return item;
}

/**
 * The TODOs view: provider, badge, the open-only / all toggle (a context key swaps the two
 * title-bar commands) and the welcome-view state.
 */
export class TodoTreeView extends Disposable {
  readonly provider: TodoTreeProvider;
  readonly view: vscode.TreeView<TodoTreeNode>;
  private _showResolved: boolean;

  constructor(private readonly services: Services, private readonly index: TodoIndex) {
    super();
    this.provider = new TodoTreeProvider(index);
    this.view = vscode.window.createTreeView(TODO_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true });
    this._showResolved = services.context.workspaceState.get<boolean>(SHOW_RESOLVED_KEY, false);
    this._registerAll(this.view, this.provider, index.onDidChange(() => this.refresh()));
    this.refresh();
  }

  get showResolved(): boolean {
    return this._showResolved;
  }

  async setShowResolved(show: boolean): Promise<void> {
    this._showResolved = show;
    await this.services.context.workspaceState.update(SHOW_RESOLVED_KEY, show);
    this.refresh();
  }

  refresh(): void {
    const tree = this.provider.rebuild(this._showResolved);
    const { open, total } = tree.counts;
    this.view.badge = open > 0 ? { value: open, tooltip: `${open} open TODO${open === 1 ? '' : 's'}` } : undefined;
    const state: ViewState =
      this.index.state === 'loading' && tree.fileCount === 0
        ? 'loading'
        : tree.fileCount === 0
          ? 'noNotes'
          : total === 0
            ? 'noTodos'
            : open === 0 && !this._showResolved
              ? 'allResolved'
              : 'ready';
    void setContext('lectern.todos.showResolved', this._showResolved);
    void setContext('lectern.todos.state', state);
    void setContext('lectern.todos.hasOpen', open > 0);
    void setContext('lectern.todos.hasResolved', open < total);
  }

  /** Selects the leaf of a TODO if the tree shows it (used after Next/Previous). */
  async reveal(fileKey: string, todoId: string): Promise<void> {
    const leaf = this.provider.findLeaf(fileKey, todoId);
    if (leaf && this.view.visible) await this.view.reveal(leaf, { select: true, focus: false, expand: true });
  }

}

const contextValues = new Map<string, unknown>();

/** Sets a context key only when its value changes (each call is a round trip to the renderer). */
export function setContext(key: string, value: unknown): Thenable<unknown> | undefined {
  if (contextValues.has(key) && contextValues.get(key) === value) return undefined;
  contextValues.set(key, value);
  return vscode.commands.executeCommand('setContext', key, value);
}
