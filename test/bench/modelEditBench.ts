/**
 * The TODO tree refresh after a one-character edit on the extension's own path, in plain Node: the
 * in-memory workspace fires the edit as VS Code would, the real `NotesModel` updates the note
 * (`tryUpdateSnapshot`: only the blocks around the edit), and the real `TodoTreeState` the TODO
 * view uses rebuilds the tree from `model.notes()`. What is left out is VS Code's own work
 * (turning nodes into tree items in the renderer) and the `vscode.Uri` of each note.
 *
 * Two numbers (issue #14): `treeRefreshMs`, the median time from the edit event (the document
 * already updated, as VS Code delivers it) to the rebuilt tree (goal < 16 ms, one frame), and `mainThreadMaxMs`, the longest the event loop was blocked
 * during a burst of keystrokes with the model parsing after every one of them (no typing delay,
 * the worst case; goal ≤ 50 ms): the longest timer or immediate callback, timed through
 * `async_hooks` (the event-loop delay is reported beside it).
 */
import { createHook } from 'node:async_hooks';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { parseNotes } from '../../src/core';
import { InMemoryNotesWorkspace, type InMemoryDocument } from '../../src/extension/model/inMemoryWorkspace';
import { silentLog } from '../../src/extension/model/log';
import { NotesModel } from '../../src/extension/model/notesModel';
import { InThreadParseHost, type ParseHost } from '../../src/extension/model/parseHost';
import { TodoTreeState } from '../../src/extension/model/todoTreeState';
import { utf8Bytes } from './corpus';
import { oneCharEdit } from './editBench';
import { collectGarbage, median, nowMs, round, summarize, type Timing, type TimingPlan } from './measure';

export const MODEL_EDIT_PATH =
  'InMemoryNotesWorkspace edit event → NotesModel.parse (tryUpdateSnapshot: window re-parse + final pass) → TodoTreeState.rebuild(model.notes()) — src/extension/model, as TodoTreeView runs it';

export interface ModelEditResult {
  readonly bytes: number;
  readonly where: string;
  readonly path: string;
  /** Median ms from the edit event to the rebuilt tree. */
  readonly treeRefreshMs: number;
  readonly treeRefresh: Timing;
  /** Median CPU time of the same (ms): what an idle machine would take. */
  readonly treeRefreshCpuMs: number;
  /** Longest main-thread task (timer or immediate callback) during the burst (ms). */
  readonly mainThreadMaxMs: number;
  /** The longest task's CPU time (ms). */
  readonly mainThreadMaxCpuMs: number;
  /** How many tasks ran during the burst. */
  readonly mainThreadTasks: number;
  /**
   * Event-loop delay during the burst (ms): how late a 1 ms timer ran. Tasks back to back add up
   * here, and so does the OS not scheduling the process on a loaded machine.
   */
  readonly eventLoopDelayMaxMs: number;
  readonly eventLoopDelayP99Ms: number;
  readonly burstEdits: number;
  /** Tree rebuilds the burst caused (one per model change event). */
  readonly burstRebuilds: number;
  /** Full parses sent to the parse host during the timed runs and the burst (expected: none). */
  readonly fullParses: number;
  /** The model's parse after the burst deep-equals `parseNotes` of the final text. */
  readonly equalToFullParse: boolean;
  /** The first parse of the note when it was opened (on the parse host; not part of either number). */
  readonly openMs: number;
}

/**
 * The wall time of every timer and immediate callback (the model's parse after typing, its math
 * splice, its change event and the tree rebuild each run in one), from async_hooks' before/after.
 */
class TaskTimer {
  maxMs = 0;
  /** The same tasks' CPU time (this process), which a loaded machine does not inflate by descheduling. */
  maxCpuMs = 0;
  count = 0;
  private readonly started = new Map<number, { wall: number; cpu: NodeJS.CpuUsage }>();
  private readonly hook = createHook({
    before: (id) => {
      if (this.kinds.has(id)) this.started.set(id, { wall: nowMs(), cpu: process.cpuUsage() });
    },
    after: (id) => {
      const t = this.started.get(id);
      if (t === undefined) return;
      this.started.delete(id);
      this.count++;
      this.maxMs = Math.max(this.maxMs, nowMs() - t.wall);
      this.maxCpuMs = Math.max(this.maxCpuMs, cpuMs(process.cpuUsage(t.cpu)));
    },
    init: (id, type) => {
      if (type === 'Timeout' || type === 'Immediate') this.kinds.add(id);
    },
    destroy: (id) => {
      this.kinds.delete(id);
    },
  });
  private readonly kinds = new Set<number>();

  enable(): void {
    this.hook.enable();
  }

