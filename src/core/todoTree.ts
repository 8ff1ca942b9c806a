import { reopenTodo, resolveTodo } from './edit';
import { parseNotes } from './parse';
import type { ParseOptions, ParseResult, Position, Section, TextEdit, Todo } from './types';

/**
 * The TODO tree as pure data: which nodes exist, how they nest, how they are counted and ordered.
 * The extension's TreeDataProvider only maps these nodes to `TreeItem`s, so everything a user can
 * see in the tree (grouping, counts, order, the open-only filter) is testable without an editor.
 * Also here: the exports (Markdown checklist, JSON), next/previous navigation and the quick-pick
 * order, all pure.
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
 * Everything a view shows of a tree (ids, labels, counts, lines, status, answers), as one string:
 * two trees with the same signature render identically, so a view can skip a refresh that would
 * change nothing on screen.
 */
export function treeSignature(roots: readonly TodoTreeNode[]): string {
  const parts: string[] = [];
  const walk = (nodes: readonly TodoTreeNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'todo') {
        const t = n.todo;
        const at = t.span.range.start;
        parts.push(['todo', n.id, n.path, t.tag, t.status, t.text, t.answer ?? '\u0001', `${at.line}:${at.character}`].join('\u0000'));
        continue;
      }
      const label = n.kind === 'folder' ? n.folder.name : n.kind === 'file' ? `${n.path}\u0000${n.documentTitle ?? ''}` : `${n.title}\u0000${n.line}`;
      parts.push([n.kind, n.id, label, `${n.counts.open}/${n.counts.total}`, String(n.children.length)].join('\u0000'));
      walk(n.children);
    }
  };
  walk(roots);
  return parts.join('\n');
}
export type TodoContainerNode = Exclude<TodoTreeNode, TodoLeafNode>;

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

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Files by path, with a case-sensitive tie-break so the order is total. */
export function compareFilePaths(a: string, b: string): number {
  const byName = collator.compare(a, b);
  return byName !== 0 ? byName : a < b ? -1 : a > b ? 1 : 0;
}

export function countTodos(todos: readonly Todo[]): TodoCounts {
  let open = 0;
  for (const t of todos) if (t.status === 'open') open++;
  return { open, total: todos.length };
}

/** Question text as a one-line label; an empty question shows its tag, e.g. `(TODO)`. */
export function todoLabel(todo: Todo): string {
  const text = todo.text.replace(/\s+/g, ' ').trim();
  if (text.length > 0) return text;
  return todo.tag === 'task' ? '(empty task)' : `(${todo.tag})`;
}

export function sectionPathLabel(path: readonly string[]): string {
  return path.join(' › ');
}

/**
 * A TODO's section path without the document's title (the lone top-level heading that the tree
 * folds into the file node), so lists show "Lecture 11 › FCN" rather than repeating the title.
 */
export function displaySectionPath(parse: Pick<ParseResult, 'sections'>, todo: Todo): readonly string[] {
  const root = parse.sections[0];
  const title = root && root.children.length === 1 ? parse.sections[root.children[0]]?.title : undefined;
  return title !== undefined && todo.sectionPath[0] === title ? todo.sectionPath.slice(1) : todo.sectionPath;
}

function compareTodos(a: Todo, b: Todo): number {
  return a.span.startOffset - b.span.startOffset;
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

// ---------------------------------------------------------------------------------------------
// Positions: the TODO at the cursor, next / previous, the quick-pick order.

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * The TODO the cursor is on: one whose span contains the position (ends inclusive), else the
 * nearest TODO on the cursor's line. Only TODOs with `status` when given.
 */
export function todoAtPosition(todos: readonly Todo[], position: Position, status?: Todo['status']): Todo | undefined {
  const candidates = status ? todos.filter((t) => t.status === status) : todos;
  const containing = candidates.find(
    (t) => comparePositions(t.span.range.start, position) <= 0 && comparePositions(position, t.span.range.end) <= 0,
  );
  if (containing) return containing;
  let best: Todo | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const t of candidates) {
    const { start, end } = t.span.range;
    if (position.line < start.line || position.line > end.line) continue;
    const distance =
      position.line === start.line && position.character < start.character
        ? start.character - position.character
        : position.line === end.line && position.character > end.character
          ? position.character - end.character
          : 0;
    if (distance < bestDistance) {
      best = t;
      bestDistance = distance;
    }
  }
  return best;
}

export interface AdjacentTodo {
  readonly todo: Todo;
  /** True when the search went past the end (or start) of the document and started over. */
  readonly wrapped: boolean;
}

