/**
 * Learning dynamics (lecture 8's gradient descent, lecture 10's SGD with momentum and weight
 * decay): the notes' AlexNet rule v ← Mv − η∇L − μηw, w ← w + v, stepping live on a 2-D loss
 * surface drawn as a heatmap with contours — the chosen settings against plain gradient descent
 * with the same η — with a learning-rate schedule (step, exponential, PSPNet's poly) and the loss
 * curves. Below, one logistic unit trained twice with the same rule, MSE vs cross-entropy, from a
 * confidently wrong start: the vanishing σ′ of MSE made visible. Gradients from tf.grad, several
 * steps per frame, one readback for all three runs.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import {
  ClassifierRunner,
  DEFAULT_SCHEDULE,
  PathRunner,
  SURFACES,
  SURFACE_IDS,
  decayedFixedPoint,
  lossChoiceAnswer,
  lossGrid,
  makeBlobs,
  type ClassifierFrame,
  type ClassifierInit,
  type Hyper,
  type PathFrame,
  type Pending,
  type Schedule,
  type ScheduleKind,
  type SurfaceId,
} from '../../../core/demos/learningDynamics';
import type { DemoContext, DemoInstance, DemoModule } from '../demoApi';
import { button, context2d, el, parseColor, select, slider } from '../ui';
import { History, LineChart, TrainingLoop, bindPlayButtons, ensureTrainingStylesheet, formatTick, prepareCanvas, seriesColors, startTrainingDemo } from '../trainingKit';

const ETAS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
const MAX_STEPS = 600;
const HEAT = 64;

interface State {
  readonly surface: SurfaceId;
  readonly eta: number;
  readonly M: number;
  readonly mu: number;
  readonly schedule: ScheduleKind;
  readonly classifierEta: number;
  readonly init: ClassifierInit;
}

const DEFAULT_STATE: State = { surface: 'ravine', ...SURFACES.ravine.defaults, M: 0.9, eta: 0.02, schedule: 'constant', classifierEta: 0.5, init: 'wrong' };

function restore(saved: unknown): State {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_STATE;
  const s = { ...DEFAULT_STATE, ...(saved as Partial<State>) };
  const ok = SURFACE_IDS.includes(s.surface) && ETAS.includes(s.eta) && s.M >= 0 && s.M < 1 && s.mu >= 0 && s.mu <= 1 &&
    ['constant', 'step', 'exp', 'poly'].includes(s.schedule) && s.classifierEta > 0 && s.classifierEta <= 2 && (s.init === 'zero' || s.init === 'wrong');
  return ok ? s : DEFAULT_STATE;
}

const SCHEDULE_LABELS: Record<ScheduleKind, string> = {
  constant: 'constant η',
  step: 'step: ×0.5 every 100 steps',
  exp: 'exponential: ×0.5 per 100 steps',
  poly: 'poly (PSPNet): (1 − t/400)^0.9',
};

export const demo: DemoModule = {
  id: 'learning-dynamics',
  async mount(ctx: DemoContext): Promise<DemoInstance> {
    ensureTrainingStylesheet();
    const { tf } = ctx;
    let state = restore(ctx.initialState);
    let disposed = false;
    let heat: Float32Array | undefined;
    let heatImage: HTMLCanvasElement | undefined;
    let main = new PathRunner(tf, SURFACES[state.surface], SURFACES[state.surface].start);
    let plain = new PathRunner(tf, SURFACES[state.surface], SURFACES[state.surface].start);
    const blobs = makeBlobs(5, 100);
    let classifier = new ClassifierRunner(tf, blobs, state.init);
    let pathMain: number[] = [...SURFACES[state.surface].start];
    let pathPlain: number[] = [...SURFACES[state.surface].start];
    let lastVelocity: [number, number] = [0, 0];
    let lastEta = state.eta;
    let cls: ClassifierFrame | undefined;
    let clsStart: ClassifierFrame | undefined;
    const lossHistory = new History(2);
    const accHistory = new History(2);
    let offered = false;

    const schedule = (): Schedule => ({ ...DEFAULT_SCHEDULE, kind: state.schedule, every: 100, gamma: 0.5, max: 400, power: 0.9 });
    const hyper = (): Hyper => ({ eta: state.eta, M: state.M, mu: state.mu });
    const plainHyper = (): Hyper => ({ eta: state.eta, M: 0, mu: 0 });
    const classifierHyper = (): Hyper => ({ eta: state.classifierEta, M: state.M, mu: state.mu });

    // ---- Controls -------------------------------------------------------------------------
    const surfaceSel = select<SurfaceId>('loss surface', SURFACE_IDS.map((id) => [id, SURFACES[id].label] as const), state.surface, (v) => { setState({ surface: v, ...SURFACES[v].defaults }); restart(); });
    const etaSlider = slider('learning rate η', 0, ETAS.length - 1, 1, ETAS.indexOf(state.eta), (v) => setState({ eta: ETAS[v] }), (v) => String(ETAS[v]));
    etaSlider.input.dataset.demoPrimary = '';
    const mSlider = slider('momentum M', 0, 0.99, 0.01, state.M, (v) => setState({ M: v }), (v) => v.toFixed(2));
    const muSlider = slider('weight decay μ', 0, 1, 0.01, state.mu, (v) => setState({ mu: v }), (v) => v.toFixed(2));
    const scheduleSel = select<ScheduleKind>('schedule', (Object.keys(SCHEDULE_LABELS) as ScheduleKind[]).map((k) => [k, SCHEDULE_LABELS[k]] as const), state.schedule, (v) => setState({ schedule: v }));
    const alexNet = button('AlexNet values (η 0.01, M 0.9, μ 0.0005)', () => setState({ eta: 0.01, M: 0.9, mu: 0.0005 }));
    const playBtn = button('▶ Play', () => loop.setPlaying(!loop.isPlaying), { 'aria-pressed': 'false' });
    const stepBtn = button('Step', () => void loop.runOnce(1));
    const restartBtn = button('Restart from the start point', () => restart());
    const hint = el('p', { class: 'demo-note', 'aria-live': 'polite' });

    const surfaceCanvas = el('canvas', { class: 'demo-grid', role: 'img', 'aria-label': 'Loss surface with the paths of both optimisers' });
    const numbers = el('p', { class: 'demo-counts', 'aria-live': 'off' });
    const lossChart = new LineChart('Loss per step: your settings vs plain gradient descent', 420, 170);

    const clsEtaSlider = slider('classifier η', 0.05, 2, 0.05, state.classifierEta, (v) => { setState({ classifierEta: v }); }, (v) => v.toFixed(2));
    const initSel = select<ClassifierInit>('start', [['wrong', 'confidently wrong (w = (−4, −4))'], ['zero', 'zero weights']], state.init, (v) => { setState({ init: v }); restart(); });
    const clsCanvas = el('canvas', { class: 'demo-grid', role: 'img', 'aria-label': 'Two blobs and the decision lines of the MSE and the cross-entropy unit' });
    const accChart = new LineChart('Training accuracy per step: MSE vs cross-entropy', 420, 150);
    const clsNumbers = el('p', { class: 'demo-counts', 'aria-live': 'off' });
    // Main-memory 2-D contexts (the first getContext call fixes the attributes): see ui.ts context2d.
    context2d(surfaceCanvas);
    context2d(clsCanvas);

    ctx.root.append(
      el('section', { class: 'demo-controls', 'aria-label': 'Optimiser' }, surfaceSel.root, etaSlider.root, mSlider.root, muSlider.root, scheduleSel.root, alexNet),
      el('div', { class: 'demo-buttons' }, playBtn, stepBtn, restartBtn),
      hint,
      el('div', { class: 'demo-views' },
        el('div', { class: 'demo-view-group' }, el('h2', {}, '1 · Paths on the loss surface'), surfaceCanvas, numbers),
        el('div', { class: 'demo-view-group' }, el('h2', {}, '2 · Loss curves'), lossChart.root),
      ),
      el('h2', {}, '3 · The same logistic unit with MSE and with cross-entropy'),
      el('section', { class: 'demo-controls', 'aria-label': 'Classifier' }, clsEtaSlider.root, initSel.root),
      el('p', { class: 'demo-note' }, 'Both units use the update rule above (same M, μ and schedule) on the same 100 points; only the loss differs: MSE (ŷ − y)² vs cross-entropy −[y log ŷ + (1 − y) log(1 − ŷ)] with ŷ = σ(w·x + b).'),
      el('div', { class: 'demo-views' },
        el('div', { class: 'demo-view-group' }, clsCanvas, clsNumbers),
        el('div', { class: 'demo-view-group' }, accChart.root),
      ),
    );

    function setState(change: Partial<State>): void {
      state = { ...state, ...change };
      surfaceSel.input.value = state.surface;
      etaSlider.value = Math.max(0, ETAS.indexOf(state.eta));
      mSlider.value = state.M;
      muSlider.value = state.mu;
      scheduleSel.input.value = state.schedule;
      clsEtaSlider.value = state.classifierEta;
      initSel.input.value = state.init;
      hint.textContent = SURFACES[state.surface].hint;
      ctx.saveState(state);
      if (!loop.isPlaying) void loop.runOnce(0);
    }

    function restart(): void {
      main.dispose(); plain.dispose(); classifier.dispose();
      const surface = SURFACES[state.surface];
      main = new PathRunner(tf, surface, surface.start);
      plain = new PathRunner(tf, surface, surface.start);
      classifier = new ClassifierRunner(tf, blobs, state.init);
      pathMain = [...surface.start];
      pathPlain = [...surface.start];
      lossHistory.clear();
      accHistory.clear();
      cls = undefined;
      clsStart = undefined;
      heat = undefined;
      heatImage = undefined;
      void lossGrid(tf, surface, HEAT).then((h) => { heat = h; draw(); });
      void loop.runOnce(0).then(() => { if (!loop.isPlaying) loop.setPlaying(true); });
    }

    /** Runs `steps` steps of all three runs, one readback; returns the readback time. */
    async function frame(steps: number): Promise<number> {
      if (disposed) return 0;
      // 0 steps = redraw only (after a change while paused); never past MAX_STEPS.
      const n = Math.max(0, Math.min(steps, MAX_STEPS - main.step));
      if (n === 0 && cls) { draw(); return 0; }
      const k = Math.max(1, n);
      const pending: [Pending<PathFrame>, Pending<PathFrame>, Pending<ClassifierFrame>] = [
        main.advance(k, hyper(), schedule()),
        plain.advance(k, plainHyper(), schedule()),
        classifier.advance(k, classifierHyper(), schedule()),
      ];
      const packed = tf.concat(pending.map((p) => p.packed));
      const sizes = pending.map((p) => p.packed.size);
      tf.dispose(pending.map((p) => p.packed) as tfc.Tensor[]);
      const started = performance.now();
      let all: Float32Array;
      try {
        all = (await packed.data()) as Float32Array;
      } finally {
        packed.dispose();
      }
      const readMs = performance.now() - started;
      if (disposed) return readMs;
      const a = pending[0].decode(all.subarray(0, sizes[0]) as Float32Array);
      const b = pending[1].decode(all.subarray(sizes[0], sizes[0] + sizes[1]) as Float32Array);
      cls = pending[2].decode(all.subarray(sizes[0] + sizes[1]) as Float32Array);
      if (!clsStart) clsStart = cls;
      pathMain.push(...a.points);
      pathPlain.push(...b.points);
      lastVelocity = a.velocity;
      lastEta = a.etas[a.etas.length - 1];
      for (let j = 0; j < k; j++) lossHistory.push([a.losses[j], b.losses[j]], 1);
      accHistory.push([cls.accuracy.mse, cls.accuracy.ce], k);
      draw();
      report(a.losses[k - 1], b.losses[k - 1]);
      if (!offered && main.step >= 100 && clsStart && state.init === 'wrong') {
        offered = true;
        ctx.offerAnswer(lossChoiceAnswer(clsStart, cls, main.step));
      }
      return readMs;
    }

    function report(lossMain: number, lossPlain: number): void {
      if (!cls) return;
      ctx.reportReady({
        surface: state.surface,
        step: main.step,
        eta: state.eta,
        etaNow: Number(lastEta.toPrecision(4)),
        momentum: state.M,
        weightDecay: state.mu,
        schedule: state.schedule,
        w1: Number(pathMain[pathMain.length - 2].toFixed(4)),
        w2: Number(pathMain[pathMain.length - 1].toFixed(4)),
        loss: Number.isFinite(lossMain) ? Number(lossMain.toPrecision(4)) : 'diverged',
        plainLoss: Number.isFinite(lossPlain) ? Number(lossPlain.toPrecision(4)) : 'diverged',
        accuracyMse: cls.accuracy.mse,
        accuracyCe: cls.accuracy.ce,
        gradNormMseStart: Number((clsStart?.gradNorm.mse ?? 0).toPrecision(4)),
        gradNormCeStart: Number((clsStart?.gradNorm.ce ?? 0).toPrecision(4)),
      });
    }

    function draw(): void {
      drawSurface();
      drawClassifier();
      const colors = seriesColors();
      lossChart.draw([
        { label: `M ${state.M.toFixed(2)}, μ ${state.mu}`, color: colors.a, values: lossHistory.values[0] },
        { label: 'plain GD', color: colors.b, dashed: true, values: lossHistory.values[1] },
      ], Math.max(50, main.step), { yLabel: 'loss', steps: lossHistory.steps });
      accChart.draw([
        { label: 'MSE', color: colors.a, values: accHistory.values[0] },
        { label: 'cross-entropy', color: colors.b, values: accHistory.values[1] },
      ], Math.max(50, classifier.step), { yMax: 1, yLabel: 'accuracy', steps: accHistory.steps });
    }

    function drawSurface(): void {
      const surface = SURFACES[state.surface];
      const W = 380, H = 300;
      const g = prepareCanvas(surfaceCanvas, W, H);
      if (!g) return;
      const colors = seriesColors();
      const toX = (a: number): number => ((a - surface.x[0]) / (surface.x[1] - surface.x[0])) * W;
      const toY = (b: number): number => ((surface.y[1] - b) / (surface.y[1] - surface.y[0])) * H;
      g.fillStyle = colors.background;
      g.fillRect(0, 0, W, H);
      if (heat) {
        if (!heatImage) heatImage = renderHeat(heat, colors);
        g.imageSmoothingEnabled = false;
        g.drawImage(heatImage, 0, 0, W, H);
      }
      const path = (pts: number[], color: string, dashed: boolean): void => {
        g.strokeStyle = color;
        g.lineWidth = 2;
        g.setLineDash(dashed ? [5, 4] : []);
        g.beginPath();
        for (let j = 0; j < pts.length; j += 2) {
          const x = Math.max(-10, Math.min(W + 10, toX(pts[j]))), y = Math.max(-10, Math.min(H + 10, toY(pts[j + 1])));
          if (!Number.isFinite(x) || !Number.isFinite(y)) break;
          if (j === 0) g.moveTo(x, y); else g.lineTo(x, y);
        }
        g.stroke();
        g.setLineDash([]);
        const n = pts.length;
        g.fillStyle = color;
        g.beginPath();
        g.arc(toX(pts[n - 2]), toY(pts[n - 1]), 4, 0, Math.PI * 2);
        g.fill();
      };
      path(pathPlain, colors.b, true);
      path(pathMain, colors.a, false);
      const mark = (a: number, b: number, label: string): void => {
        g.strokeStyle = colors.foreground;
        g.fillStyle = colors.foreground;
        g.lineWidth = 2;
        const x = toX(a), y = toY(b);
        g.beginPath(); g.moveTo(x - 5, y - 5); g.lineTo(x + 5, y + 5); g.moveTo(x + 5, y - 5); g.lineTo(x - 5, y + 5); g.stroke();
        g.font = '11px var(--vscode-editor-font-family, monospace)';
        g.fillText(label, x + 7, y - 7);
      };
      mark(surface.minimum[0], surface.minimum[1], 'min L');
      if (state.mu > 0) {
        const [fa, fb] = decayedFixedPoint(surface, state.mu);
        g.strokeStyle = colors.a;
        g.beginPath(); g.arc(toX(fa), toY(fb), 6, 0, Math.PI * 2); g.stroke();
        g.fillStyle = colors.a;
        g.fillText('rest point with μ', toX(fa) + 8, toY(fb) + 14);
      }
      const n = pathMain.length;
      numbers.textContent =
        `step ${main.step} · η_t = ${formatTick(lastEta)} · w = (${formatTick(pathMain[n - 2])}, ${formatTick(pathMain[n - 1])}) · v = (${formatTick(lastVelocity[0])}, ${formatTick(lastVelocity[1])}) · ` +
        `L = ${formatTick(surface.value(pathMain[n - 2], pathMain[n - 1]))} vs plain GD ${formatTick(surface.value(pathPlain[n - 2], pathPlain[n - 1]))}`;
    }

    /**
     * The heatmap with contour lines, rendered once per surface into an offscreen canvas (pixel by
     * pixel through ImageData): redrawing thousands of cells every frame cost more than training.
     */
    function renderHeat(values: Float32Array, colors: ReturnType<typeof seriesColors>): HTMLCanvasElement {
      const canvas = document.createElement('canvas');
      canvas.width = HEAT;
      canvas.height = HEAT;
      const g = context2d(canvas)!;
      const img = g.createImageData(HEAT, HEAT);
      let lo = Infinity, hi = -Infinity;
      for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      const level = (v: number): number => Math.log1p(v - lo) / Math.log1p(hi - lo);
      const band = (v: number): number => Math.floor(level(v) * 12);
      const bg = parseColor(colors.background), fill = parseColor(colors.class1), line = parseColor(colors.foreground);
      for (let r = 0; r < HEAT; r++) for (let c = 0; c < HEAT; c++) {
        const v = values[r * HEAT + c];
        const edge = (c + 1 < HEAT && band(values[r * HEAT + c + 1]) !== band(v)) || (r + 1 < HEAT && band(values[(r + 1) * HEAT + c]) !== band(v));
        const a = edge ? 0.5 : 0.08 + 0.55 * (1 - level(v));
        const target = edge ? line : fill;
        for (let k = 0; k < 3; k++) img.data[4 * (r * HEAT + c) + k] = Math.round(bg[k] + (target[k] - bg[k]) * a);
        img.data[4 * (r * HEAT + c) + 3] = 255;
      }
      g.putImageData(img, 0, 0);
      return canvas;
    }

    function drawClassifier(): void {
      const W = 300, H = 240, R = 3.2;
      const g = prepareCanvas(clsCanvas, W, H);
      if (!g) return;
      const colors = seriesColors();
      const toX = (a: number): number => ((a + R) / (2 * R)) * W;
      const toY = (b: number): number => ((R - b) / (2 * R)) * H;
      g.fillStyle = colors.background;
      g.fillRect(0, 0, W, H);
      for (let j = 0; j < blobs.y.length; j++) {
        g.fillStyle = blobs.y[j] > 0 ? colors.class1 : colors.class0;
        g.beginPath();
        g.arc(toX(blobs.x[2 * j]), toY(blobs.x[2 * j + 1]), 3, 0, Math.PI * 2);
        g.fill();
      }
      if (!cls) return;
      const line = (p: readonly number[], color: string, dashed: boolean): void => {
        const [w1, w2, b] = p;
        g.strokeStyle = color;
        g.lineWidth = 2;
        g.setLineDash(dashed ? [5, 4] : []);
        g.beginPath();
        if (Math.abs(w2) > 1e-6) { g.moveTo(toX(-R), toY((-b + w1 * R) / w2)); g.lineTo(toX(R), toY((-b - w1 * R) / w2)); }
        else if (Math.abs(w1) > 1e-6) { g.moveTo(toX(-b / w1), toY(-R)); g.lineTo(toX(-b / w1), toY(R)); }
        g.stroke();
        g.setLineDash([]);
      };
      line(cls.params.mse, colors.a, false);
      line(cls.params.ce, colors.b, true);
      const pct = (v: number): string => `${Math.round(v * 100)}%`;
      clsNumbers.textContent =
        `MSE: loss ${formatTick(cls.loss.mse)}, |∇L| ${formatTick(cls.gradNorm.mse)}, accuracy ${pct(cls.accuracy.mse)} · ` +
        `cross-entropy: loss ${formatTick(cls.loss.ce)}, |∇L| ${formatTick(cls.gradNorm.ce)}, accuracy ${pct(cls.accuracy.ce)}` +
        (clsStart ? ` · at the start |∇L| was ${formatTick(clsStart.gradNorm.mse)} (MSE) vs ${formatTick(clsStart.gradNorm.ce)} (CE)` : '');
    }

    const loop = new TrainingLoop(frame, (sps) => ctx.reportStats({ stepsPerSecond: sps }), { targetMs: 20, maxStepsPerFrame: 20, canStep: () => main.step < MAX_STEPS });
    bindPlayButtons(loop, playBtn, stepBtn, () => main.step, MAX_STEPS);

    heat = await lossGrid(tf, SURFACES[state.surface], HEAT);
    setState({});
    return startTrainingDemo(loop, () => { heatImage = undefined; draw(); }, () => {
      disposed = true;
      main.dispose(); plain.dispose(); classifier.dispose();
    });
  },
};
