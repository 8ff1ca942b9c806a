/**
 * The relative reference from a folder to a file, both absolute `/`-separated paths (URI paths):
 * what `path.posix.relative` gives, with each segment percent-encoded for an `href`/`src`. Pure, so
 * the browser extension host (no `path`) exports links the same way as the desktop one.
 * `ignoreCase` for Windows paths (`/c:/Users/…` from the Explorer against `/C:/Users/…` from the
 * save dialog), compared as `path.win32.relative` does.
 */
export function relativeHref(fromDir: string, to: string, options: { ignoreCase?: boolean } = {}): string {
  const from = fromDir.split('/').filter(Boolean);
  const target = to.split('/').filter(Boolean);
  const same = options.ignoreCase ? (a: string, b: string) => a.toLowerCase() === b.toLowerCase() : (a: string, b: string) => a === b;
  let common = 0;
  while (common < from.length && common < target.length - 1 && same(from[common], target[common])) common++;
  const up = from.slice(common).map(() => '..');
  return [...up, ...target.slice(common).map(encodeURIComponent)].join('/');
}
