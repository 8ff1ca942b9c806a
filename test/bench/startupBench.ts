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
 * Every run also installs the probe (`installProbe`, the same for both subjects): load + activate is
 * split into before-load, require, context wait, activate() and the log-stamp delay (`Phases`), and
 * `attribution` is Lectern's median of each minus the control's.
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
  /** Where load + activate went, from the probe (see `Phases`); null if the probe did not report. */
  readonly phases: Phases | null;
}

/**
 * load + activate split at the moments the probe (`installProbe`) records in the extension host:
 * the sum of the five is load + activate.
 */
export interface Phases {
  /** The host's `_doActivateExtension` line → the host starting to require the main file (the host's own steps first, e.g. localized messages). */
  readonly beforeLoadMs: number;
  /** The host's `require` of the main file and the chunks it loads synchronously. */
  readonly requireMs: number;
  /** Code loaded → activate() called: the host still fetching the extension's context (state storage, round trips to the workbench). */
  readonly contextWaitMs: number;
  /** activate() itself, timed around the call. */
  readonly activateCallMs: number;
  /**
   * activate() returned → the "activated" line's stamp: the line waits in the host until the log
   * channel is set up (a round trip to the workbench, a log file) and is stamped when written.
   */
  readonly logStampDelayMs: number;
}

interface Medians {
  readonly activateMs: number;
  readonly loadAndActivateMs: number;
  readonly untilActivateCalledMs: number | null;
  readonly firstTreeMs: number | null;
  readonly firstTreeAfterActivationStartMs: number | null;
  /** Median of each phase over the runs (null when a run lacks the probe's figures). */
  readonly phases: { [K in keyof Phases]: number } | null;
}

export interface StartupResult {
  readonly runs: readonly StartupRun[];
  /** Lectern, view shown (the top-level figures, as before). */
  readonly activateMs: number;
  readonly loadAndActivateMs: number;
  readonly firstTreeMs: number;
  readonly firstTreeAfterActivationStartMs: number | null;
  /** Lectern, view shown: load + activate by phase (medians; see `Phases`). */
  readonly phases: PhaseDiff | null;
  /** The control extension in the same scenario. */
  readonly control: Medians;
  /** Opening a note (test/e2e/activation.test.ts): Lectern and the control. */
  readonly onOpen: { readonly lectern: Medians; readonly control: Medians };
  /**
   * Lectern's phases minus the control's (medians of each; see `Phases`), per scenario: what of
   * load + activate is Lectern's. The control's own phases (in `control` and `onOpen.control`) are
   * the host's share.
   */
  readonly attribution: { readonly view: PhaseDiff | null; readonly open: PhaseDiff | null; readonly what: string };
  /** The lower bound of the host's code loading: `require` of each bundle in plain Node (see moduleLoad). */
  readonly moduleLoad: ModuleLoad;
  readonly goals: { readonly activateMs: 20; readonly loadAndActivateMs: 250; readonly firstTreeMs: 500 };
  readonly trace: boolean;
  readonly what: string;
}

export type PhaseDiff = { readonly [K in keyof Phases]: number };