/**
 * The next (or previous) TODO after (before) `position`, wrapping around the document. A TODO that
 * starts exactly at the cursor is the current one, so Next skips it. Open TODOs only unless
 * `includeResolved`.
 */
export function adjacentTodo(
  todos: readonly Todo[],
  position: Position,
  direction: 'next' | 'previous',
  includeResolved = false,
): AdjacentTodo | undefined {
  const list = todos.filter((t) => includeResolved || t.status === 'open').sort(compareTodos);
  if (list.length === 0) return undefined;
  if (direction === 'next') {
    const after = list.find((t) => comparePositions(t.span.range.start, position) > 0);
    return after ? { todo: after, wrapped: false } : { todo: list[0], wrapped: true };
  }
  for (let i = list.length - 1; i >= 0; i--) {
    if (comparePositions(list[i].span.range.start, position) < 0) return { todo: list[i], wrapped: false };
  }
  return { todo: list[list.length - 1], wrapped: true };
}

export interface TodoWithFile {
  readonly fileKey: string;
  readonly path: string;
  readonly todo: Todo;
}

/**
 * The order of the Resolve quick pick: the TODO at the cursor first, then the rest of the active
 * file in document order, then every other file by path.
 */
export function orderTodosForPick(
  items: readonly TodoWithFile[],
  active?: { readonly fileKey: string; readonly position?: Position },
): TodoWithFile[] {
  const atCursor =
    active?.position !== undefined
      ? todoAtPosition(items.filter((i) => i.fileKey === active.fileKey).map((i) => i.todo), active.position)
      : undefined;
  const rank = (i: TodoWithFile) => (i.todo === atCursor ? 0 : i.fileKey === active?.fileKey ? 1 : 2);
  return [...items].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.fileKey === b.fileKey ? 0 : compareFilePaths(a.path, b.path) || compareFilePaths(a.fileKey, b.fileKey)) ||
      compareTodos(a.todo, b.todo),
  );
}

/**
 * Re-finds a TODO in a fresh parse of a note that may have changed since the TODO was listed:
 * the same id and question; failing that (a heading above it was renamed, which changes ids), the
 * only TODO with that exact question. Two or more candidates, or none: undefined — never a guess.
 */
export function relocateTodo(todos: readonly Todo[], id: string, expectedText: string): Todo | undefined {
  const exact = todos.find((t) => t.id === id && t.text === expectedText);
  if (exact) return exact;
  const sameText = todos.filter((t) => t.text === expectedText);
  return sameText.length === 1 && expectedText.trim().length > 0 ? sameText[0] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Export.

export interface TodoExportEntry {
  readonly file: string;
  readonly id: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, UTF-16 code units. */
  readonly column: number;
  readonly tag: string;
  readonly text: string;
  readonly status: Todo['status'];
  readonly section: readonly string[];
  readonly answer?: string;
}

interface ExportRow {
  readonly entry: TodoExportEntry;
  /** The section path without the document title, for grouping under the file's heading. */
  readonly shortSection: readonly string[];
  readonly documentTitle?: string;
}

/**
 * One TODO as `lectern todos --json` prints it (key order included). `answer` only when resolved,
 * where the parser always sets it (possibly to the empty string).
 */
export function todoExportEntry(file: string, todo: Todo): TodoExportEntry {
  return {
    file,
    id: todo.id,
    line: todo.span.range.start.line + 1,
    column: todo.span.range.start.character + 1,
    tag: todo.tag,
    text: todo.text,
    status: todo.status,
    section: [...todo.sectionPath],
    ...(todo.status === 'resolved' ? { answer: todo.answer ?? '' } : {}),
  };
}

function exportRows(files: readonly TodoFileInput[]): ExportRow[] {
  const out: ExportRow[] = [];
  for (const f of [...files].sort((a, b) => compareFilePaths(a.path, b.path))) {
    for (const t of [...f.parse.todos].sort(compareTodos)) {
      const shortSection = displaySectionPath(f.parse, t);
      out.push({
        entry: todoExportEntry(f.path, t),
        shortSection,
        documentTitle: shortSection.length < t.sectionPath.length ? t.sectionPath[0] : undefined,
      });
    }
  }
  return out;
}

/** The same shape as `lectern todos --json`: 1-based positions, `section` as heading titles. */
export function exportTodosAsJson(files: readonly TodoFileInput[]): string {
  return JSON.stringify(exportRows(files).map((r) => r.entry), null, 2) + '\n';
}

/** Keeps the author's Markdown but on one line, so a question cannot break the checklist. */
function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').replace(/\r/g, ' ').trim();
}

