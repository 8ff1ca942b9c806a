import * as crypto from 'crypto';

/**
 * The scaffolding every Lectern HTML page shares — the preview and demo webviews and the exported
 * note: a per-render script nonce, the Content-Security-Policy string, the `<head>` opening and
 * HTML escaping. No `vscode` import, so the standalone demo harness (test/e2e/demoPage.ts) can
 * build exactly the panel's page.
 */

/** A fresh script nonce (18 random bytes, base64) for one render. */
export function createNonce(): string {
  return crypto.randomBytes(18).toString('base64');
}

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

/** Escapes `& < > " '` for element text and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
