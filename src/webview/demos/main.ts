/**
 * The demo host webview: reads the page config, loads TensorFlow.js (ESM builds, no eval), picks
 * the backend (WebGL first, CPU with a visible notice), loads the demo module lazily by id, and
 * gives it a DemoContext. It owns the status line (backend, speed, tensors) that users and the
 * end-to-end tests read, state persistence, pause/resume and the "Use as answer" bar.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerDemoKernels } from './tfjsKernels';
import {
  isDemoBackendSetting,
  isDemoPanelState,
  isDemoToWebview,
  isRecord,
  type DemoBackendSetting,
  type DemoFromWebview,
  type DemoPanelState,
  type DemoTodoRef,
} from '../../shared/protocol';
import type { BackendName, DemoContext, DemoInstance, DemoModule, DemoStats } from './demoApi';
import { errorMessage } from '../../core/errors';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };

const vscode = acquireVsCodeApi();
registerDemoKernels();

/**
 * Each demo is its own chunk, fetched only when its panel opens (src/webview/demos/<id>/index.ts
 * exporting `demo: DemoModule`). Every lower-case kebab folder with an index.ts is a demo chunk, so
 * a new demo needs no entry here; shared helper folders are camelCase (trainingKit) and never match.
 * A demo whose folder does not exist fails here with a message.
 */
async function loadDemo(id: DemoPanelState['demo']): Promise<DemoModule> {
  const loaded: unknown = await import(
    /* webpackInclude: /[\\/]demos[\\/][a-z][a-z0-9-]*[\\/]index\.ts$/ */
    /* webpackChunkName: "demo-[request]" */
    `./${id}/index`
  );
  const demo = isRecord(loaded) ? loaded.demo : undefined;
  if (!isRecord(demo) || demo.id !== id || typeof demo.mount !== 'function') throw new Error(`The ${id} demo is not available in this build.`);
  return demo as unknown as DemoModule;
}

interface PageConfig {
  panel: DemoPanelState;
  backend: DemoBackendSetting;
  todos: DemoTodoRef[];
}

function readConfig(): PageConfig {
  const raw = document.getElementById('lectern-demo-config')?.getAttribute('data-config') ?? 'null';
  const parsed: unknown = JSON.parse(raw);
  if (!isRecord(parsed) || !isDemoPanelState(parsed.panel) || !isDemoBackendSetting(parsed.backend) || !Array.isArray(parsed.todos)) {
    throw new Error('The demo page has no valid configuration.');
  }
  return { panel: parsed.panel, backend: parsed.backend, todos: parsed.todos as DemoTodoRef[] };
}

function post(message: DemoFromWebview): void {
  vscode.postMessage(message);
}

const status = document.getElementById('demo-status') as HTMLElement;
const notice = document.getElementById('demo-notice') as HTMLElement;
const root = document.getElementById('demo-root') as HTMLElement;

function showNotice(text: string): void {
  notice.textContent = text;
  notice.hidden = false;
}

/** KaTeX's layout styles arrive as data attributes (the CSP forbids style attributes); apply via the CSSOM. */
function applyMovedStyles(): void {
  for (const node of document.querySelectorAll<HTMLElement>('[data-lectern-style]')) {
    node.style.cssText = node.getAttribute('data-lectern-style') ?? '';
    node.removeAttribute('data-lectern-style');
  }
}

/** The status line: text for people, data attributes for the end-to-end tests. */
class StatusLine {
  private backend: BackendName | undefined;
  private stats: DemoStats = {};
  private summary: Record<string, number | string | boolean> = {};
  private tensors = 0;
  private leakWarning = '';

  setBackend(backend: BackendName): void {
    this.backend = backend;
    status.dataset.backend = backend;
    this.render();
  }
  setStats(stats: DemoStats): void {
    this.stats = stats;
    if (stats.msPerUpdate !== undefined) status.dataset.msPerUpdate = stats.msPerUpdate.toFixed(2);
    if (stats.stepsPerSecond !== undefined) status.dataset.stepsPerSecond = stats.stepsPerSecond.toFixed(1);
    this.render();
  }
  setReady(summary: Record<string, number | string | boolean>): void {
    this.summary = summary;
    status.dataset.ready = 'true';
    status.dataset.summary = JSON.stringify(summary);
    this.render();
  }
  setTensors(count: number, warning: string): void {
    this.tensors = count;
    this.leakWarning = warning;
    status.dataset.tensors = String(count);
    this.render();
  }
  setMessage(text: string): void {
    status.textContent = text;
  }
  private render(): void {
    const parts = [this.backend === 'webgl' ? 'Backend: WebGL' : this.backend === 'cpu' ? 'Backend: CPU' : 'Backend: …'];
    if (this.stats.stepsPerSecond !== undefined) parts.push(`${this.stats.stepsPerSecond.toFixed(0)} steps/s`);
    if (this.stats.msPerUpdate !== undefined) parts.push(`${this.stats.msPerUpdate.toFixed(1)} ms per update`);
    parts.push(`${this.tensors} tensors`);
    if (this.leakWarning) parts.push(this.leakWarning);
    status.textContent = parts.join(' · ');
    void this.summary;
  }
}

