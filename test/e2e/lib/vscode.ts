import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { launchCodeServer, repoRoot, type CodeServer, type LaunchOptions } from '../../harness/vscode-web';
import { activationFromLogs, readManifest, type ActivationReport } from './logs';
import { collectConsole, waitForWebviewFrame, webviewFrames, type ConsoleEntry, type CspViolation, type WaitForWebviewOptions } from './webview';

export const chromiumPath = '/usr/bin/chromium';

/** Headless Chromium flags that work as root without a GPU; WebGL runs on SwiftShader. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export interface StartOptions extends Pick<LaunchOptions, 'settings' | 'files' | 'vsix' | 'env' | 'workspaceTrust' | 'afterInstall'> {
  /** Names this session's screenshot folder: test-results/e2e/<name>/. Default 'vscode'. */
  name?: string;
  /** Workspace-relative file to open once the workbench is ready. */
  openFile?: string;
  /** Viewport of the browser page. Default 1400×900. */
  viewport?: { width: number; height: number };
  /** Timeout for the workbench to appear (default 90 s: a cold start on 2 cores is ~15 s). */
  workbenchTimeoutMs?: number;
  /**
   * Which extension host runs Lectern: 'node' (the desktop `main`, VS Code's default for an
   * extension with both entries) or 'web' (the `browser` entry in the browser's web-worker host, as
   * on vscode.dev, moved there by the user setting `remote.extensionKind`). Default: the
   * environment variable LECTERN_E2E_HOST, else 'node'.
   */
  host?: ExtensionHostKind;
}

export type ExtensionHostKind = 'node' | 'web';

/** The user setting that moves Lectern into the browser's web-worker extension host. */
export function webHostSettings(): Record<string, unknown> {
  return { 'remote.extensionKind': { [readManifest().extensionId]: ['web'] } };
}

function hostFromEnvironment(): ExtensionHostKind {
  const value = process.env.LECTERN_E2E_HOST ?? 'node';
  if (value !== 'node' && value !== 'web') throw new Error(`LECTERN_E2E_HOST must be 'node' or 'web', not '${value}'`);
  return value;
}

export interface Notification {
  severity: 'error' | 'warning' | 'info';
  message: string;
  source: string;
}

export interface VSCodeSession {
  readonly page: Page;
  readonly browser: Browser;
  readonly server: CodeServer;
  readonly url: string;
  readonly workspaceDir: string;
  readonly logsDir: string;
  readonly screenshotDir: string;
  /** Milliseconds from opening the page to `.monaco-workbench` + explorer rows being visible. */
  readonly workbenchReadyMs: number;
  /** The extension host Lectern was placed in (see `StartOptions.host`). */
  readonly extensionHost: ExtensionHostKind;
  /** Console messages of all frames (webviews included), in arrival order. */
  readonly console: ConsoleEntry[];
  /** CSP violations reported by any frame (webviews included). */
  readonly cspViolations: CspViolation[];
  /** Runs a command by its palette label, e.g. 'Lectern: Show TODOs' (exact match). */
  runCommand(label: string): Promise<void>;
  /** Labels the command palette lists for `query` (all rows, scrolling through the list). */
  paletteEntries(query: string): Promise<string[]>;
  /** Opens a workspace-relative file through Quick Open and waits for its editor to be active. */
  openFile(relativePath: string): Promise<void>;
  /** Saves test-results/e2e/<name>/<NN>-<step>.png and returns its path. */
  screenshot(step: string): Promise<string>;
  /** The extension host log so far (remoteexthost.log; workerexthost.log, kept in the browser, for the web host). */
  extensionHostLog(): Promise<string>;
  /** An output channel's log file so far; default Lectern's ('Lectern'). '' if it does not exist yet. */
  outputChannelLog(channel?: string, extensionId?: string): Promise<string>;
  /** Waits until `pattern` appears in a log (default: Lectern's output channel). */
  waitForLog(pattern: RegExp, options?: { log?: 'lectern' | 'exthost'; timeoutMs?: number }): Promise<RegExpMatchArray>;
  /** Lectern's activation as read from the logs; waits for it (default 30 s). */
  activation(timeoutMs?: number): Promise<ActivationReport>;
  /** All notifications (read from the notification center, which it opens and closes). */
  notifications(): Promise<Notification[]>;
  /** The frames of all open webviews. */
  webviewFrames(): Frame[];
  /** Waits for a webview document containing a selector (see webview.ts). */
  waitForWebviewFrame(options: WaitForWebviewOptions): Promise<Frame>;
  /** Closes the browser and stops code-server (kills its process group). Idempotent. */
  close(): Promise<void>;
}

