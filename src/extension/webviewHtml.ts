/**
 * The scaffolding every Lectern HTML page shares — the preview and demo webviews and the exported
 * note: a per-render script nonce, the Content-Security-Policy string, the `<head>` opening and
 * HTML escaping. No `vscode` import, so the standalone demo harness (test/e2e/demoPage.ts) can
 * build exactly the panel's page.
 */

/**
 * A fresh script nonce (18 random bytes, base64) for one render. Web Crypto's `getRandomValues`:
 * the same cryptographic source in the Node extension host (Node ≥ 19) and the browser's.
 */
export function createNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes));
}

// The string parts live in the core, shared with `lectern export`.
export { contentSecurityPolicy, htmlHeadStart } from '../core/render/htmlPage';
export { escapeHtml } from '../core/render/mathCache';