/** Picks the backend; on failure falls back to the CPU visibly. */
async function selectBackend(setting: DemoBackendSetting): Promise<{ backend: BackendName; fallbackReason?: string }> {
  if (setting === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('The TensorFlow.js CPU backend could not start.');
    return { backend: 'cpu' };
  }
  // `webgl` asks for WebGL even on a software renderer (SwiftShader); `auto` only on a real GPU,
  // where WebGL beats the CPU backend (on SwiftShader the CPU backend is faster for these sizes).
  if (setting === 'webgl') tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  if (setting === 'auto') {
    const renderer = webglRenderer();
    if (renderer !== undefined && SOFTWARE_RENDERER.test(renderer)) {
      if (!(await tf.setBackend('cpu'))) throw new Error('The TensorFlow.js CPU backend could not start.');
      return { backend: 'cpu', fallbackReason: `WebGL runs on a software renderer here (${renderer}), where the CPU backend is faster; set lectern.demos.backend to "webgl" to use it anyway` };
    }
  }
  let reason = '';
  try {
    if (await tf.setBackend('webgl')) {
      await tf.ready();
      tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
      return { backend: 'webgl' };
    }
    reason = setting === 'auto' ? 'no hardware-accelerated WebGL (set lectern.demos.backend to "webgl" to use a software renderer)' : 'WebGL is not available in this webview';
  } catch (err) {
    reason = `WebGL failed: ${errorMessage(err)}`;
  }
  if (!(await tf.setBackend('cpu'))) throw new Error(`The CPU backend could not start either (${reason}).`);
  return { backend: 'cpu', fallbackReason: reason };
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** The WebGL renderer's name (unmasked where the browser allows it), or undefined without WebGL. */
function webglRenderer(): string | undefined {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

function webglCanvas(): HTMLCanvasElement | OffscreenCanvas | undefined {
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } };
  return backend.gpgpu?.gl?.canvas;
}

async function main(): Promise<void> {
  const config = readConfig();
  applyMovedStyles();
  const saved = vscode.getState();
  let panelState: DemoPanelState = config.panel;
  if (isDemoPanelState(saved) && saved.demo === config.panel.demo) {
    panelState = { ...config.panel, demoState: saved.demoState };
  }
  let todos = config.todos;
  const statusLine = new StatusLine();
  statusLine.setMessage('Loading TensorFlow.js…');

  const answer = new AnswerBar((todoId, text) => post({ type: 'useAnswer', todoId, answer: text }));
  answer.setTodos(todos);

  const persist = (): void => vscode.setState(panelState);
  persist();

  let chosen = await selectBackend(config.backend);
  if (chosen.fallbackReason) {
    showNotice(`Running on the CPU backend: ${chosen.fallbackReason}.`);
    post({ type: 'backendFallback', reason: chosen.fallbackReason });
  }
  statusLine.setBackend(chosen.backend);

  const module = await loadDemo(panelState.demo);
  let instance: DemoInstance | undefined;
  let paused = document.visibilityState === 'hidden';
  let lastReadyPost = 0;
  let pendingReady: ReturnType<typeof setTimeout> | undefined;

  const mount = async (): Promise<void> => {
    root.replaceChildren();
    const ctx: DemoContext = {
      tf,
      backend: chosen.backend,
      root,
      initialState: panelState.demoState,
      sectionTodos: todos,
      saveState(state: unknown) {
        panelState = { ...panelState, demoState: state };
        persist();
      },
      reportStats(stats: DemoStats) {
        statusLine.setStats(stats);
      },
      reportReady(summary) {
        const clean = { ...summary };
        statusLine.setReady(clean);
        // Tell the host at most every 250 ms; the DOM status is always current.
        if (pendingReady) clearTimeout(pendingReady);
        const send = (): void => {
          lastReadyPost = performance.now();
          post({ type: 'ready', backend: chosen.backend, summary: clean });
        };
        const wait = 250 - (performance.now() - lastReadyPost);
        if (wait <= 0) send();
        else pendingReady = setTimeout(send, wait);
      },
      offerAnswer(text: string) {
        answer.offer(text);
      },
    };
    instance = await module.mount(ctx);
    if (paused) instance.pause();
  };

  const switchToCpu = async (reason: string): Promise<void> => {
    if (chosen.backend === 'cpu') return;
    try {
      instance?.dispose();
    } catch {
      // Tensors of a lost context cannot always be released; the backend goes away with them.
    }
    instance = undefined;
    await tf.setBackend('cpu');
    chosen = { backend: 'cpu', fallbackReason: reason };
    statusLine.setBackend('cpu');
    showNotice(`Switched to the CPU backend: ${reason}.`);
    post({ type: 'backendFallback', reason });
    await mount();
  };

  const canvas = webglCanvas();
  if (chosen.backend === 'webgl' && canvas) {
    canvas.addEventListener('webglcontextlost', (e) => {
      e.preventDefault();
      void switchToCpu('the WebGL context was lost');
    });
  }

  await mount();

  // Leak guard: the tensor count must settle. Sample it; warn when it keeps growing.
  let baseline = -1;
  let growth = 0;
  setInterval(() => {
    const count = tf.memory().numTensors;
    if (baseline < 0 || count <= baseline) {
      baseline = count;
      growth = 0;
    } else {
      growth += 1;
    }
    const warning = growth >= 5 ? `tensor count growing (${baseline} → ${count})` : '';
    if (growth === 5) post({ type: 'error', message: `Demo ${panelState.demo}: ${warning}` });
    statusLine.setTensors(count, warning);
  }, 1000);
  statusLine.setTensors(tf.memory().numTensors, '');

  const setPaused = (value: boolean): void => {
    if (value === paused) return;
    paused = value;
    if (value) instance?.pause();
    else instance?.resume();
    document.body.dataset.paused = String(value);
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isDemoToWebview(message)) return;
    switch (message.type) {
      case 'visibility':
        setPaused(!message.visible);
        return;
      case 'todos':
        todos = [...message.todos];
        if (message.section) panelState = { ...panelState, section: message.section };
        persist();
        answer.setTodos(todos);
        return;
      case 'answerResult':
        answer.result(message.ok, message.message);
        return;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  });
  document.addEventListener('visibilitychange', () => setPaused(document.visibilityState === 'hidden'));
}

