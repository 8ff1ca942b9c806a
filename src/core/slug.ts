/**
 * GitHub-style heading slugs: lower case, punctuation dropped, spaces to dashes; repeated slugs
 * get `-1`, `-2`, … in document order (what GitHub and VS Code use for `#fragment` links).
 */
export function githubSlug(title: string): string {
  return title
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/**
 * Slugs of recent titles: the final pass of every incremental parse slugs every heading of the
 * note again, and the Unicode regular expressions dominate that pass in a note of thousands of
 * headings. Bounded, and cleared when full (titles are few; a note's set fits many times over).
 */
const slugCache = new Map<string, string>();
const SLUG_CACHE_SIZE = 20_000;

function cachedSlug(title: string): string {
  let slug = slugCache.get(title);
  if (slug === undefined) {
    if (slugCache.size >= SLUG_CACHE_SIZE) slugCache.clear();
    slug = githubSlug(title);
    slugCache.set(title, slug);
  }
  return slug;
}

/** A slug function that keeps slugs unique within one document. */
export function slugger(): (title: string) => string {
  const seen = new Map<string, number>();
  return (title) => {
    const base = cachedSlug(title);
    let slug = base;
    let n = seen.get(base) ?? 0;
    while (seen.has(slug)) slug = `${base}-${++n}`;
    seen.set(base, n);
    seen.set(slug, seen.get(slug) ?? 0);
    return slug;
  };
}
