import { compareFilePaths, compareTodos } from './todoOrder';
import type { ParseResult, Section, Todo } from './types';

/**
 * The TODO tree as pure data: which nodes exist, how they nest, how they are counted and ordered.
 * The extension's TreeDataProvider only maps these nodes to `TreeItem`s, so everything a user can
 * see in the tree (grouping, counts, order, the open-only filter) is testable without an editor.
 * The other TODO jobs have modules of their own: labels (todoLabels.ts), order (todoOrder.ts),
 * cursor navigation and the quick-pick order (todoNavigation.ts), exports (todoExport.ts), Add TODO
 * (todoInsertion.ts), and re-locating a TODO to resolve it (edit.ts).
 */

/** One note as the host knows it: its TODOs and sections plus where it lives. */
export interface TodoFileInput {
  /** A stable unique key, e.g. the URI string. */
  readonly key: string;
  /** What the user sees: the path relative to its folder (`/`-separated), or the untitled name. */
  readonly path: string;
  /** The workspace folder holding the file; `undefined` for untitled or outside files. */
  readonly folder?: TodoFolderInput;
  readonly parse: Pick<ParseResult, 'todos' | 'sections'>;
}

export interface TodoFolderInput {
  readonly key: string;
  readonly name: string;
  /** The folder's index in the workspace: folders are listed in workspace order. */
  readonly index: number;
}

export interface TodoCounts {
  readonly open: number;
  readonly total: number;
}

interface NodeBase {
  /** Unique within the tree and stable across rebuilds (so expansion state survives edits). */
  readonly id: string;
  /** Counts over every TODO below this node, whether or not the filter hides it. */
  readonly counts: TodoCounts;
}

export interface TodoFolderNode extends NodeBase {
  readonly kind: 'folder';
  readonly folder: TodoFolderInput;
  readonly children: readonly TodoFileNode[];
}

export interface TodoFileNode extends NodeBase {
  readonly kind: 'file';
  readonly fileKey: string;
  readonly path: string;
  /** The title of the document heading folded into this node (see `foldDocumentTitle`). */
  readonly documentTitle?: string;
  readonly children: readonly (TodoSectionNode | TodoLeafNode)[];
}

export interface TodoSectionNode extends NodeBase {
  readonly kind: 'section';
  readonly fileKey: string;
  readonly title: string;
  /** Heading titles from the top of the document down to this section. */
  readonly path: readonly string[];
  /** 0-based line of the heading. */
  readonly line: number;
  readonly children: readonly (TodoSectionNode | TodoLeafNode)[];
}

export interface TodoLeafNode {
  readonly kind: 'todo';
  readonly id: string;
  readonly fileKey: string;
  readonly path: string;
  readonly todo: Todo;
}

export type TodoTreeNode = TodoFolderNode | TodoFileNode | TodoSectionNode | TodoLeafNode;

/**
 * Whether two trees show the same thing (ids, labels, counts, lines, status, answers): two trees
 * for which this holds render identically, so a view can skip a refresh that would change nothing
 * on screen. A walk of both with an early exit, nothing allocated: it runs on every keystroke.
 */
export function sameTreeView(a: readonly TodoTreeNode[], b: readonly TodoTreeNode[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.kind !== y.kind || x.id !== y.id) return false;
    if (x.kind === 'todo') {
      const t = x.todo;
      const u = (y as TodoLeafNode).todo;
      const p = t.span.range.start;
      const q = u.span.range.start;
      if (x.path !== (y as TodoLeafNode).path || t.tag !== u.tag || t.status !== u.status || t.text !== u.text || t.answer !== u.answer || p.line !== q.line || p.character !== q.character) return false;
      continue;
    }
    const z = y as typeof x;
    if (x.counts.open !== z.counts.open || x.counts.total !== z.counts.total) return false;
    if (x.kind === 'folder' && x.folder.name !== (z as TodoFolderNode).folder.name) return false;
    if (x.kind === 'file' && (x.path !== (z as TodoFileNode).path || x.documentTitle !== (z as TodoFileNode).documentTitle)) return false;
    if (x.kind === 'section' && (x.title !== (z as TodoSectionNode).title || x.line !== (z as TodoSectionNode).line)) return false;
    if (!sameTreeView(x.children, z.children)) return false;
  }
  return true;
}
export interface TodoTreeOptions {
  /** Include resolved TODOs as leaves. Counts always include them. Default false. */
  readonly showResolved?: boolean;
  /**
   * When a file has exactly one top-level heading (the document's title, as in "# Summary of …"),
   * show its children directly under the file instead of repeating the title as one more level.
   * Default true.
   */
  readonly foldDocumentTitle?: boolean;
}

