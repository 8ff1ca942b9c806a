import { escapeHtml } from './mathCache';

/**
 * The HTML scaffolding every Lectern page shares — the preview and demo webviews, the editor's
 * Export HTML and `lectern export` — as pure string functions, so the extension and the CLI build
 * byte-for-byte the same standalone page (a note published from CI looks as it does in the editor).
 */

/**
 * `default-src 'none'` followed by `directives` in their insertion order, e.g.
 * `{ 'script-src': "'nonce-…'", 'style-src': cspSource }`. Nothing is added beyond what is passed.
 */
export function contentSecurityPolicy(directives: Readonly<Record<string, string>>): string {
  return [`default-src 'none'`, ...Object.entries(directives).map(([name, sources]) => `${name} ${sources}`)].join('; ');
}

/** From `<!DOCTYPE html>` to the viewport meta tag; the caller adds the rest of `<head>`. */
export function htmlHeadStart(csp: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">`;
}

/** Folder written next to an exported page: KaTeX's CSS and fonts plus Lectern's stylesheet. */
export const EXPORT_ASSETS_FOLDER = 'lectern-assets';

/** The exported note: no script, styles and fonts from `EXPORT_ASSETS_FOLDER` beside it. */
export function standaloneHtml(title: string, bodyHtml: string): string {
  const [start, end] = standaloneHtmlParts(title);
  return start + bodyHtml + end;
}

/** `standaloneHtml` around the body, as the text before it and after it (for writing a long page in pieces). */
export function standaloneHtmlParts(title: string): readonly [start: string, end: string] {
  const csp = contentSecurityPolicy({
    'img-src': `'self' data: file:`,
    'style-src': `'self' 'unsafe-inline' file:`,
    'font-src': `'self' file:`,
  });
  const start = `${htmlHeadStart(csp)}
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${EXPORT_ASSETS_FOLDER}/katex.min.css">
<link rel="stylesheet" href="${EXPORT_ASSETS_FOLDER}/preview.css">
</head>
<body class="lectern-export">
<main id="lectern-content">
`;
  const end = `
</main>
</body>
</html>
`;
  return [start, end];
}

/** The page's title: the note's file name without its extension. */
export function exportTitle(notePath: string): string {
  return notePath.split(/[\\/]/).pop()?.replace(/\.[^.]*$/, '') || 'Notes';
}