const quickInput = '.quick-input-widget';
const quickInputBox = `${quickInput} .quick-input-box input`;
const quickInputRows = `${quickInput} .quick-input-list .monaco-list-row`;

/**
 * Starts code-server with Lectern installed in a fresh profile on a fresh copy of notes/, opens it
 * in headless Chromium and waits for the workbench. Always pair with `close()` (in `after()`).
 */
export async function startVSCode(options: StartOptions = {}): Promise<VSCodeSession> {
  const name = options.name ?? 'vscode';
  const screenshotDir = path.join(repoRoot, 'test-results', 'e2e', name);
  await fsp.rm(screenshotDir, { recursive: true, force: true });
  await fsp.mkdir(screenshotDir, { recursive: true });

  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Chromium (Debian: apt-get install -y chromium)`);
  }
  const host = options.host ?? hostFromEnvironment();
  const server = await launchCodeServer({
    settings: host === 'web' ? { ...options.settings, ...webHostSettings() } : options.settings,
    files: options.files,
    vsix: options.vsix,
    env: options.env,
    workspaceTrust: options.workspaceTrust,
    afterInstall: options.afterInstall,
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const collected = await collectConsole(page);
    const started = Date.now();
    const workbenchTimeout = options.workbenchTimeoutMs ?? 90_000;
    // The page load shares the workbench's budget: on a loaded 2-core machine code-server can take
    // longer than Playwright's default 30 s just to answer.
    await page.goto(server.url, { timeout: workbenchTimeout });
    await page.waitForSelector('.monaco-workbench', { timeout: workbenchTimeout });
    // The explorer lists the folder once the remote file system is connected.
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: workbenchTimeout });
    const session = new Session(page, browser, server, screenshotDir, Date.now() - started, collected, host);
    await session.screenshot('workbench-ready');
    if (options.openFile) await session.openFile(options.openFile);
    return session;
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop({ keepRunDir: true });
    throw new Error(`${(error as Error).message}\n(run dir kept for inspection: ${server.runDir})`);
  }
}

class Session implements VSCodeSession {
  readonly url: string;
  readonly workspaceDir: string;
  readonly logsDir: string;
  readonly console: ConsoleEntry[];
  readonly cspViolations: CspViolation[];
  private shots = 0;
  private closed = false;

  constructor(
    readonly page: Page,
    readonly browser: Browser,
    readonly server: CodeServer,
    readonly screenshotDir: string,
    readonly workbenchReadyMs: number,
    collected: { messages: ConsoleEntry[]; cspViolations: CspViolation[] },
    readonly extensionHost: ExtensionHostKind,
  ) {
    this.url = server.url;
    this.workspaceDir = server.workspaceDir;
    this.logsDir = server.logsDir;
    this.console = collected.messages;
    this.cspViolations = collected.cspViolations;
  }

  private async openQuickInput(text: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.dismissQuickInput();
      await this.page.keyboard.press('F1');
      const box = this.page.locator(quickInputBox);
      await box.waitFor({ state: 'visible', timeout: 10_000 });
      try {
        await box.fill(text, { timeout: 10_000 });
        return;
      } catch (e) {
        // The widget closed as it opened: it hides on blur, and a reveal that lands late (the
        // editor or the TODO view after the previous command) can take the focus. Open it again.
        if (attempt >= 3 || (await box.isVisible())) throw e;
      }
    }
  }

  private async dismissQuickInput(): Promise<void> {
    if (await this.page.locator(quickInput).isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.page.locator(quickInput).waitFor({ state: 'hidden', timeout: 5_000 });
    }
  }

  /** Labels of the rows the quick input shows now (only rendered rows: the list is virtual). */
  private async visibleRowLabels(): Promise<string[]> {
    return this.page.$$eval(quickInputRows, (rows) =>
      rows.map((row) => (row.querySelector('.label-name')?.textContent ?? '').trim()).filter((label) => label !== ''),
    );
  }

  /** Waits until the quick input's list reflects the typed filter (a row or "No matching ..."). */
  private async waitForRows(): Promise<void> {
    await this.page.locator(quickInputRows).first().waitFor({ state: 'visible', timeout: 10_000 });
  }

  async runCommand(label: string): Promise<void> {
    await this.openQuickInput(`>${label}`);
    const row = this.page.locator(quickInputRows).filter({
      has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
    });
    try {
      await row.first().waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      const shown = await this.visibleRowLabels();
      await this.dismissQuickInput();
      throw new Error(`Command '${label}' is not in the command palette (it shows: ${shown.join(' | ') || 'nothing'})`);
    }
    await row.first().click();
    await this.waitForPaletteClosed(`>${label}`);
  }

  /**
   * Waits until the quick input no longer shows `value`: it closed, or the command replaced it
   * with its own quick pick or file dialog (so "hidden" alone would be the wrong condition).
   */
  private async waitForPaletteClosed(value: string): Promise<void> {
    const probe = `(() => {
      const widget = document.querySelector(${JSON.stringify(quickInput)});
      if (!widget || widget.classList.contains('quick-input-widget-closing')) return true;
      if (getComputedStyle(widget).display === 'none') return true;
      const input = widget.querySelector('.quick-input-box input');
      return !input || input.value !== ${JSON.stringify(value)};
    })()`;
    await this.page.waitForFunction(probe, undefined, { timeout: 10_000, polling: 100 });
  }

  async paletteEntries(query: string): Promise<string[]> {
    await this.openQuickInput(query.startsWith('>') ? query : `>${query}`);
    await this.waitForRows();
    // The list renders only visible rows: walk it with PageDown until nothing new appears.
    const labels = new Set<string>();
    for (let page = 0; page < 50; page++) {
      const before = labels.size;
      for (const label of await this.visibleRowLabels()) labels.add(label);
      if (page > 0 && labels.size === before) break;
      await this.page.keyboard.press('PageDown');
    }
    await this.dismissQuickInput();
    return [...labels];
  }

  async openFile(relativePath: string): Promise<void> {
    const absolute = path.join(this.workspaceDir, relativePath);
    if (!fs.existsSync(absolute)) throw new Error(`openFile: ${absolute} does not exist`);
    const base = path.basename(relativePath);
    // An absolute path in Quick Open resolves directly, without waiting for the workspace file search.
    await this.openQuickInput(absolute);
    const chosen = this.page
      .locator(quickInputRows)
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(base)}\\s*$`) }) })
      .first();
    await chosen.waitFor({ state: 'visible', timeout: 20_000 });
    await chosen.click();
    await this.waitForPaletteClosed(absolute);
    await this.page
      .locator(`.editor-group-container.active .tabs-container .tab.active[data-resource-name=${JSON.stringify(base)}]`)
      .waitFor({ state: 'visible', timeout: 20_000 });
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
  }

  async screenshot(step: string): Promise<string> {
    this.shots++;
    const file = path.join(this.screenshotDir, `${String(this.shots).padStart(2, '0')}-${step.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async extensionHostLog(): Promise<string> {
    if (this.extensionHost === 'web') return this.browserLogs(/\/exthost\/webWorker\/workerexthost\.log$/.source);
    return readAll(await this.server.findLogFiles(/exthost\d+\/remoteexthost\.log$/));
  }

  async outputChannelLog(channel = 'Lectern', extensionId = readManifest().extensionId): Promise<string> {
    if (this.extensionHost === 'web') return this.browserLogs(`/exthost/webWorker/${escapeRegExp(extensionId)}/${escapeRegExp(channel)}\\.log$`);
    const file = new RegExp(`exthost\\d+/${escapeRegExp(extensionId)}/${escapeRegExp(channel)}\\.log$`);
    return readAll(await this.server.findLogFiles(file));
  }

  async waitForLog(pattern: RegExp, options: { log?: 'lectern' | 'exthost'; timeoutMs?: number } = {}): Promise<RegExpMatchArray> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = options.log === 'exthost' ? await this.extensionHostLog() : await this.outputChannelLog();
      const match = pattern.exec(text);
      if (match) return match;
      if (Date.now() > deadline) {
        throw new Error(`${pattern} did not appear in the ${options.log ?? 'lectern'} log within ${timeoutMs} ms; it has:\n${text.slice(-2000)}`);
      }
      await this.page.waitForTimeout(200);
    }
  }

  async activation(timeoutMs = 30_000): Promise<ActivationReport> {
    const { extensionId } = readManifest();
    await this.waitForLog(/Lectern activated in \d+ ms/, { timeoutMs });
    await this.waitForLog(new RegExp(`_doActivateExtension ${escapeRegExp(extensionId)},`), { log: 'exthost', timeoutMs });
    const report = activationFromLogs(extensionId, await this.extensionHostLog(), await this.outputChannelLog());
    if (!report) throw new Error('activation lines found but could not be parsed');
    return report;
  }

  /**
   * Logs of the browser side (the web-worker extension host and its extensions' output channels):
   * VS Code keeps them in the page's IndexedDB (database `vscode-web-db`, store `vscode-logs-store`,
   * keyed by path), not on the server's disk. Every file whose key matches `keyPattern`, joined.
   */
  private async browserLogs(keyPattern: string): Promise<string> {
    if (this.page.isClosed()) return '';
    return this.page
      .evaluate<string>(
        `(async () => {
          const db = await new Promise((resolve, reject) => {
            const request = indexedDB.open('vscode-web-db');
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          try {
            if (![...db.objectStoreNames].includes('vscode-logs-store')) return '';
            const store = db.transaction('vscode-logs-store').objectStore('vscode-logs-store');
            const all = (request) => new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); });
            const [keys, values] = await Promise.all([all(store.getAllKeys()), all(store.getAll())]);
            const pattern = new RegExp(${JSON.stringify(keyPattern)});
            const decode = (v) => typeof v === 'string' ? v : new TextDecoder().decode(v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? v : new Uint8Array(v));
            return keys.map((k, i) => [String(k), values[i]]).filter(([k]) => pattern.test(k)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => decode(v)).join('\\n');
          } finally {
            db.close();
          }
        })()`,
      )
      .catch(() => '');
  }

  async notifications(): Promise<Notification[]> {
    await this.runCommand('Notifications: Show Notifications');
    const center = this.page.locator('.notifications-center');
    await center.waitFor({ state: 'visible', timeout: 10_000 });
    const items = await this.page.$$eval('.notifications-center .notification-list-item', (nodes) =>
      nodes.map((node) => {
        const icon = node.querySelector('.notification-list-item-icon');
        const severity = icon?.classList.contains('codicon-error')
          ? 'error'
          : icon?.classList.contains('codicon-warning')
            ? 'warning'
            : 'info';
        return {
          severity,
          message: (node.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
          source: (node.querySelector('.notification-list-item-source')?.textContent ?? '').trim(),
        };
      }),
    );
    await center.focus();
    await this.page.keyboard.press('Escape');
    await center.waitFor({ state: 'hidden', timeout: 10_000 });
    return items as Notification[];
  }

  webviewFrames(): Frame[] {
    return webviewFrames(this.page);
  }

  waitForWebviewFrame(options: WaitForWebviewOptions): Promise<Frame> {
    return waitForWebviewFrame(this.page, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.page.isClosed()) await this.screenshot('final').catch(() => undefined);
      await this.browser.close().catch(() => undefined);
    } finally {
      await this.server.stop({ keepRunDir: process.env.LECTERN_E2E_KEEP === '1' });
    }
  }
}

async function readAll(files: string[]): Promise<string> {
  const parts = await Promise.all(files.map((f) => fsp.readFile(f, 'utf8').catch(() => '')));
  return parts.join('\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