export interface TodoTree {
  /** Top-level nodes: folders when there are several, otherwise files (outside files last). */
  readonly roots: readonly TodoTreeNode[];
  readonly counts: TodoCounts;
  readonly fileCount: number;
}

interface MutableContainer {
  id: string;
  title: string;
  path: string[];
  line: number;
  children: Array<MutableContainer | Todo>;
}

function positionOfChild(c: MutableContainer | Todo): number {
  return 'span' in c ? c.span.range.start.line : c.line;
}

/** Builds one file's subtree (children of the file node); returns undefined when it has no TODOs. */
function buildFile(file: TodoFileInput, options: Required<TodoTreeOptions>): TodoFileNode | undefined {
  const { todos, sections } = file.parse;
  if (todos.length === 0) return undefined;

  const root = sections[0];
  const titleIndex =
    options.foldDocumentTitle && root && root.children.length === 1 ? root.children[0] : undefined;
  const folded = titleIndex !== undefined ? sections[titleIndex] : undefined;

  const fileNode: MutableContainer = { id: `file:${file.key}`, title: file.path, path: [], line: -1, children: [] };
  const containers = new Map<number, MutableContainer>();

  // Sections known to the parse are nested by their parent links (unique even when two headings
  // share a title); a TODO whose section is unknown falls back to its section path.
  const containerFor = (sectionIndex: number, fallbackPath: readonly string[]): MutableContainer => {
    if (sectionIndex === 0 || sectionIndex === titleIndex) return fileNode;
    const known = containers.get(sectionIndex);
    if (known) return known;
    const section: Section | undefined = sections[sectionIndex];
    if (!section || section.index !== sectionIndex) return containerForPath(fallbackPath);
    const parent = containerFor(section.parent ?? 0, section.path.slice(0, -1));
    const node: MutableContainer = {
      id: `${parent.id}\u0000${section.slug || String(section.index)}`,
      title: section.title,
      path: [...section.path],
      line: section.startLine,
      children: [],
    };
    parent.children.push(node);
    containers.set(sectionIndex, node);
    return node;
  };

  const byPath = new Map<string, MutableContainer>();
  const containerForPath = (path: readonly string[]): MutableContainer => {
    let parent = fileNode;
    const start = folded && path[0] === folded.title ? 1 : 0;
    for (let depth = start; depth < path.length; depth++) {
      const key = path.slice(0, depth + 1).join('\u0000');
      let node = byPath.get(key);
      if (!node) {
        node = { id: `${fileNode.id}\u0001${key}`, title: path[depth], path: path.slice(0, depth + 1), line: Number.MAX_SAFE_INTEGER, children: [] };
        byPath.set(key, node);
        parent.children.push(node);
      }
      parent = node;
    }
    return parent;
  };

  for (const todo of todos) {
    const container = containerFor(todo.sectionIndex, todo.sectionPath);
    container.children.push(todo);
    // Path-built containers have no heading line: place them at their first TODO.
    if (container.line === Number.MAX_SAFE_INTEGER) container.line = todo.span.range.start.line;
  }

  const freeze = (c: MutableContainer): { node: TodoFileNode['children']; counts: TodoCounts } => {
    const sorted = [...c.children].sort((a, b) => {
      const d = positionOfChild(a) - positionOfChild(b);
      if (d !== 0) return d;
      // A section's own TODOs come before its subsections; TODOs on one line by column.
      if ('span' in a && 'span' in b) return compareTodos(a, b);
      return 'span' in a ? -1 : 'span' in b ? 1 : 0;
    });
    let open = 0;
    let total = 0;
    const out: Array<TodoSectionNode | TodoLeafNode> = [];
    for (const child of sorted) {
      if ('span' in child) {
        total++;
        if (child.status === 'open') open++;
        if (child.status === 'open' || options.showResolved) {
          out.push({ kind: 'todo', id: `${c.id}\u0002${child.id}`, fileKey: file.key, path: file.path, todo: child });
        }
      } else {
        const inner = freeze(child);
        open += inner.counts.open;
        total += inner.counts.total;
        if (inner.node.length > 0) {
          out.push({ kind: 'section', id: child.id, fileKey: file.key, title: child.title, path: child.path, line: child.line, counts: inner.counts, children: inner.node });
        }
      }
    }
    return { node: out, counts: { open, total } };
  };

  const frozen = freeze(fileNode);
  return {
    kind: 'file',
    id: fileNode.id,
    fileKey: file.key,
    path: file.path,
    documentTitle: folded?.title,
    counts: frozen.counts,
    children: frozen.node,
  };
}

