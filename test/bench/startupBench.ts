/**
 * Start-up in the real host (issue #15): Lectern's activation as the extension host logs it, and
 * how long the first TODO tree of the sample notes takes to appear, in code-server + headless
 * Chromium (the end-to-end harness, test/e2e/lib). Each run is a fresh code-server on a fresh copy
 * of notes/ with a fresh profile; nothing activates Lectern until the TODOs view is shown.
 *
 * first tree: from clicking the Lectern icon in the activity bar (the view becomes visible, which
 * activates Lectern) to the first row of the TODO tree on screen — activation, loading the bundle,
 * finding and parsing the notes and rendering, as a user opening the folder and the view sees it.
 */
import { startVSCode, type VSCodeSession } from '../e2e/lib';
import { median } from './measure';

export interface StartupRun {
  readonly activationEvent: string;
  readonly activateMs: number;
  readonly loadAndActivateMs: number;
  readonly firstTreeMs: number;
}

export interface StartupResult {
  readonly runs: readonly StartupRun[];
  readonly activateMs: number;
  readonly loadAndActivateMs: number;
  readonly firstTreeMs: number;
  readonly goals: { readonly activateMs: 20; readonly loadAndActivateMs: 250; readonly firstTreeMs: 500 };
  readonly what: string;
}

const lecternIcon = '.activitybar .action-item a[aria-label^="Lectern"]';
const treeRow = '[id="workbench.view.extension.lectern"] .monaco-list-row';

async function oneRun(index: number): Promise<StartupRun> {
  let vscode: VSCodeSession | undefined;
  try {
    vscode = await startVSCode({ name: `bench-startup-${index}` });
    if (/Lectern activated/.test(await vscode.outputChannelLog())) throw new Error('Lectern was active before its view was shown');
    const icon = vscode.page.locator(lecternIcon).first();
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    const clicked = Date.now();
    await icon.click();
    await vscode.page.locator(treeRow).first().waitFor({ state: 'visible', timeout: 60_000 });
    const firstTreeMs = Date.now() - clicked;
    const activation = await vscode.activation();
    await vscode.screenshot('first-tree');
    return { ...activation, firstTreeMs };
  } finally {
    await vscode?.close();
  }
}

export async function benchStartup(runs: number, log: (message: string) => void): Promise<StartupResult> {
  const results: StartupRun[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await oneRun(i);
    log(`start-up run ${i + 1}/${runs}: activate() ${run.activateMs} ms, load + activate ${run.loadAndActivateMs} ms, first tree ${run.firstTreeMs} ms (${run.activationEvent})`);
    results.push(run);
  }
  return {
    runs: results,
    activateMs: median(results.map((r) => r.activateMs)),
    loadAndActivateMs: median(results.map((r) => r.loadAndActivateMs)),
    firstTreeMs: median(results.map((r) => r.firstTreeMs)),
    goals: { activateMs: 20, loadAndActivateMs: 250, firstTreeMs: 500 },
    what:
      'medians over fresh code-server runs on a copy of notes/; activate() and load + activate from the extension host log ' +
      '(as test/e2e/activation.test.ts); first tree = click on the Lectern activity-bar icon → first TODO tree row visible',
  };
}