  disable(): void {
    this.hook.disable();
  }
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

async function turn(): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** Counts what a parse host is asked to do (the in-thread host counts itself). */
function counting(inner: ParseHost): ParseHost & { readonly calls: { parse: number; plan: number } } {
  const calls = { parse: 0, plan: 0 };
  return {
    calls,
    parseRaw: (text, tags) => (calls.parse++, inner.parseRaw(text, tags)),
    planEdit: (text, tags, todoId, expectedText, answer) => (calls.plan++, inner.planEdit(text, tags, todoId, expectedText, answer)),
    dispose: () => inner.dispose(),
  };
}

/**
 * `parseHost`: where the model sends full parses of large notes (the open of this note); default
 * this thread. The web extension's path passes the web worker bundle's host (webWorkerHost.ts).
 */
export async function benchModelEdit(
  text: string,
  plan: TimingPlan = { warmup: 3, runs: 11 },
  burstEdits = 60,
  parseHost?: ParseHost,
  pathName = MODEL_EDIT_PATH,
): Promise<ModelEditResult> {
  const edit = oneCharEdit(text);
  const ws = new InMemoryNotesWorkspace();
  const host = parseHost ? counting(parseHost) : new InThreadParseHost();
  // The typing delay is long here so only the measured call parses; the burst below uses none.
  const model = new NotesModel(ws, host, { log: silentLog, scanNow: true, editDelayMs: 60_000 });
  const state = new TodoTreeState();
  try {
    await model.ready;
    const openStarted = nowMs();
    const doc = ws.open('big.md', text);
    await model.parse(doc);
    const openMs = nowMs() - openStarted;
    state.rebuild(model.notes(), false);
    const parsesAfterOpen = host.calls.parse;

    // Type the character, delete it, type it… so each run pays what the next keystroke would.
    const keystroke = (d: InMemoryDocument) => {
      if (d.length() === edit.before.length) ws.edit(d, edit.offset, edit.offset, edit.inserted);
      else ws.edit(d, edit.offset, edit.offset + edit.inserted.length, '');
    };
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    for (let i = 0; i < plan.warmup + plan.runs; i++) {
      collectGarbage();
      // The clock starts once the host has applied the edit and delivered the event: updating its
      // own document is VS Code's work (the in-memory document's string splice stands in for it).
      keystroke(doc);
      const started = nowMs();
      const cpu = process.cpuUsage();
      await model.parse(doc);
      state.rebuild(model.notes(), false);
      const elapsed = nowMs() - started;
      if (i >= plan.warmup) {
        samples.push(elapsed);
        cpuSamples.push(cpuMs(process.cpuUsage(cpu)));
      }
      await turn(); // Let the model's coalesced change event go out between runs.
    }

    const timedFullParses = host.calls.parse - parsesAfterOpen;

    // The burst: a second model over the same workspace with no typing delay, the tree rebuilt on
    // every change event as the view does, keystrokes 16 ms apart.
    model.dispose();
    const eager = new NotesModel(ws, host, { log: silentLog, scanNow: true, editDelayMs: 0 });
    const eagerState = new TodoTreeState();
    let rebuilds = 0;
    eager.onDidChange(() => {
      eagerState.rebuild(eager.notes(), false);
      rebuilds++;
    });
    await eager.ready;
    await eager.parse(doc);
    await turn();
    const parsesBeforeBurst = host.calls.parse;
    collectGarbage();
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    const tasks = new TaskTimer();
    histogram.enable();
    tasks.enable();
    for (let i = 0; i < burstEdits; i++) {
      keystroke(doc);
      await new Promise<void>((resolve) => setTimeout(resolve, 16));
    }
    await eager.parse(doc);
    await turn();
    await new Promise<void>((resolve) => setImmediate(resolve));
    tasks.disable();
    histogram.disable();
    const equalToFullParse = isDeepStrictEqual(eager.get(doc.key)?.parse, parseNotes(doc.getText()));
    const fullParses = timedFullParses + host.calls.parse - parsesBeforeBurst;
    eager.dispose();
    const treeRefresh = summarize(samples);
    return {
      bytes: utf8Bytes(text),
      where: edit.where,
      path: pathName,
      treeRefreshMs: round(treeRefresh.medianMs, 3),
      treeRefresh,
      treeRefreshCpuMs: round(median(cpuSamples), 3),
      mainThreadMaxMs: round(tasks.maxMs, 3),
      mainThreadMaxCpuMs: round(tasks.maxCpuMs, 3),
      mainThreadTasks: tasks.count,
      eventLoopDelayMaxMs: round(histogram.max / 1e6, 3),
      eventLoopDelayP99Ms: round(histogram.percentile(99) / 1e6, 3),
      burstEdits,
      burstRebuilds: rebuilds,
      fullParses,
      equalToFullParse,
      openMs: round(openMs, 1),
    };
  } finally {
    model.dispose();
  }
}
