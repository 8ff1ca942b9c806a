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
 *
 * load + activate is read as test/e2e/activation.test.ts reads it: from the host's
 * `_doActivateExtension` line to Lectern's "activated" line. Both scenarios that activate Lectern
 * are measured: showing its view (above) and opening a note (the end-to-end test's way, where VS
 * Code's own Markdown extension activates at the same moment). The same runs are made with a
 * control (test/bench/controlExtension): an extension with Lectern's activation events, a view and
 * a log channel but nothing to load or do, installed the same way. Its figures are what the host
 * itself costs; Lectern's minus the control's is Lectern's own share. Runs alternate
 * Lectern / control so both see the same machine load.
 *
 * `LECTERN_STARTUP_TRACE=1` runs code-server at log level trace: the host then also logs when it
 * calls activate() (`_callActivateOptional`), which splits load + activate into "until activate()
 * is called" (loading the code and, in parallel, the extension context: storage round trips to the
 * workbench) and "activate() and the log line" (trace logging slows the host a little).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLog, readManifest, repoRoot, startVSCode, type LogLine, type VSCodeSession } from '../e2e/lib';
import { median } from './measure';

/** What one run reads from the logs (and, when the view was shown, from the screen). */
export interface StartupRun {
  readonly subject: 'lectern' | 'control';
  readonly scenario: 'view' | 'open';
  readonly activationEvent: string;
  readonly activateMs: number;
  readonly loadAndActivateMs: number;
  /** With LECTERN_STARTUP_TRACE=1: from the host starting the activation to calling activate(). */
  readonly untilActivateCalledMs: number | null;
  /** Click on the activity-bar icon → first tree row (includes waiting for a still-busy extension host). */
  readonly firstTreeMs: number | null;
  /** VS Code starting the activation (extension host log) → first tree row. */
  readonly firstTreeAfterActivationStartMs: number | null;
}

interface Medians {
  readonly activateMs: number;
  readonly loadAndActivateMs: number;
  readonly untilActivateCalledMs: number | null;
  readonly firstTreeMs: number | null;
  readonly firstTreeAfterActivationStartMs: number | null;
}

export interface StartupResult {
  readonly runs: readonly StartupRun[];
  /** Lectern, view shown (the top-level figures, as before). */
  readonly activateMs: number;
  readonly loadAndActivateMs: number;
  readonly firstTreeMs: number;
  readonly firstTreeAfterActivationStartMs: number | null;
  /** The control extension in the same scenario. */
  readonly control: Medians;
  /** Opening a note (test/e2e/activation.test.ts): Lectern and the control. */
  readonly onOpen: { readonly lectern: Medians; readonly control: Medians };
  /** The lower bound of the host's code loading: `require` of each bundle in plain Node (see moduleLoad). */
  readonly moduleLoad: ModuleLoad;
  readonly goals: { readonly activateMs: 20; readonly loadAndActivateMs: 250; readonly firstTreeMs: 500 };
  readonly trace: boolean;
  readonly what: string;
}

export interface ModuleLoad {
  /** dist/extension.js and the chunks it requires synchronously (the parser), median wall ms. */
  readonly lecternMs: number;
  /** The same, CPU ms (less sensitive to the machine's load). */
  readonly lecternCpuMs: number;
  /** The control's extension.js. */
  readonly controlMs: number;
  readonly runs: number;
  readonly what: string;
}

/**
 * What the host's "code loading" costs at least: `require` of the bundle in a fresh Node with a
 * stub `vscode` and the built-ins the extension host has already loaded, so only Lectern's own
 * files are read, compiled and evaluated. Fresh process per sample, Lectern and control alternating.
 */
const requireProbe = `
for (const m of ['path', 'fs', 'fs/promises', 'crypto', 'worker_threads', 'os', 'util', 'events']) require(m);
const Module = require('module');
const load = Module._load;
const stub = new Proxy(function () {}, { get: (_t, k) => (k === 'prototype' ? {} : stub), apply: () => stub, construct: () => stub });
Module._load = function (request) { return request === 'vscode' ? stub : load.apply(this, arguments); };
const cpu = process.cpuUsage();
const wall = process.hrtime.bigint();
require(process.argv[1]);
const wallMs = Number(process.hrtime.bigint() - wall) / 1e6;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 }));
`;

