import type { Todo } from './types';

/** The orders every TODO list shares: files by path, TODOs by position in their note. */

// Made on first use: the first collator of a process loads ICU's collation data (15–30 ms), which
// would otherwise be paid while the extension host loads Lectern (issue #15).
let collator: Intl.Collator | undefined;

/** Files by path, with a case-sensitive tie-break so the order is total. */
export function compareFilePaths(a: string, b: string): number {
  collator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const byName = collator.compare(a, b);
  return byName !== 0 ? byName : a < b ? -1 : a > b ? 1 : 0;
}

/** TODOs of one note in document order. */
export function compareTodos(a: Todo, b: Todo): number {
  return a.span.startOffset - b.span.startOffset;
}