function phaseDiff(lectern: Medians, control: Medians): PhaseDiff | null {
  const a = lectern.phases;
  const b = control.phases;
  if (!a || !b) return null;
  return {
    beforeLoadMs: a.beforeLoadMs - b.beforeLoadMs,
    requireMs: a.requireMs - b.requireMs,
    contextWaitMs: a.contextWaitMs - b.contextWaitMs,
    activateCallMs: a.activateCallMs - b.activateCallMs,
    logStampDelayMs: a.logStampDelayMs - b.logStampDelayMs,
  };
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

/**
 * The probe: after the VSIX is installed and before code-server starts, the subject's main file is
 * renamed `<main>.probed.js` and a small file in its place requires it, writing wall-clock moments
 * (the clock of the log stamps) to the file named by LECTERN_STARTUP_PROBE: load start and end,
 * activate() called and returned. The same wrapper for Lectern and the control; it costs two file
 * appends around each step. The manifest is untouched.
 */
const probeWrapper = (real: string) => `'use strict';
const fs = require('fs');
const mark = (what) => { if (process.env.LECTERN_STARTUP_PROBE) fs.appendFileSync(process.env.LECTERN_STARTUP_PROBE, Date.now() + ' ' + what + '\\n'); };
mark('load-start');
const real = require(${JSON.stringify(real)});
mark('load-end');
exports.activate = function (context) {
  mark('activate-start');
  try { return real.activate(context); } finally { mark('activate-end'); }
};
exports.deactivate = function () { return real.deactivate && real.deactivate(); };
`;

function installProbe(extensionsDir: string, extensionId: string): void {
  const folder = fs.readdirSync(extensionsDir).find((name) => name.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`));
  if (!folder) throw new Error(`probe: ${extensionId} is not installed in ${extensionsDir}`);
  const root = path.join(extensionsDir, folder);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
  const main = path.join(root, manifest.main.endsWith('.js') ? manifest.main : `${manifest.main}.js`);
  const probed = main.replace(/\.js$/, '.probed.js');
  fs.renameSync(main, probed);
  fs.writeFileSync(main, probeWrapper(`./${path.basename(probed)}`));
}

function readPhases(file: string, start: number, stamped: number): Phases | null {
  if (!fs.existsSync(file)) return null;
  const at = new Map<string, number>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [time, what] = line.split(' ');
    if (what && !at.has(what)) at.set(what, Number(time));
  }
  const [loadStart, loadEnd, called, returned] = ['load-start', 'load-end', 'activate-start', 'activate-end'].map((k) => at.get(k));
  if (loadStart === undefined || loadEnd === undefined || called === undefined || returned === undefined) return null;
  return {
    beforeLoadMs: loadStart - start,
    requireMs: loadEnd - loadStart,
    contextWaitMs: called - loadEnd,
    activateCallMs: returned - called,
    logStampDelayMs: stamped - returned,
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
        stamped: done.time,
      };
    }
    if (Date.now() > deadline) throw new Error(`${subject.name}: no activation lines in the logs after 60 s`);
    await vscode.page.waitForTimeout(100);
  }
}

async function oneRun(subject: Subject, scenario: 'view' | 'open', index: number, trace: boolean, dir: string): Promise<StartupRun> {
  let vscode: VSCodeSession | undefined;
  const probe = path.join(dir, `probe-${subject.name}-${scenario}-${index}.txt`);
  const phases = (activation: { start: number; stamped: number }) => readPhases(probe, activation.start, activation.stamped);
  try {
    vscode = await startVSCode({
      name: `bench-startup-${subject.name}-${scenario}-${index}`,
      vsix: [subject.vsix],
      env: { LECTERN_STARTUP_PROBE: probe, ...(trace ? { LOG_LEVEL: 'trace' } : {}) },
      afterInstall: (extensionsDir) => installProbe(extensionsDir, subject.extensionId),
    });
    if (subject.activated.test(await vscode.outputChannelLog(subject.channel, subject.extensionId))) {
      throw new Error(`${subject.name} was active before ${scenario === 'view' ? 'its view was shown' : 'a note was opened'}`);
    }
    if (scenario === 'open') {
      await vscode.openFile(noteToOpen);
      const { stamped, ...activation } = await readActivation(vscode, subject);
      await vscode.screenshot('note-open');
      return {
        subject: subject.name,
        scenario,
        ...activation,
        firstTreeMs: null,
        firstTreeAfterActivationStartMs: null,
        phases: phases({ start: activation.start, stamped }),
      };
    }
    const icon = vscode.page.locator(subject.icon).first();
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    const clicked = Date.now();
    await icon.click();
    await vscode.page.locator(subject.treeRow).first().waitFor({ state: 'visible', timeout: 60_000 });
    // Log timestamps are local wall-clock time with milliseconds, the clock Date.now() reads too.
    const shown = Date.now();
    const { stamped, ...activation } = await readActivation(vscode, subject);
    await vscode.screenshot('first-tree');
    return {
      subject: subject.name,
      scenario,
      ...activation,
      firstTreeMs: shown - clicked,
      firstTreeAfterActivationStartMs: shown - activation.start,
      phases: phases({ start: activation.start, stamped }),
    };
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
    phases: medianPhases(runs.map((r) => r.phases)),
  };
}

function medianPhases(all: readonly (Phases | null)[]): { [K in keyof Phases]: number } | null {
  const runs = all.filter((p): p is Phases => p !== null);
  if (runs.length === 0 || runs.length !== all.length) return null;
  const of = (key: keyof Phases) => median(runs.map((p) => p[key]));
  return {
    beforeLoadMs: of('beforeLoadMs'),
    requireMs: of('requireMs'),
    contextWaitMs: of('contextWaitMs'),
    activateCallMs: of('activateCallMs'),
    logStampDelayMs: of('logStampDelayMs'),
  };
}

function describeRun(run: StartupRun): string {
  const parts = [`activate() ${run.activateMs} ms`, `load + activate ${run.loadAndActivateMs} ms`];
  if (run.untilActivateCalledMs !== null) parts.push(`activate() called after ${run.untilActivateCalledMs} ms`);
  if (run.phases) {
    const p = run.phases;
    parts.push(
      `[before load ${p.beforeLoadMs}, require ${p.requireMs}, context wait ${p.contextWaitMs}, activate() ${p.activateCallMs}, log stamp delay ${p.logStampDelayMs}]`,
    );
  }
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
          const run = await oneRun(subject, scenario, i, trace, dir);
          log(`start-up run ${i + 1}/${runs}: ${describeRun(run)}`);
          results.push(run);
        }
      }
    }
    const of = (subject: StartupRun['subject'], scenario: StartupRun['scenario']) =>
      medians(results.filter((r) => r.subject === subject && r.scenario === scenario));
    const main = of('lectern', 'view');
    const controlView = of('control', 'view');
    const onOpen = { lectern: of('lectern', 'open'), control: of('control', 'open') };
    return {
      runs: results,
      activateMs: main.activateMs,
      loadAndActivateMs: main.loadAndActivateMs,
      firstTreeMs: main.firstTreeMs ?? Number.NaN,
      firstTreeAfterActivationStartMs: main.firstTreeAfterActivationStartMs,
      phases: main.phases,
      control: controlView,
      onOpen,
      attribution: {
        view: phaseDiff(main, controlView),
        open: phaseDiff(onOpen.lectern, onOpen.control),
        what:
          "Lectern's median of each phase minus the control's, same runs: beforeLoad (the host, before the require), require " +
          '(the bundle), contextWait (the host fetching the context; the require runs inside it), activateCall (activate()), ' +
          "logStampDelay (activate() returned → the host's log channel writes and stamps the line)",
      },
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
