/**
 * The relative reference from a folder to a file, both absolute `/`-separated paths (URI paths):
 * what `path.posix.relative` gives, with each segment percent-encoded for an `href`/`src`. Pure, so
 * the browser extension host (no `path`) exports links the same way as the desktop one.
 */
export function relativeHref(fromDir: string, to: string): string {
  const from = fromDir.split('/').filter(Boolean);
  const target = to.split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < target.length - 1 && from[common] === target[common]) common++;
  const up = from.slice(common).map(() => '..');
  return [...up, ...target.slice(common).map(encodeURIComponent)].join('/');
}
