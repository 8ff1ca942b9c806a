import type { ParseResult, Todo } from './types';

/** How a TODO and its section read in one line: tree labels, quick picks, Problems entries. */

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