/** "Use as answer": choose one of the section's open TODOs and send the demo's offered text. */
class AnswerBar {
  private readonly section = document.getElementById('demo-answer') as HTMLElement;
  private readonly select = document.getElementById('demo-answer-todo') as HTMLSelectElement;
  private readonly text = document.getElementById('demo-answer-text') as HTMLElement;
  private readonly use = document.getElementById('demo-answer-use') as HTMLButtonElement;
  private readonly outcome = document.getElementById('demo-answer-result') as HTMLElement;
  private offered = '';
  private todos: DemoTodoRef[] = [];

  constructor(send: (todoId: string, text: string) => void) {
    this.use.addEventListener('click', () => {
      if (!this.select.value || !this.offered) return;
      this.use.disabled = true;
      this.outcome.textContent = 'Writing…';
      send(this.select.value, this.offered);
    });
  }

  setTodos(todos: DemoTodoRef[]): void {
    const previous = this.select.value;
    this.todos = todos;
    this.select.replaceChildren(...todos.map((t) => {
      const option = document.createElement('option');
      option.value = t.id;
      option.textContent = t.text || '(TODO)';
      return option;
    }));
    // Prefer a TODO that asks a question the demo answers (best guess: the most word overlap).
    const best = this.bestMatch();
    this.select.value = todos.some((t) => t.id === previous) ? previous : best;
    this.update();
  }

  offer(text: string): void {
    this.offered = text;
    this.text.textContent = text;
    this.select.value = this.bestMatch() || this.select.value;
    this.update();
  }

  result(ok: boolean, message: string): void {
    this.outcome.textContent = message;
    this.outcome.dataset.ok = String(ok);
    this.update();
  }

  private bestMatch(): string {
    const words = new Set(this.offered.toLowerCase().match(/[a-z0-9]+/g) ?? []);
    let best = this.todos[0]?.id ?? '';
    let bestScore = -1;
    for (const t of this.todos) {
      const score = (t.text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => words.has(w)).length;
      if (score > bestScore) { best = t.id; bestScore = score; }
    }
    return best;
  }

  private update(): void {
    // Stay visible after the last TODO was answered, so the outcome can be read.
    const open = this.todos.length > 0;
    this.section.hidden = !(this.offered && (open || this.outcome.textContent));
    this.select.disabled = !open;
    this.use.disabled = !open;
    if (!open && this.outcome.textContent === '') this.outcome.textContent = 'No open TODO left in this section.';
  }
}

main().catch((err: unknown) => {
  const message = errorMessage(err);
  status.dataset.error = message;
  status.textContent = `The demo could not start: ${message}`;
  showNotice(`The demo could not start: ${message}`);
  post({ type: 'error', message });
});