function requireOnce(file: string): { wallMs: number; cpuMs: number } {
  const r = spawnSync(process.execPath, ['-e', requireProbe, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`require(${file}) failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { wallMs: number; cpuMs: number };
}

export function measureModuleLoad(runs: number): ModuleLoad {
  const lecternFile = path.join(repoRoot, 'dist', 'extension.js');
  const controlFile = path.join(repoRoot, 'test', 'bench', 'controlExtension', 'extension.js');
  const lectern: { wallMs: number; cpuMs: number }[] = [];
  const control: number[] = [];
  for (let i = 0; i < runs; i++) {
    lectern.push(requireOnce(lecternFile));
    control.push(requireOnce(controlFile).wallMs);
  }
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    lecternMs: round(median(lectern.map((s) => s.wallMs))),
    lecternCpuMs: round(median(lectern.map((s) => s.cpuMs))),
    controlMs: round(median(control)),
    runs,
    what: "require of dist/extension.js (with the chunks it loads synchronously) in a fresh plain Node, 'vscode' stubbed, Node built-ins preloaded: the lower bound of the host's code loading",
  };
}

/** Where the control extension reports its activation (test/bench/controlExtension/extension.js). */
export const CONTROL_LOG = { channel: 'Start-up Control', activated: /Start-up Control activated in (\d+) ms/ } as const;
/** The control's activity-bar container and its view, as its package.json contributes them. */
export const CONTROL_VIEW = { container: 'startupControl', title: 'Start-up Control', view: 'startupControl.items' } as const;

interface Subject {
  readonly name: 'lectern' | 'control';
  readonly vsix: string;
  readonly extensionId: string;
  readonly channel: string;
  readonly activated: RegExp;
  readonly icon: string;
  readonly treeRow: string;
}

const noteToOpen = 'iacv-lectures-08-14.md';

function lectern(): Subject {
  return {
    name: 'lectern',
    vsix: path.join(repoRoot, 'build', 'lectern.vsix'),
    extensionId: readManifest().extensionId,
    channel: 'Lectern',
    activated: /Lectern activated in (\d+) ms/,
    icon: '.activitybar .action-item a[aria-label^="Lectern"]',
    treeRow: '[id="workbench.view.extension.lectern"] .monaco-list-row',
  };
}

/** Packages test/bench/controlExtension into a temporary VSIX with the same vsce as Lectern's. */
function control(dir: string): Subject {
  const source = path.join(repoRoot, 'test', 'bench', 'controlExtension');
  const work = path.join(dir, 'control');
  fs.cpSync(source, work, { recursive: true });
  const vsix = path.join(dir, 'startup-control.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', vsix], { cwd: work, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error(`packaging the control extension failed: ${r.stderr || r.stdout}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { publisher: string; name: string };
  return {
    name: 'control',
    vsix,
    extensionId: `${manifest.publisher}.${manifest.name}`,
    channel: CONTROL_LOG.channel,
    activated: CONTROL_LOG.activated,
    icon: `.activitybar .action-item a[aria-label^="${CONTROL_VIEW.title}"]`,
    treeRow: `[id="workbench.view.extension.${CONTROL_VIEW.container}"] .monaco-list-row`,
  };
}

function findLine(lines: readonly LogLine[], prefix: string): LogLine | undefined {
  return lines.find((l) => l.message.startsWith(prefix));
}

/** Waits for the host's activation line and the subject's "activated" line, and reads both. */
async function readActivation(vscode: VSCodeSession, subject: Subject) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const host = parseLog(await vscode.extensionHostLog());
    const own = parseLog(await vscode.outputChannelLog(subject.channel, subject.extensionId));
    const start = findLine(host, `ExtensionService#_doActivateExtension ${subject.extensionId},`);
    const done = own.find((l) => subject.activated.test(l.message));
    if (start && done) {
      const called = findLine(host, `ExtensionService#_callActivateOptional ${subject.extensionId}`);
      return {
        start: start.time,
        activationEvent: /activationEvent: '([^']*)'/.exec(start.message)?.[1] ?? '?',
        activateMs: Number(subject.activated.exec(done.message)?.[1]),
        loadAndActivateMs: done.time - start.time,
        untilActivateCalledMs: called ? called.time - start.time : null,
      };
    }
    if (Date.now() > deadline) throw new Error(`${subject.name}: no activation lines in the logs after 60 s`);
    await vscode.page.waitForTimeout(100);
  }
}

