/**
 * `npm run bench`: Lectern's speed as ratios against the best possible baseline.
 * Prints a table and writes bench-results.json at the repository root (git-ignored).
 *
 * Flags: --no-build  reuse dist/ and build/lectern.vsix instead of running `npm run package`
 *        --quick     skip the 32 MB parse and use fewer runs (for a smoke check, not for numbers)
 *        --no-demos  skip the headless Chromium demo measurements
 *        --no-startup skip the code-server start-up runs (activation, first TODO tree)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRepoRoot, loadNotes, loadSeed, synthesize } from './corpus';
import { benchParse, linearity, planFor, type ParseRow } from './parseBench';
import { benchTreeRefresh } from './editBench';
import { benchModelEdit } from './modelEditBench';
import { webWorkerBundle, webWorkerParseHost } from './webWorkerHost';
import { benchMath } from './mathBench';
import { benchPreviewBlocks } from './previewBlocksBench';
import { measureBundles } from './bundleBench';
import { benchDemos, type DemoBenchResult } from './demoBench';
import { benchCliMemory } from './cliMemoryBench';
import { benchWorstFormula } from './formulaBench';
import { HOSTILE_RENDER_INPUTS, measureRenderRatio } from '../unit/hostile/renderInputs';
import { benchStartup, type StartupResult } from './startupBench';
import { benchCli } from './cliBench';
import { formatBytes, renderTable } from './table';
import { collectGarbage } from './measure';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const root = findRepoRoot();

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function build(): string | undefined {
  if (args.has('--no-build')) return 'reused existing dist/ and build/ (--no-build)';
  log('npm run package (webpack production + vsce) …');
  const r = spawnSync('npm', ['run', 'package'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    log(`npm run package failed (exit ${r.status}); measuring whatever dist/ and build/ hold:\n${tail}`);
    return `npm run package failed (exit ${r.status}); sizes are of the files already present`;
  }
  return undefined;
}

function section<T>(name: string, fn: () => T): T | { error: string } {
  log(`${name} …`);
  try {
    return fn();
  } catch (e) {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    log(`${name} failed: ${message}`);
    return { error: message.split('\n')[0] };
  } finally {
    collectGarbage();
  }
}

async function sectionAsync<T>(name: string, fn: () => Promise<T>): Promise<T | { error: string }> {
  log(`${name} …`);
  try {
    return await fn();
  } catch (e) {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    log(`${name} failed: ${message}`);
    return { error: message };
  }
}

function isError(value: unknown): value is { error: string } {
  return typeof value === 'object' && value !== null && 'error' in value;
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = os.loadavg();
  const buildNote = build();
  const notes = loadNotes(root);
  const seed = loadSeed(root);
  const real = [...notes.map((n) => n.text), ...(seed ? [seed.text] : [])];
  if (real.length === 0) throw new Error('neither notes/ nor the seed is there to measure');
  log(`notes/: ${notes.map((n) => n.name).join(', ') || '(none yet)'}; seed: ${seed?.name ?? '(missing)'}`);

  // ---- Parse -------------------------------------------------------------------------------
  const rows: ParseRow[] = [];
  const parseErrors: string[] = [];
  const addRow = (name: string, texts: readonly string[], runsScale = 1) => {
    const r = section(`parse ${name}`, () => {
      const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
      const plan = planFor(bytes);
      return benchParse(name, texts, quick ? { warmup: 1, runs: Math.max(3, Math.round(plan.runs / 3)) } : { warmup: plan.warmup, runs: Math.round(plan.runs * runsScale) });
    });
    if (isError(r)) parseErrors.push(`${name}: ${r.error}`);
    else rows.push(r);
  };
  if (notes.length) addRow('notes/', notes.map((n) => n.text));
  if (seed) addRow('seed (raw)', [seed.text]);
  const sizes = quick ? [32_000, 320_000, 3_200_000] : [32_000, 320_000, 3_200_000, 32_000_000];
  const synthetic = new Map<number, string>();
  for (const size of sizes) {
    const text = synthesize(real, size);
    synthetic.set(size, text);
    addRow(`synthetic ${formatBytes(size)}`, [text]);
  }
  const syntheticRows = rows.filter((r) => r.name.startsWith('synthetic'));
  const lin = linearity(syntheticRows);
  const notesRow = rows.find((r) => r.name === 'notes/') ?? rows.find((r) => r.name === 'seed (raw)');

  // ---- TODO tree refresh after a one-character edit (3.2 MB) --------------------------------
  const big = synthetic.get(3_200_000) ?? synthesize(real, 3_200_000);
  synthetic.delete(32_000_000);
  const edit = section('tree refresh after a one-character edit (3.2 MB)', () => benchTreeRefresh(big, quick ? { warmup: 1, runs: 3 } : undefined));
  const modelEdit = await sectionAsync('tree refresh on the extension path (document model), 3.2 MB', () =>
    benchModelEdit(big, quick ? { warmup: 1, runs: 3 } : undefined, quick ? 15 : 60),
  );
  // The same on the web extension's path: the open's full parse goes through the built web worker
  // bundle (dist/web/parseWorker.js) and the shared WorkerParseHost, as in the browser (issue #17).
  const webBundle = webWorkerBundle(root);
  const webModelEdit = await sectionAsync('tree refresh on the web extension path (web worker bundle), 3.2 MB', async () => {
    if (!webBundle) throw new Error('dist/web/parseWorker.js is missing: run `npm run build`');
    const host = webWorkerParseHost(webBundle);
    try {
      return await benchModelEdit(
        big,
        quick ? { warmup: 1, runs: 3 } : undefined,
        quick ? 15 : 60,
        host,
        'as edit.path, with full parses in dist/web/parseWorker.js (WorkerParseHost, a Node worker thread shimmed as a web worker)',
      );
    } finally {
      host.dispose();
    }
  });

  // ---- Preview: blocks re-rendered by a one-character edit (3.2 MB) ------------------------------
  const previewBlocks = section('preview blocks re-rendered after a one-character edit (3.2 MB)', () => benchPreviewBlocks(big, quick ? 3 : 7));

  // ---- Math ---------------------------------------------------------------------------------
  const math = section('math render cold / warm / after an edit', () => benchMath(notes.length ? notes.map((n) => n.text) : real, quick ? { warmup: 1, runs: 3 } : undefined));

  // ---- CLI peak memory on one big note (each command in a fresh process) ------------------------
  const memoryBytes = quick ? 3_200_000 : 32_000_000;
  const cliMemory = section(`CLI peak memory, ${formatBytes(memoryBytes)} note`, () => benchCliMemory(synthesize(real, memoryBytes)));

  // ---- Hostile inputs: the most expensive formula under the budget, render cost per MB ----------
  const worstFormula = section('most expensive formulas under the budget', () => benchWorstFormula(quick ? 3 : 9));
  const renderRatios = section('render per MB of the hostile inputs vs an ordinary note', () =>
    HOSTILE_RENDER_INPUTS.map((input) => ({ name: input.name, allowedRatio: input.allowed, ...measureRenderRatio(input, quick ? 1 : 5) })),
  );

  // ---- Bundles ------------------------------------------------------------------------------
  const bundle = section('bundle sizes', () => measureBundles(root, buildNote));

  // ---- CLI start-up ------------------------------------------------------------------------
  const cli = section('CLI start-up: lectern todos vs node -e 0', () => benchCli(root, quick ? 5 : 15));

  // ---- Start-up in the real host --------------------------------------------------------------
  let startup: StartupResult | string;
  if (args.has('--no-startup')) startup = 'not measured: --no-startup';
  else {
    log('start-up in code-server (activation, first TODO tree) …');
    try {
      startup = await benchStartup(quick ? 1 : 3, log);
    } catch (e) {
      startup = `not measured: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
  }

  // ---- Demos --------------------------------------------------------------------------------
  let demos: DemoBenchResult | string;
  if (args.has('--no-demos')) demos = 'not measured: --no-demos';
  else {
    log('demos in headless Chromium (WebGL and CPU) …');
    try {
      demos = await benchDemos(root, quick);
    } catch (e) {
      demos = `not measured: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  // ---- Report -------------------------------------------------------------------------------
  const msPerMB = Object.fromEntries(syntheticRows.map((r) => [String(r.bytes), r.msPerMB]));
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    machine: {
      platform: `${os.platform()} ${os.release()}`,
      arch: os.arch(),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGB: Math.round(os.totalmem() / 1e9),
      loadAverageAtStart: loadAtStart.map((v) => Math.round(v * 100) / 100),
    },
    loadAverageAtEnd: os.loadavg().map((v) => Math.round(v * 100) / 100),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    quick,
    parse: {
      ratioToMarkdownIt: notesRow?.ratioToMarkdownIt ?? null,
      ratioInput: notesRow?.name ?? null,
      msPerMB,
      linearity: { ...lin, goal: 'time per MB within 20 % from 32 KB to 32 MB' },
      rows,
      errors: parseErrors,
    },
    edit: isError(modelEdit)
      ? { treeRefreshMs: null, mainThreadMaxMs: null, error: modelEdit.error }
      : {
          treeRefreshMs: modelEdit.treeRefreshMs,
          mainThreadMaxMs: modelEdit.mainThreadMaxMs,
          cpu: { treeRefreshMs: modelEdit.treeRefreshCpuMs, mainThreadMaxMs: modelEdit.mainThreadMaxCpuMs, note: 'CPU time of the same work: wall time on a loaded machine includes waiting for a core' },
          path: modelEdit.path,
          goals: { treeRefreshMs: '< 16', mainThreadMaxMs: '<= 50' },
          bytes: modelEdit.bytes,
          where: modelEdit.where,
          treeRefresh: modelEdit.treeRefresh,
          burst: {
            edits: modelEdit.burstEdits,
            keystrokeIntervalMs: 16,
            typingDelayMs: 0,
            rebuilds: modelEdit.burstRebuilds,
            mainThreadTasks: modelEdit.mainThreadTasks,
            eventLoopDelayMaxMs: modelEdit.eventLoopDelayMaxMs,
            eventLoopDelayP99Ms: modelEdit.eventLoopDelayP99Ms,
            fullParses: modelEdit.fullParses,
            equalToFullParse: modelEdit.equalToFullParse,
          },
          openMs: modelEdit.openMs,
          web: isError(webModelEdit)
            ? { error: webModelEdit.error }
            : {
                path: webModelEdit.path,
                treeRefreshMs: webModelEdit.treeRefreshMs,
                mainThreadMaxMs: webModelEdit.mainThreadMaxMs,
                openMs: webModelEdit.openMs,
                fullParses: webModelEdit.fullParses,
                equalToFullParse: webModelEdit.equalToFullParse,
              },
          core: isError(edit)
            ? { error: edit.error }
            : {
                fullReparseMs: edit.fullReparseMs,
                parseOnlyMs: edit.parseOnlyMs,
                treeOnlyMs: edit.treeOnlyMs,
                todos: edit.todos,
                fullPath: 'parseNotes + buildTodoTree (what the extension did before the document model)',
                coreIncrementalMs: edit.coreIncrementalMs,
                coreIncremental: {
                  path: edit.coreIncrementalPath,
                  reparsedChars: edit.coreIncrementalReparsedChars,
                  vsFullParse: edit.coreVsFullParse,
                  what: 'src/core/snapshot.ts updateSnapshot + buildTodoTree, the core alone',
                },
              },
        },
    previewBlocks: isError(previewBlocks) ? { blocksRenderedAfterEdit: null, error: previewBlocks.error } : previewBlocks,
    math: isError(math) ? { rerenderedAfterEdit: null, error: math.error } : math,
    cliMemory: isError(cliMemory) ? { worstTimesNote: null, error: cliMemory.error } : cliMemory,
    hostile: {
      ...(isError(worstFormula)
        ? { worstFormulaMs: null, error: worstFormula.error }
        : {
            worstFormulaMs: worstFormula.worstFormulaMs,
            worstFormula: worstFormula.worstFormula,
            formulaGoalMs: worstFormula.goalMs,
            formulaBudgetTokens: worstFormula.budgetTokens,
            what: 'CPU ms (median) of one KaTeX render of the largest member of each family in test/unit/hostile/formulaPayloads.ts that still renders; curveMs at n/4, n/2, n',
            formulas: worstFormula.rows,
          }),
      render: isError(renderRatios) ? { error: renderRatios.error } : renderRatios,
    },
    bundle: isError(bundle) ? { extensionBytes: null, demoBytes: null, vsixBytes: null, error: bundle.error } : bundle,
    startup,
    cli: isError(cli) ? { ratio: null, error: cli.error } : cli,
    demos,
  };
  fs.writeFileSync(path.join(root, 'bench-results.json'), JSON.stringify(results, null, 2) + '\n');

  const out: string[] = [];
  out.push(
    renderTable(
      'Parse (median ms; ratio = Lectern parseNotes / bare markdown-it parse of the same text)',
      ['input', 'bytes', 'runs', 'lectern ms', 'MB/s', 'md-it ms', 'md-it+katex ms', 'ratio', 'ms/MB', 'todos', 'math'],
      rows.map((r) => [r.name, r.bytes, r.runs, r.lecternMs, r.lecternMBps, r.markdownItMs, r.markdownItKatexMs, r.ratioToMarkdownIt, r.msPerMB, r.todos, r.math]),
    ),
  );
  out.push(`linear growth: ms/MB spread ${Number.isFinite(lin.maxSpread) ? `${Math.round(lin.maxSpread * 100)} %` : 'n/a'} (goal ≤ 20 %: ${lin.withinGoal ? 'met' : 'missed'})`);
  if (parseErrors.length) out.push(`parse errors: ${parseErrors.join('; ')}`);
  out.push('');
  if (isError(edit)) out.push(`Tree refresh (core): failed: ${edit.error}`);
  if (isError(modelEdit)) out.push(`Tree refresh (extension path): failed: ${modelEdit.error}`);
  if (isError(webModelEdit)) out.push(`Tree refresh (web extension path): failed: ${webModelEdit.error}`);
  if (!isError(edit) || !isError(modelEdit)) {
    const rows: Array<Array<string | number>> = [];
    if (!isError(modelEdit)) {
      rows.push(['extension path: NotesModel + TodoTreeState (edit.treeRefreshMs)', modelEdit.treeRefreshMs, '< 16 ms']);
      rows.push(['  the same, CPU time', modelEdit.treeRefreshCpuMs, '']);
      rows.push([`longest main-thread block, ${modelEdit.burstEdits} keystrokes 16 ms apart (edit.mainThreadMaxMs)`, modelEdit.mainThreadMaxMs, '≤ 50 ms']);
      rows.push(['  the same, CPU time', modelEdit.mainThreadMaxCpuMs, '']);
    }
    if (!isError(webModelEdit)) {
      rows.push(['web extension path: the same over the web worker bundle (edit.web.treeRefreshMs)', webModelEdit.treeRefreshMs, '< 16 ms']);
      rows.push([`  longest main-thread block, ${webModelEdit.burstEdits} keystrokes (edit.web.mainThreadMaxMs)`, webModelEdit.mainThreadMaxMs, '≤ 50 ms']);
      rows.push(['  opening the note: its full parse in the web worker (edit.web.openMs)', webModelEdit.openMs, '']);
    }
    if (!isError(edit)) {
      rows.push(['before the model: full re-parse + tree model', edit.fullReparseMs, '']);
      rows.push(['  of which parseNotes', edit.parseOnlyMs, '']);
      rows.push(['  of which buildTodoTree', edit.treeOnlyMs, '']);
      rows.push([`core alone: updateSnapshot + tree model (${edit.coreIncrementalPath}, ${edit.coreIncrementalReparsedChars} chars re-parsed)`, edit.coreIncrementalMs, '']);
    }
    const bytes = isError(modelEdit) ? (isError(edit) ? 0 : edit.bytes) : modelEdit.bytes;
    out.push(renderTable(`TODO tree refresh after a one-character edit, ${formatBytes(bytes)} note`, ['path', 'median ms', 'goal'], rows));
    if (!isError(modelEdit)) {
      out.push(`extension path: ${modelEdit.path}`);
      out.push(
        `burst: ${modelEdit.burstRebuilds} tree rebuilds, ${modelEdit.fullParses} full parses, final parse ${modelEdit.equalToFullParse ? 'deep-equal to' : 'DIFFERS from'} parseNotes; ${modelEdit.mainThreadTasks} tasks; event-loop delay p99 ${modelEdit.eventLoopDelayP99Ms} ms, max ${modelEdit.eventLoopDelayMaxMs} ms`,
      );
    }
    if (!isError(edit)) {
      const c = edit.coreVsFullParse;
      out.push(`core incremental vs full parse: result ${c.equal ? 'deep-equal' : 'DIFFERS'}, ids ${c.idsEqual}/${c.ids} equal`);
    }
  }
  out.push('');
  if (isError(previewBlocks)) out.push(`Preview blocks: failed: ${previewBlocks.error}`);
  else {
    const p = previewBlocks;
    out.push(
      renderTable(
        `Preview after a one-character edit (${formatBytes(p.noteBytes)} note, ${p.blocks} top-level blocks, median of ${p.runs})`,
        ['measure', 'edit (blocks re-rendered)', 'whole note'],
        [
          ['blocks rendered', p.blocksRenderedAfterEdit, p.blocks],
          ['host render (ms)', p.editMs, p.fullRenderMs],
          ['HTML sent to the webview', formatBytes(p.patchBytes), formatBytes(p.fullBytes)],
        ],
      ),
    );
  }
  out.push('');
  if (isError(math)) out.push(`Math: failed: ${math.error}`);
  else {
    const m = math;
    out.push(
      renderTable(
        `Math (${m.formulas} formulas in notes, ${m.distinctFormulas} distinct)`,
        ['measure', 'value'],
        [
          ['all formulas, cold cache (ms)', m.coldMs],
          ['all formulas, warm cache (ms)', m.warmMs],
          ['preview render, cold (ms)', m.previewColdMs],
          ['preview render, warm (ms)', m.previewWarmMs],
          ['preview render after a 1-char edit in one formula (ms)', m.previewAfterEditMs],
          ['formulas re-rendered after that edit (goal 1)', m.rerenderedAfterEdit],
        ],
      ),
    );
  }
  out.push('');
  if (isError(cliMemory)) out.push(`CLI memory: failed: ${cliMemory.error}`);
  else {
    const c = cliMemory;
    out.push(
      renderTable(
        `CLI peak memory (resident set, Node included) on a ${formatBytes(c.noteBytes)} note; goal < ${c.goalTimesNote}× the note`,
        ['command', 'exit', 'peak', '× note', `< ${c.goalTimesNote}×`],
        c.rows.map((r) => [r.command, r.exitCode, r.peakBytes === null ? null : formatBytes(r.peakBytes), r.timesNote, r.withinGoal === null ? '' : r.withinGoal ? 'met' : 'MISSED']),
      ),
    );
  }
  out.push('');
  if (isError(worstFormula)) out.push(`Formulas under the budget: failed: ${worstFormula.error}`);
  else {
    const w = worstFormula;
    out.push(
      renderTable(
        `Most expensive formulas under the budget (${w.budgetTokens} tokens), CPU ms of one render; goal < ${w.goalMs} ms`,
        ['family', 'n', 'tokens', 'output chars', 'ms at n/4', 'n/2', 'n', 'min'],
        w.rows.map((r) => [r.name, r.n, r.tokens, r.outputChars, r.curveMs[0], r.curveMs[1], r.curveMs[2], r.minMs]),
      ),
    );
    out.push(`worst: ${w.worstFormula}, ${w.worstFormulaMs} ms`);
  }
  out.push('');
  if (isError(renderRatios)) out.push(`Render per MB: failed: ${renderRatios.error}`);
  else {
    out.push(
      renderTable(
        'lectern export CPU ms per MB: hostile input vs an ordinary note of the same size (medians, same run)',
        ['input', 'bytes', 'ms/MB', 'ordinary ms/MB', 'ratio', 'allowed', '×4 input → ms'],
        renderRatios.map((r) => [r.name, r.bytes, Math.round(r.hostileMsPerMb), Math.round(r.ordinaryMsPerMb), Math.round(r.ratio * 100) / 100, r.allowedRatio, `${Math.round(r.quarterMs)} → ${Math.round(r.fullMs)}`]),
      ),
    );
  }
  out.push('');
  if (isError(bundle)) out.push(`Bundles: failed: ${bundle.error}`);
  else {
    const b = bundle;
    const budget = (bytes: number | null, goal: number) => (bytes === null ? '' : `≤ ${formatBytes(goal)}: ${bytes <= goal ? 'met' : 'MISSED'}`);
    out.push(
      renderTable('Bundle sizes', ['artifact', 'size', 'bytes', 'goal'], [
        ['dist/extension.js', formatBytes(b.extensionBytes), b.extensionBytes, budget(b.extensionBytes, b.goals.extensionBytes)],
        ['  + dist/extension-parser.js = loaded at activation', formatBytes(b.extensionStartupBytes), b.extensionStartupBytes, budget(b.extensionStartupBytes, b.goals.extensionBytes)],
        ['dist/extension-parseWorker.js (+ the shared parser chunk)', formatBytes(b.workerBytes), b.workerBytes, ''],
        ...b.extensionLazyChunks.map((c) => [`  on first use: ${c.file}`, formatBytes(c.bytes), c.bytes, '']),
        ['dist/web/extension.js (web extension: all it loads at activation)', formatBytes(b.webExtensionBytes), b.webExtensionBytes, budget(b.webExtensionBytes, b.goals.extensionBytes)],
        ['dist/web/parseWorker.js (self-contained: runs from a Blob URL)', formatBytes(b.webWorkerBytes), b.webWorkerBytes, ''],
        ...b.webLazyChunks.map((c) => [`  on first use: ${c.file}`, formatBytes(c.bytes), c.bytes, '']),
        ['dist/webview/preview.js', formatBytes(b.previewBytes), b.previewBytes, ''],
        [`demos (${b.demoFiles.length} files)`, formatBytes(b.demoBytes), b.demoBytes, ''],
        ...b.demoChunks.map((c) => [`  ${c.file}`, formatBytes(c.bytes), c.bytes, budget(c.bytes, b.goals.demoChunkBytes)]),
        ['dist/cli.js', formatBytes(b.cliBytes), b.cliBytes, ''],
        ['build/lectern.vsix', formatBytes(b.vsixBytes), b.vsixBytes, ''],
      ]),
    );
    if (b.note) out.push(`note: ${b.note}`);
  }
  out.push('');
  const met = (value: number | null, goal: number) => (value === null ? '' : value <= goal ? 'met' : 'MISSED');
  const startupRows: (readonly (string | number | null)[])[] = [];
  if (typeof startup === 'string') startupRows.push(['activation and first TODO tree', startup, null, '']);
  else {
    const s = startup;
    startupRows.push(
      ['activate() (ms, extension host log)', s.activateMs, s.goals.activateMs, met(s.activateMs, s.goals.activateMs)],
      ['load + activate (ms, extension host log)', s.loadAndActivateMs, s.goals.loadAndActivateMs, met(s.loadAndActivateMs, s.goals.loadAndActivateMs)],
      ['first TODO tree of notes/ (ms after activation start)', s.firstTreeAfterActivationStartMs, s.goals.firstTreeMs, met(s.firstTreeAfterActivationStartMs, s.goals.firstTreeMs)],
      ['  (ms after the click that shows the view)', s.firstTreeMs, null, ''],
      ['  control extension, same scenario: load + activate (ms)', s.control.loadAndActivateMs, null, ''],
      ['  control extension: first tree row after activation start (ms)', s.control.firstTreeAfterActivationStartMs, null, ''],
      ['load + activate on opening a note (ms, as test/e2e/activation.test.ts)', s.onOpen.lectern.loadAndActivateMs, s.goals.loadAndActivateMs, met(s.onOpen.lectern.loadAndActivateMs, s.goals.loadAndActivateMs)],
      ['  control extension, same scenario (ms)', s.onOpen.control.loadAndActivateMs, null, ''],
      ['require of dist/extension.js in plain Node (ms; lower bound of the host\'s code loading)', s.moduleLoad.lecternMs, null, ''],
    );
    // Where load + activate goes (the probe's phases, medians), Lectern beside the control.
    const phaseRows = [
      ['before the require (host)', 'beforeLoadMs'],
      ['require of the main file', 'requireMs'],
      ['context fetch after the require (host)', 'contextWaitMs'],
      ['activate() call', 'activateCallMs'],
      ['activate() returned → log line stamped (host log channel)', 'logStampDelayMs'],
    ] as const;
    for (const [scenario, lecternM, controlM] of [
      ['view shown', s, s.control],
      ['note opened', s.onOpen.lectern, s.onOpen.control],
    ] as const) {
      const a = lecternM.phases;
      const b = controlM.phases;
      for (const [label, key] of phaseRows) {
        startupRows.push([`  ${scenario}: ${label} (ms, Lectern / control)`, a && b ? `${a[key]} / ${b[key]}` : 'n/a', null, '']);
      }
    }
    startupRows.push(['  (Lectern − control per phase: bench-results.json startup.attribution)', null, null, '']);
  }
  if (isError(cli) || typeof cli === 'string') startupRows.push(['lectern todos', isError(cli) ? cli.error : cli, null, '']);
  else {
    const c = cli;
    startupRows.push(
      [`node -e 0 (ms)`, c.nodeMs, null, ''],
      [`lectern todos, ${c.smallNoteBytes}-byte note (ms)`, c.todosSmallMs, null, ''],
      ['  ratio to node -e 0', c.ratio, c.goalRatio, met(c.ratio, c.goalRatio)],
      ['lectern todos notes/*.md (ms)', c.todosNotesMs, null, ''],
    );
  }
  out.push(renderTable('Start-up (medians)', ['measure', 'value', 'goal ≤', ''], startupRows));
  if (typeof startup !== 'string') out.push(`start-up: ${startup.what}`);
  out.push('');
  if (typeof demos === 'string') out.push(`Demos: ${demos}`);
  else {
    out.push(
      renderTable(
        `Demos in one headless Chromium run: ${demos.browser}`,
        ['demo', 'unit', 'webgl ms', 'cpu ms', 'webgl/cpu', 'note'],
        demos.rows.map((r) => [r.demo, r.unit, r.webglMs, r.cpuMs, r.webglMs !== null && r.cpuMs !== null ? Math.round((r.webglMs / r.cpuMs) * 100) / 100 : null, r.note ?? '']),
      ),
    );
  }
  out.push('', `machine: ${results.machine.cpuModel} ×${results.machine.cpus}, node ${results.node}, ${results.date}`);
  out.push(`load average at start ${results.machine.loadAverageAtStart.join(' ')}, at end ${results.loadAverageAtEnd.join(' ')} (absolute times scale with load; ratios are interleaved run by run)`);
  out.push(`wrote ${path.join(root, 'bench-results.json')} in ${results.durationSeconds} s`);
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