/** Text that must not start a Markdown block of its own inside a heading. */
function headingText(text: string): string {
  return oneLine(text).replace(/^#+/, (m) => m.replace(/#/g, '\\#')) || '(untitled)';
}

/**
 * A Markdown checklist: one `##` heading per file, one `###` heading per section path (lecture ›
 * topic), `- [ ]` for open and `- [x]` for resolved TODOs with their answers, each with its line.
 */
export function exportTodosAsMarkdown(files: readonly TodoFileInput[], title = 'TODOs'): string {
  const rows = exportRows(files);
  const open = rows.filter((r) => r.entry.status === 'open').length;
  const lines: string[] = [`# ${title}`, '', `${open} open of ${rows.length}.`];
  let currentFile: string | undefined;
  let currentSection: string | undefined;
  for (const { entry: e, shortSection, documentTitle } of rows) {
    if (e.file !== currentFile) {
      currentFile = e.file;
      currentSection = undefined;
      lines.push('', `## ${headingText(documentTitle ? `${e.file} — ${documentTitle}` : e.file)}`);
    }
    const sectionKey = shortSection.join('\u0000');
    if (sectionKey !== currentSection) {
      currentSection = sectionKey;
      lines.push('', shortSection.length > 0 ? `### ${headingText(sectionPathLabel(shortSection))}` : '### (before the first heading)', '');
    }
    const question = oneLine(e.text) || `(${e.tag})`;
    const answer = e.status === 'resolved' && e.answer ? ` — ${oneLine(e.answer)}` : '';
    lines.push(`- [${e.status === 'open' ? ' ' : 'x'}] ${question}${answer} (line ${e.line})`);
  }
  if (rows.length === 0) lines.push('', 'No TODOs.');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Add TODO at cursor.

export interface TodoInsertion {
  /** Where to insert: `cursor` inserts at the cursor, `lineEnd` at the end of the cursor's line. */
  readonly at: 'cursor' | 'lineEnd';
  readonly text: string;
  /** Where the cursor goes, as an offset into `text`. */
  readonly cursorOffset: number;
}

/**
 * What "Add TODO at Cursor" types. On a blank line (or blank after a list / quote marker) the tag
 * goes right at the cursor; inside text it goes on a new line below, continuing the line's list
 * indentation and blockquote markers so the TODO stays in the same block.
 */
export function planTodoInsertion(lineText: string, tag = 'TODO', eol = '\n'): TodoInsertion {
  const marker = `${tag}: `;
  const prefixMatch = /^(\s*(?:>\s?)*)((?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?)?/.exec(lineText);
  const quote = prefixMatch?.[1] ?? '';
  const list = prefixMatch?.[2] ?? '';
  const rest = lineText.slice(quote.length + list.length);
  if (lineText.trim().length === 0) return { at: 'cursor', text: marker, cursorOffset: marker.length };
  if (rest.trim().length === 0) {
    // An empty list item or quote line: the TODO becomes its content.
    const text = (/\s$/.test(lineText) ? '' : ' ') + marker;
    return { at: 'lineEnd', text, cursorOffset: text.length };
  }
  const continuation = quote + ' '.repeat(list.length);
  const text = eol + continuation + marker;
  return { at: 'lineEnd', text, cursorOffset: text.length };
}

// ---------------------------------------------------------------------------------------------
// Resolve / reopen against the current text.

export type TodoEditPlan =
  | { readonly ok: true; readonly edit: TextEdit; readonly todo: Todo }
  | { readonly ok: false; readonly reason: 'gone' | 'alreadyDone' | 'refused'; readonly message: string };

/**
 * The edit that resolves (`answer` given) or reopens (`answer` undefined) a TODO in `text`, the
 * note as it is now: the TODO is re-located first (see `relocateTodo`), must still be in the
 * expected state, and the core's verified edit is computed on this same text.
 */
export function planTodoEdit(
  text: string,
  todoId: string,
  expectedText: string,
  answer: string | undefined,
  options: ParseOptions = {},
): TodoEditPlan {
  const resolving = answer !== undefined;
  const current = relocateTodo(parseNotes(text, options).todos, todoId, expectedText);
  if (!current) return { ok: false, reason: 'gone', message: 'the TODO is no longer in the note' };
  if (current.status !== (resolving ? 'open' : 'resolved')) {
    return { ok: false, reason: 'alreadyDone', message: `the TODO is already ${current.status}` };
  }
  const result = resolving ? resolveTodo(text, current.id, answer, options) : reopenTodo(text, current.id, options);
  return result.ok ? result : { ok: false, reason: 'refused', message: result.error };
}
