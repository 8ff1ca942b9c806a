import { buildTodoTree, sameTreeView, walkTodoTree } from '../../core/todoTree';
import type { TodoFileInput, TodoLeafNode, TodoTree, TodoTreeNode } from '../../core/todoTree';

/**
 * What the TODO view holds between refreshes, without `vscode`: the tree built from the model's
 * notes, each node's parent (for `TreeView.reveal`), and whether the last rebuild changed anything
 * visible. `TodoTreeProvider` maps it to tree items; the benchmark runs exactly this code.
 */
export class TodoTreeState {
  private _tree: TodoTree = { roots: [], counts: { open: 0, total: 0 }, fileCount: 0 };
  private parents = new Map<string, TodoTreeNode | undefined>();

  get tree(): TodoTree {
    return this._tree;
  }

  /** Rebuilds from `notes`; `changed` is false when nothing visible changed (so the view need not refresh). */
  rebuild(notes: readonly TodoFileInput[], showResolved: boolean): { tree: TodoTree; changed: boolean } {
    const shown = this._tree;
    this._tree = buildTodoTree(notes, { showResolved });
    this.parents = new Map();
    const link = (nodes: readonly TodoTreeNode[], parent: TodoTreeNode | undefined) => {
      for (const n of nodes) {
        this.parents.set(n.id, parent);
        if (n.kind !== 'todo') link(n.children, n);
      }
    };
    link(this._tree.roots, undefined);
    // Model events often carry no visible change (the workspace scan re-reads the open note right
    // after it was listed). Refreshing anyway flickers, and two refreshes in a row while VS Code is
    // still fetching expanded children can leave nodes expanded but empty.
    const changed = !sameTreeView(shown.roots, this._tree.roots);
    return { tree: this._tree, changed };
  }

  parentOf(node: TodoTreeNode): TodoTreeNode | undefined {
    return this.parents.get(node.id);
  }

  /** The leaf currently showing a TODO. */
  findLeaf(fileKey: string, todoId: string): TodoLeafNode | undefined {
    for (const n of walkTodoTree(this._tree.roots)) {
      if (n.kind === 'todo' && n.fileKey === fileKey && n.todo.id === todoId) return n;
    }
    return undefined;
  }
}
