/**
 * Helpers shared by the demo end-to-end tests (demos.test.ts, demos-more.test.ts): where each demo
 * sits in the sample notes, how to open it (CodeLens or command at a line), the demo panel's status
 * line as data, and the webview's CSP violations and console errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { parseNotes } from '../../../src/core';
import { DEMO_INFO, demosForDocument, type DemoId } from '../../../src/core/demos/mapping';
import { demoPanelTitle, demoSectionLabel } from '../../../src/core/demos/panelTitle';
import { repoRoot } from '../../harness/vscode-web';
import { goToLine } from './editor';
import type { VSCodeSession } from './vscode';

/** The sample note the demo tests open (a fresh copy of notes/ is the workspace). */
export const DEMO_NOTES = 'iacv-lectures-08-14.md';

const notesText = fs.readFileSync(path.join(repoRoot, 'notes', DEMO_NOTES), 'utf8');
const notesParse = parseNotes(notesText);
const mapped = demosForDocument(notesParse, notesText);

/** Demos whose webview module exists in this checkout. */
export function demosInCheckout<T extends DemoId>(ids: readonly T[]): T[] {
  return ids.filter((id) => fs.existsSync(path.join(repoRoot, 'src', 'webview', 'demos', id, 'index.ts')));
}

export interface DemoStatus {
  backend: string;
  ready: string;
  summary: Record<string, number | string | boolean>;
  msPerUpdate?: string;
  stepsPerSecond?: string;
  tensors?: string;
  text: string;
  notice: string;
  error?: string;
}

export async function readStatus(frame: Frame): Promise<DemoStatus> {
  // A string expression: this project compiles without the DOM library.
  return frame.evaluate<DemoStatus>(`(() => {
    const s = document.getElementById('demo-status');
    const n = document.getElementById('demo-notice');
    return { ...s.dataset, summary: JSON.parse(s.dataset.summary || '{}'), text: s.textContent, notice: n.hidden ? '' : n.textContent };
  })()`);
}

/** The `nth` section (in note order) that shows `demo`, with its 0-based line. */
export function sectionOf(demo: DemoId, nth = 0): { line: number; title: string; tabTitle: string } {
  const hit = mapped.filter((m) => m.demo === demo)[nth];
  if (!hit) throw new Error(`notes/${DEMO_NOTES} has no section #${nth} for the ${demo} demo`);
  const tabTitle = demoPanelTitle(demo, demoSectionLabel(notesParse.sections, hit.sectionIndex));
  return { line: hit.line, title: notesParse.sections[hit.sectionIndex].title, tabTitle };
}

export async function clickCodeLens(vscode: VSCodeSession, demo: DemoId, nth = 0): Promise<void> {
  const { line } = sectionOf(demo, nth);
  // The notes editor is in the first group; the demo panels open beside it.
  await vscode.page.locator('.editor-group-container').first().click({ position: { x: 200, y: 200 } });
  await goToLine(vscode, line);
  // Several sections can show the same demo: the lens wanted is the visible one at the cursor (Monaco keeps
  // lenses of nearby lines in the DOM, hidden).
  const lens = vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: `Run demo: ${DEMO_INFO[demo].title}` }).filter({ visible: true }).first();
  // Monaco first draws the lenses it cached for the note as inert placeholders (<span>, no command)
  // and asks the provider again on focus of the editor text, after a delay it learns from past
  // answers (slow ones on a loaded machine); a blur cancels that request. So when only the
  // placeholder shows for a while, focus the text again (Go to Line) to have the lenses asked for.
  // A training demo opened by an earlier test can also keep both cores busy on software WebGL.
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await lens.waitFor({ state: 'visible', timeout: 20_000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await vscode.screenshot(`${demo}-codelens-missing`);
        throw e;
      }
      await goToLine(vscode, line);
    }
  }
  await lens.click();
}

/**
 * Pauses a training demo (dropout, batch norm, learning dynamics start playing when ready) so it
 * stops taking the machine's cores for the tests that follow. A no-op for the other demos.
 */
export async function pauseTraining(frame: Frame): Promise<void> {
  const playing = frame.locator('button[aria-pressed="true"]', { hasText: 'Pause' });
  if ((await playing.count()) === 0) return;
  // Dispatched to the button itself: a workbench toast can sit over the webview and take a click.
  await playing.first().dispatchEvent('click');
  await frame.locator('button[aria-pressed="true"]', { hasText: 'Pause' }).waitFor({ state: 'detached', timeout: 30_000 });
}

export async function waitForDemo(vscode: VSCodeSession, demo: DemoId): Promise<Frame> {
  return vscode.waitForWebviewFrame({ selector: '#demo-status[data-ready="true"]', title: DEMO_INFO[demo].title, timeoutMs: 180_000 });
}

/**
 * Polls the status line until `condition` holds. Not `frame.waitForFunction`: with a string
 * predicate Playwright evaluates it through eval, which the demo page's CSP refuses (EvalError).
 */
export async function waitForStatus(frame: Frame, condition: (status: DemoStatus) => boolean, timeoutMs = 60_000): Promise<DemoStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await readStatus(frame);
    if (condition(status)) return status;
    if (Date.now() > deadline) throw new Error(`demo status did not reach the expected state in ${timeoutMs} ms: ${status.text} ${JSON.stringify(status.summary)}`);
    await frame.page().waitForTimeout(200);
  }
}

/** Waits until the demo's reported summary satisfies `condition`. */
export async function waitForSummary(frame: Frame, condition: (s: DemoStatus['summary']) => boolean, timeoutMs = 60_000): Promise<DemoStatus> {
  return waitForStatus(frame, (status) => condition(status.summary), timeoutMs);
}

/** Presses arrow keys on a control and waits for the demo to report each change; returns the median ms per update. */
export async function measureUpdates(frame: Frame, selector: string, presses = 10): Promise<string | undefined> {
  await frame.focus(selector);
  for (let j = 0; j < presses; j++) {
    const before = JSON.stringify((await readStatus(frame)).summary);
    await frame.page().keyboard.press(j % 2 ? 'ArrowLeft' : 'ArrowRight');
    // Wait for the demo to report the change (its summary is rewritten after every update).
    await waitForStatus(frame, (s) => JSON.stringify(s.summary) !== before).catch(() => undefined);
  }
  return (await readStatus(frame)).msPerUpdate;
}

export function webviewProblems(vscode: VSCodeSession): { csp: string[]; errors: string[] } {
  const csp = vscode.cspViolations
    .filter((v) => /vscode-resource|vscode-cdn|webview/.test(`${v.documentURI} ${v.sourceFile}`))
    // tfjs's `long` dependency probes WebAssembly; the CSP refuses it harmlessly (known, expected).
    .filter((v) => v.blockedURI !== 'wasm-eval')
    .map((v) => `${v.directive} ${v.blockedURI} ${v.sourceFile}:${v.lineNumber}`);
  const errors = vscode.console.filter((m) => m.inWebview && (m.type === 'error' || m.type === 'pageerror')).map((m) => `${m.type}: ${m.text}`);
  return { csp, errors };
}
