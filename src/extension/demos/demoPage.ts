import { renderKatex } from '../../core';
import { DEMO_INFO } from '../../core/demos/mapping';
import { demoPanelTitle } from '../../core/demos/panelTitle';
import type { DemoBackendSetting, DemoPanelState, DemoTodoRef } from '../../shared/protocol';
import { contentSecurityPolicy, escapeHtml, htmlHeadStart } from '../webviewHtml';

/**
 * The demo panel's HTML as a pure function of nonce, CSP source and asset URLs — no `vscode`
 * import, so the standalone browser harness (test/e2e/demoPage.ts) serves exactly this page.
 */

/** What the webview reads from the page before anything else (the `lectern-demo-config` meta tag). */
export interface DemoPageConfig {
  readonly panel: DemoPanelState;
  readonly backend: DemoBackendSetting;
  readonly todos: readonly DemoTodoRef[];
}

export interface DemoPageInput {
  /** Fresh per render, from `crypto.randomBytes`. */
  readonly nonce: string;
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** URL of an extension file (`dist/webview/demos.js`, `media/demos.css`). */
  readonly asset: (...path: string[]) => string;
  readonly config: DemoPageConfig;
}

export function demoPageHtml({ nonce, cspSource, asset, config }: DemoPageInput): string {
  // No 'unsafe-eval' and no 'wasm-unsafe-eval': the tfjs ESM build needs neither (the `long`
  // package's WebAssembly probe is refused harmlessly and reported as `wasm-eval`).
  const csp = contentSecurityPolicy({
    'script-src': `'nonce-${nonce}'`,
    'style-src': cspSource,
    'img-src': `${cspSource} data: blob:`,
    'font-src': cspSource,
  });
  const info = DEMO_INFO[config.panel.demo];
  const sectionTitle = config.panel.section?.title;
  return `${htmlHeadStart(csp)}
<meta id="lectern-demo-config" data-config="${escapeHtml(JSON.stringify(config))}">
<link rel="stylesheet" href="${escapeHtml(asset('dist', 'webview', 'katex', 'katex.min.css'))}">
<link rel="stylesheet" href="${escapeHtml(asset('media', 'demos.css'))}">
<title>${escapeHtml(demoPanelTitle(config.panel.demo, sectionTitle))}</title>
</head>
<body class="lectern-demo" data-demo="${config.panel.demo}">
<header class="demo-header">
  <h1>${escapeHtml(info.title)}${sectionTitle ? ` <span class="demo-section">— ${escapeHtml(sectionTitle)}</span>` : ''}</h1>
  <div class="demo-formula" aria-label="Key formula">${renderFormula(info.formulaTex)}</div>
  <div id="demo-status" class="demo-status" role="status" aria-live="polite" data-backend="" data-ready="false" data-summary="{}">Loading TensorFlow.js…</div>
  <div id="demo-notice" class="demo-notice" role="alert" hidden></div>
</header>
<main id="demo-root" class="demo-root" aria-label="${escapeHtml(info.title)} demo"></main>
<section id="demo-answer" class="demo-answer" aria-label="Use as answer" hidden>
  <h2>Answer a TODO of this section</h2>
  <label for="demo-answer-todo">TODO</label>
  <select id="demo-answer-todo"></select>
  <blockquote id="demo-answer-text" class="demo-answer-text"></blockquote>
  <button id="demo-answer-use" type="button">Use as answer</button>
  <span id="demo-answer-result" role="status" aria-live="polite"></span>
</section>
<script nonce="${nonce}" src="${escapeHtml(asset('dist', 'webview', 'demos.js'))}"></script>
</body>
</html>`;
}

/**
 * KaTeX on the host with Lectern's untrusted-input settings. The CSP forbids inline styles, so
 * KaTeX's `style` attributes travel as `data-lectern-style` and the webview applies them through
 * the CSSOM (allowed under `style-src` without 'unsafe-inline').
 */
export function renderFormula(tex: string): string {
  const html = renderKatex(tex, { displayMode: true, throwOnError: false });
  return html.replace(/ style="/g, ' data-lectern-style="');
}
