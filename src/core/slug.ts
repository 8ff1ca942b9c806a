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

/** A slug function that keeps slugs unique within one document. */
export function slugger(): (title: string) => string {
  const seen = new Map<string, number>();
  return (title) => {
    const base = githubSlug(title);
    let slug = base;
    let n = seen.get(base) ?? 0;
    while (seen.has(slug)) slug = `${base}-${++n}`;
    seen.set(base, n);
    seen.set(slug, seen.get(slug) ?? 0);
    return slug;
  };
}