async function oneRun(subject: Subject, scenario: 'view' | 'open', index: number, trace: boolean): Promise<StartupRun> {
  let vscode: VSCodeSession | undefined;
  try {
    vscode = await startVSCode({
      name: `bench-startup-${subject.name}-${scenario}-${index}`,
      vsix: [subject.vsix],
      env: trace ? { LOG_LEVEL: 'trace' } : undefined,
    });
    if (subject.activated.test(await vscode.outputChannelLog(subject.channel, subject.extensionId))) {
      throw new Error(`${subject.name} was active before ${scenario === 'view' ? 'its view was shown' : 'a note was opened'}`);
    }
    if (scenario === 'open') {
      await vscode.openFile(noteToOpen);
      const activation = await readActivation(vscode, subject);
      await vscode.screenshot('note-open');
      return { subject: subject.name, scenario, ...activation, firstTreeMs: null, firstTreeAfterActivationStartMs: null };
    }
    const icon = vscode.page.locator(subject.icon).first();
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    const clicked = Date.now();
    await icon.click();
    await vscode.page.locator(subject.treeRow).first().waitFor({ state: 'visible', timeout: 60_000 });
    // Log timestamps are local wall-clock time with milliseconds, the clock Date.now() reads too.
    const shown = Date.now();
    const activation = await readActivation(vscode, subject);
    await vscode.screenshot('first-tree');
    return { subject: subject.name, scenario, ...activation, firstTreeMs: shown - clicked, firstTreeAfterActivationStartMs: shown - activation.start };
  } finally {
    await vscode?.close();
  }
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const numbers = values.filter((v): v is number => v !== null);
  return values.length > 0 && numbers.length === values.length ? median(numbers) : null;
}

function medians(runs: readonly StartupRun[]): Medians {
  return {
    activateMs: median(runs.map((r) => r.activateMs)),
    loadAndActivateMs: median(runs.map((r) => r.loadAndActivateMs)),
    untilActivateCalledMs: medianOrNull(runs.map((r) => r.untilActivateCalledMs)),
    firstTreeMs: medianOrNull(runs.map((r) => r.firstTreeMs)),
    firstTreeAfterActivationStartMs: medianOrNull(runs.map((r) => r.firstTreeAfterActivationStartMs)),
  };
}

function describeRun(run: StartupRun): string {
  const parts = [`activate() ${run.activateMs} ms`, `load + activate ${run.loadAndActivateMs} ms`];
  if (run.untilActivateCalledMs !== null) parts.push(`activate() called after ${run.untilActivateCalledMs} ms`);
  if (run.firstTreeMs !== null)
    parts.push(`first tree ${run.firstTreeAfterActivationStartMs ?? '?'} ms after activation start, ${run.firstTreeMs} ms after the click`);
  return `${run.subject}, ${run.scenario === 'view' ? 'view shown' : 'note opened'} (${run.activationEvent}): ${parts.join(', ')}; load ${os.loadavg()[0].toFixed(2)}`;
}

export async function benchStartup(runs: number, log: (message: string) => void): Promise<StartupResult> {
  const trace = process.env.LECTERN_STARTUP_TRACE === '1';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-startup-'));
  try {
    const moduleLoad = measureModuleLoad(runs * 5);
    log(`require in plain Node: Lectern ${moduleLoad.lecternMs} ms (${moduleLoad.lecternCpuMs} ms CPU), control ${moduleLoad.controlMs} ms`);
    const subjects = [lectern(), control(dir)];
    const results: StartupRun[] = [];
    for (let i = 0; i < runs; i++) {
      for (const scenario of ['view', 'open'] as const) {
        for (const subject of subjects) {
          const run = await oneRun(subject, scenario, i, trace);
          log(`start-up run ${i + 1}/${runs}: ${describeRun(run)}`);
          results.push(run);
        }
      }
    }
    const of = (subject: StartupRun['subject'], scenario: StartupRun['scenario']) =>
      medians(results.filter((r) => r.subject === subject && r.scenario === scenario));
    const main = of('lectern', 'view');
    return {
      runs: results,
      activateMs: main.activateMs,
      loadAndActivateMs: main.loadAndActivateMs,
      firstTreeMs: main.firstTreeMs ?? Number.NaN,
      firstTreeAfterActivationStartMs: main.firstTreeAfterActivationStartMs,
      control: of('control', 'view'),
      onOpen: { lectern: of('lectern', 'open'), control: of('control', 'open') },
      moduleLoad,
      goals: { activateMs: 20, loadAndActivateMs: 250, firstTreeMs: 500 },
      trace,
      what:
        'medians over fresh code-server runs on a copy of notes/; activate() and load + activate from the extension host log ' +
        "(as test/e2e/activation.test.ts); first tree = VS Code starting Lectern's activation (the view shown on the folder) → " +
        'first TODO tree row visible, and from the click on the Lectern activity-bar icon (includes a still-busy extension host); ' +
        'control = test/bench/controlExtension (same activation events, a view and a log channel, nothing else) in the same scenario, ' +
        "runs alternating with Lectern's",
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
