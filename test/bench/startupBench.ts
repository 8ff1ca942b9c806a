/**
 * Start-up in the real host (issue #15): Lectern's activation as the extension host logs it, and
 * how long the first TODO tree of the sample notes takes to appear, in code-server + headless
 * Chromium (the end-to-end harness, test/e2e/lib). Each run is a fresh code-server on a fresh copy
 * of notes/ with a fresh profile; nothing activates Lectern until the TODOs view is shown.
 *
 * first tree: from VS Code starting Lectern's activation (the TODOs view was shown: a click on the
 * Lectern icon in the activity bar) to the first row of the TODO tree on screen — loading the
 * bundle, activating, finding and parsing the notes, rendering. Also reported from the click, which
 * adds however long the extension host takes to get to Lectern (other extensions, machine load).
 */
import { parseLog, readManifest, startVSCode, type VSCodeSession } from '../e2e/lib';
import { median } from './measure';

export interface StartupRun {
  readonly activationEvent: string;
  readonly activateMs: number;
  readonly loadAndActivateMs: number;
  /** Click on the Lectern icon → first tree row (includes waiting for a still-busy extension host). */
  readonly firstTreeMs: number;
  /** VS Code starting Lectern's activation (extension host log) → first tree row: Lectern's own part. */
  readonly firstTreeAfterActivationStartMs: number | null;
}

export interface StartupResult {
  readonly runs: readonly StartupRun[];
  readonly activateMs: number;
  readonly loadAndActivateMs: number;
  readonly firstTreeMs: number;
  readonly firstTreeAfterActivationStartMs: number | null;
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
    const shown = Date.now();
    const activation = await vscode.activation();
    await vscode.screenshot('first-tree');
    // Log timestamps are local wall-clock time with milliseconds, the clock Date.now() reads too.
    const { extensionId } = readManifest();
    const start = parseLog(await vscode.extensionHostLog()).find((l) => l.message.startsWith(`ExtensionService#_doActivateExtension ${extensionId},`));
    return { ...activation, firstTreeMs: shown - clicked, firstTreeAfterActivationStartMs: start ? shown - start.time : null };
  } finally {
    await vscode?.close();
  }
}

export async function benchStartup(runs: number, log: (message: string) => void): Promise<StartupResult> {
  const results: StartupRun[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await oneRun(i);
    log(
      `start-up run ${i + 1}/${runs}: activate() ${run.activateMs} ms, load + activate ${run.loadAndActivateMs} ms, ` +
        `first tree ${run.firstTreeAfterActivationStartMs ?? '?'} ms after activation start, ${run.firstTreeMs} ms after the click (${run.activationEvent})`,
    );
    results.push(run);
  }
  return {
    runs: results,
    activateMs: median(results.map((r) => r.activateMs)),
    loadAndActivateMs: median(results.map((r) => r.loadAndActivateMs)),
    firstTreeMs: median(results.map((r) => r.firstTreeMs)),
    firstTreeAfterActivationStartMs: results.every((r) => r.firstTreeAfterActivationStartMs !== null)
      ? median(results.map((r) => r.firstTreeAfterActivationStartMs as number))
      : null,
    goals: { activateMs: 20, loadAndActivateMs: 250, firstTreeMs: 500 },
    what:
      'medians over fresh code-server runs on a copy of notes/; activate() and load + activate from the extension host log ' +
      '(as test/e2e/activation.test.ts); first tree = VS Code starting Lectern\'s activation (the view shown on the folder) → ' +
      'first TODO tree row visible, and from the click on the Lectern activity-bar icon (includes a still-busy extension host)',
  };
}
