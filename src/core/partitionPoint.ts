/**
 * The one binary search of Lectern: the first index in `[0, length)` for which `predicate` is
 * false, given that it is true for a prefix of the indices and false for the rest (`length` when it
 * is true everywhere). Every "first span at or after", "last line start at or before" lookup is this
 * with a different predicate; writing the loop once keeps the off-by-ones in one place.
 *
 * Pure and dependency-free, so the preview webview may use it too (see the layering test).
 */
export function partitionPoint(length: number, predicate: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    if (predicate(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