function sum(nodes: readonly { counts: TodoCounts }[]): TodoCounts {
  let open = 0;
  let total = 0;
  for (const n of nodes) {
    open += n.counts.open;
    total += n.counts.total;
  }
  return { open, total };
}

/**
 * Files → section path → TODO leaves. With several workspace folders the files are grouped by
 * folder. Nodes whose every TODO is hidden by the filter are left out, but counts are kept whole
 * ("open / total") so the user sees how much is done.
 */
export function buildTodoTree(files: readonly TodoFileInput[], options: TodoTreeOptions = {}): TodoTree {
  const opts: Required<TodoTreeOptions> = {
    showResolved: options.showResolved ?? false,
    foldDocumentTitle: options.foldDocumentTitle ?? true,
  };
  const sortedFiles = [...files].sort((a, b) => compareFilePaths(a.path, b.path) || compareFilePaths(a.key, b.key));

  const allFileNodes: Array<{ input: TodoFileInput; node: TodoFileNode }> = [];
  let fileCount = 0;
  for (const file of sortedFiles) {
    fileCount++;
    const node = buildFile(file, opts);
    if (node) allFileNodes.push({ input: file, node });
  }
  const counts = sum(allFileNodes.map((f) => f.node));
  const visible = (n: TodoFileNode) => n.children.length > 0;

  const folders = new Map<string, TodoFolderInput>();
  for (const f of files) if (f.folder) folders.set(f.folder.key, f.folder);

  const outside = allFileNodes.filter((f) => !f.input.folder).map((f) => f.node).filter(visible);
  if (folders.size <= 1) {
    const inside = allFileNodes.filter((f) => f.input.folder).map((f) => f.node).filter(visible);
    return { roots: [...inside, ...outside], counts, fileCount };
  }

  const roots: TodoTreeNode[] = [];
  for (const folder of [...folders.values()].sort((a, b) => a.index - b.index)) {
    const all = allFileNodes.filter((f) => f.input.folder?.key === folder.key).map((f) => f.node);
    const children = all.filter(visible);
    if (children.length === 0) continue;
    roots.push({ kind: 'folder', id: `folder:${folder.key}`, folder, counts: sum(all), children });
  }
  return { roots: [...roots, ...outside], counts, fileCount };
}

/** All nodes of the tree, depth first, for lookups such as "which leaf shows this TODO". */
export function* walkTodoTree(nodes: readonly TodoTreeNode[]): Generator<TodoTreeNode> {
  for (const n of nodes) {
    yield n;
    if (n.kind !== 'todo') yield* walkTodoTree(n.children);
  }
}
