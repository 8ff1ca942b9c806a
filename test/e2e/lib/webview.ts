import type { ConsoleMessage, Frame, Page } from 'playwright-core';

/**
 * VS Code renders each webview as an outer iframe (`.../webview/browser/pre/index.html`, owned by
 * the workbench) that hosts an inner iframe with the extension's HTML. Both are reachable through
 * `page.frames()`; these helpers find the inner documents.
 */
const webviewHostUrl = /\/webview\/browser\/pre\//;
/** URLs of scripts running inside webviews: the host page, or local resources served to webviews. */
const webviewResourceUrl = /\/webview\/browser\/pre\/|vscode-resource|vscode-webview/;

/** Every frame that belongs to a webview (host frames and the extension documents inside them). */
export function webviewFrames(page: Page): Frame[] {
  return page.frames().filter((frame) => frame !== page.mainFrame() && isInWebview(frame));
}

function isInWebview(frame: Frame): boolean {
  for (let f: Frame | null = frame; f; f = f.parentFrame()) {
    if (webviewHostUrl.test(f.url())) return true;
  }
  return false;
}

export interface WaitForWebviewOptions {
  /** A selector that must exist in the webview document (e.g. '#demo-canvas'). */
  selector: string;
  /** Only frames whose document title contains this text. */
  title?: string;
  timeoutMs?: number;
}

/**
 * Waits until some webview document contains `selector` (and, if given, has a matching title) and
 * returns that frame. Polls the frame tree, since webview frames come and go while panels open.
 */
export async function waitForWebviewFrame(page: Page, options: WaitForWebviewOptions): Promise<Frame> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of webviewFrames(page)) {
      try {
        if (!(await frame.$(options.selector))) continue;
        if (options.title !== undefined && !(await frame.title()).includes(options.title)) continue;
        return frame;
      } catch {
        // The frame was detached or navigated while we looked at it; try the others.
      }
    }
    if (Date.now() > deadline) {
      const urls = webviewFrames(page).map((f) => f.url());
      throw new Error(
        `No webview frame with '${options.selector}'${options.title ? ` titled '${options.title}'` : ''} ` +
          `after ${timeoutMs} ms; webview frames: ${urls.length ? urls.join(', ') : 'none'}`,
      );
    }
    await page.waitForTimeout(250);
  }
}

export interface ConsoleEntry {
  type: string;
  text: string;
  /** URL of the script (or document) that logged it ('' if unknown). */
  url: string;
  /** True when it came from a webview: the webview host page or a local resource it loaded. */
  inWebview: boolean;
}

export interface CspViolation {
  directive: string;
  blockedURI: string;
  sourceFile: string;
  lineNumber: number;
  sample: string;
  /** URL of the document whose policy was violated. */
  documentURI: string;
}

const cspMarker = '[lectern-e2e:csp]';

/**
 * Records console messages and CSP violations from every frame, webviews included. CSP violations
 * are caught with a `securitypolicyviolation` listener injected into each frame before its scripts
 * run (an init script, so the page's own CSP does not apply to it).
 */
export async function collectConsole(page: Page): Promise<{ messages: ConsoleEntry[]; cspViolations: CspViolation[] }> {
  const messages: ConsoleEntry[] = [];
  const cspViolations: CspViolation[] = [];
  // A string, not a function: this project compiles without the DOM library.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => console.warn(${JSON.stringify(cspMarker)} +
      JSON.stringify({ directive: e.effectiveDirective || e.violatedDirective, blockedURI: e.blockedURI,
        sourceFile: e.sourceFile, lineNumber: e.lineNumber, sample: e.sample, documentURI: e.documentURI })));`,
  });
  page.on('console', (message: ConsoleMessage) => {
    const text = message.text();
    if (text.startsWith(cspMarker)) {
      cspViolations.push(JSON.parse(text.slice(cspMarker.length)) as CspViolation);
      return;
    }
    const url = message.location().url ?? '';
    messages.push({ type: message.type(), text, url, inWebview: webviewResourceUrl.test(url) });
  });
  page.on('pageerror', (error) => {
    messages.push({ type: 'pageerror', text: `${error.name}: ${error.message}`, url: page.url(), inWebview: false });
  });
  return { messages, cspViolations };
}
