/**
 * Batch normalisation: the same deep MLP with and without BN, trained on the same mini-batches at
 * the same (high) learning rate. Loss curves side by side, per-layer histograms of the inputs to
 * the nonlinearity over training, the lecture's four steps on the live mini-batch for one unit
 * (with γ and β draggable), and running versus batch statistics (the train/inference mismatch).
 */
import {
  HistogramHistory,
  VARIANCE_ESTIMATORS,
  createBatchNormExperiment,
  deadReluUnits,
  histogramColumnSpans,
  runningVarianceFactor,
  type VarianceEstimator,
  type Activation,
  type BatchNormExperiment,
  type BatchNormSnapshot,
} from '../../../core/demos/batchnorm';
import type { DemoContext, DemoInstance, DemoModule } from '../demoApi';
import { button, el, select, slider } from '../ui';
import {
  History,
  LineChart,
  TrainingLoop,
  bindPlayButtons,
  ensureTrainingStylesheet,
  formatTick,
  prepareCanvas,
  seriesColors,
  startTrainingDemo,
  withAlpha,
} from '../trainingKit';

interface State {
  /** log10 of the learning rate. */
  readonly logLearningRate: number;
  readonly activation: Activation;
  readonly batchSize: number;
  readonly momentum: number;
  readonly layer: number;
  readonly unit: number;
  /** Which batch variance feeds the running σ² (the BN paper and PyTorch: unbiased; Keras: biased). */
  readonly varianceEstimator: VarianceEstimator;
}

const ESTIMATOR_LABELS: Record<VarianceEstimator, string> = {
  unbiased: 'unbiased B/(B−1)·σ²_B (BN paper, PyTorch)',
  biased: 'biased σ²_B (Keras)',
};

const DEPTH = 8;
const WIDTH = 32;
const BATCH_SIZES = [4, 8, 16, 32, 64, 128] as const;
const DEFAULT_STATE: State = { logLearningRate: 0, activation: 'relu', batchSize: 32, momentum: 0.9, layer: 2, unit: 0, varianceEstimator: 'unbiased' };
const MAX_STEPS = 3000;
const HIST_BINS = 36;
const HIST_RANGE = 4;
const HIST_COLUMNS = 120;
/** The four-steps strip fits its axis to the values up to ±this; larger values sit on the edge, counted. */
const STRIP_LIMIT = 50;
/** The x-axis of the loss charts and the histograms: at least this many steps. */
const MIN_X_STEPS = 100;
const LN2 = Math.log(2);

function restore(saved: unknown): State {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_STATE;
  const s = { ...DEFAULT_STATE, ...(saved as Partial<State>) };
  const ok =
    typeof s.logLearningRate === 'number' && s.logLearningRate >= -2 && s.logLearningRate <= 0.5 &&
    (s.activation === 'relu' || s.activation === 'tanh') &&
    (BATCH_SIZES as readonly number[]).includes(s.batchSize) &&
    typeof s.momentum === 'number' && s.momentum >= 0 && s.momentum < 1 &&
    Number.isInteger(s.layer) && s.layer >= 0 && s.layer < DEPTH &&
    Number.isInteger(s.unit) && s.unit >= 0 && s.unit < WIDTH &&
    VARIANCE_ESTIMATORS.includes(s.varianceEstimator);
  return ok ? s : DEFAULT_STATE;
}

const learningRateOf = (s: State) => Math.round(10 ** s.logLearningRate * 1000) / 1000;

export const demo: DemoModule = {
  id: 'batchnorm',
  mount(ctx: DemoContext): DemoInstance {
    ensureTrainingStylesheet();
    const { tf } = ctx;
    let state = restore(ctx.initialState);
    let experiment = create();
    let snapshot: BatchNormSnapshot | undefined;
    let disposed = false;
    const lossHistory = new History(4);
    const hists = new HistogramHistory(HIST_BINS, HIST_RANGE, HIST_COLUMNS);

    function create(): BatchNormExperiment {
      return createBatchNormExperiment(tf, {
        depth: DEPTH, width: WIDTH, activation: state.activation, learningRate: learningRateOf(state),
        batchSize: state.batchSize, momentum: state.momentum, runningVariance: state.varianceEstimator,
      });
    }
    const save = () => ctx.saveState(state);

    // ---- Layout -------------------------------------------------------------------------------
    const intro = el(
      'p',
      { class: 'demo-note training-intro' },
      `Two ${DEPTH}-layer networks with the same initial weights, the same mini-batches and the same plain-SGD learning rate; the right one normalises every layer. `,
      el('strong', {}, 'At learning rate 1 the plain net stalls at ln 2 ≈ 0.693 (it predicts 50 % everywhere) while the BN net learns the two spirals. '),
      'In the histograms, watch the inputs to each nonlinearity drift and spread layer after layer without BN, and stay centred, at the scale γ and β choose, with it.',
    );
    const playButton = button('▶ Play', () => loop.setPlaying(!loop.isPlaying), { 'aria-pressed': 'false', class: 'training-play' });
    const stepButton = button('Step', () => void loop.runOnce(1), { title: 'One SGD step of both networks on a fresh mini-batch' });
    const resetButton = button('Reset', () => restart(), { title: 'Back to the shared initial weights' });
    const lrSlider = slider('Learning rate', -2, 0.5, 0.05, state.logLearningRate, (v) => {
      state = { ...state, logLearningRate: v };
      experiment.setLearningRate(learningRateOf(state));
      clearHistory();
      save();
      void refresh();
    }, (v) => formatTick(Math.round(10 ** v * 1000) / 1000));
    const activationSelect = select<Activation>('Nonlinearity', [['relu', 'ReLU'], ['tanh', 'tanh']], state.activation, (a) => {
      state = { ...state, activation: a };
      save();
      rebuild();
    });
    const batchSelect = select<string>('Batch size', BATCH_SIZES.map((b) => [String(b), String(b)] as const), String(state.batchSize), (b) => {
      state = { ...state, batchSize: Number(b) };
      experiment.setBatchSize(state.batchSize);
      save();
      updateMomentumText();
      void refresh();
    });
    const momentumSlider = slider('Momentum of running stats', 0, 0.99, 0.01, state.momentum, (v) => {
      state = { ...state, momentum: v };
      experiment.setMomentum(v);
      save();
      updateMomentumText();
    }, (v) => v.toFixed(2));
    const controls = el(
      'div',
      { class: 'demo-controls' },
      el('div', { class: 'demo-buttons' }, playButton, stepButton, resetButton),
      lrSlider.root,
      activationSelect.root,
    );

    const lossChart = new LineChart('Training loss with and without batch normalisation', 420, 170);
    const lossFlags = el('p', { class: 'demo-note', 'aria-live': 'polite' });
    const lossBox = el('section', { class: 'training-panel' }, el('h2', {}, 'Training loss (whole training set)'), lossChart.root, lossFlags);

    const histGrid = el('div', { class: 'bn-hists' },
      el('span', { class: 'bn-hist-head' }, ''),
      el('span', { class: 'bn-hist-head' }, 'without BN'),
      el('span', { class: 'bn-hist-head' }, 'with BN'));
    const histCanvases: Array<[HTMLCanvasElement, HTMLCanvasElement]> = [];
    const deadLabels: HTMLElement[] = [];
    for (let l = 0; l < DEPTH; l++) {
      const pair: [HTMLCanvasElement, HTMLCanvasElement] = [
        el('canvas', { class: 'training-hist', role: 'img', 'aria-label': `Layer ${l + 1} without BN: histogram of nonlinearity inputs over training` }),
        el('canvas', { class: 'training-hist', role: 'img', 'aria-label': `Layer ${l + 1} with BN: histogram of nonlinearity inputs over training` }),
      ];
      histCanvases.push(pair);
      const dead = el('span', { class: 'bn-dead' });
      deadLabels.push(dead);
      histGrid.append(el('span', { class: 'bn-layer' }, `layer ${l + 1}`, dead), pair[0], pair[1]);
    }
    const histCaption = el('p', { class: 'demo-note' });
    const histBox = el('section', { class: 'training-panel' }, el('h2', {}, 'Inputs to the nonlinearity, per layer, over training'), histGrid, histCaption);

    const layerSelect = select<string>('Layer', Array.from({ length: DEPTH }, (_, l) => [String(l), String(l + 1)] as const), String(state.layer), (v) => {
      state = { ...state, layer: Number(v) };
      save();
      void refresh();
    });
    const unitSelect = select<string>('Unit', Array.from({ length: WIDTH }, (_, u) => [String(u), String(u + 1)] as const), String(state.unit), (v) => {
      state = { ...state, unit: Number(v) };
      save();
      void refresh();
    });
    let editing = false;
    const applyGammaBeta = () => {
      loop.setPlaying(false);
      editing = true;
      experiment.setGammaBeta(state.layer, state.unit, gammaSlider.value, betaSlider.value);
      void refresh();
    };
    const gammaSlider = slider('γ (scale)', -3, 3, 0.01, 1, applyGammaBeta, (v) => v.toFixed(2));
    const betaSlider = slider('β (shift)', -3, 3, 0.01, 0, applyGammaBeta, (v) => v.toFixed(2));
    const stepsList = el('div', { class: 'bn-steps', 'aria-live': 'off' });
    const strip = el('canvas', { class: 'training-chart', role: 'img', 'aria-label': 'The unit\'s values on the mini-batch: x, x̂, y and y with running statistics' });
    const valuesTable = el('table', { class: 'training-table bn-values' });
    const fourBox = el(
      'section',
      { class: 'training-panel' },
      el('h2', {}, 'The four steps on the live mini-batch'),
      el('div', { class: 'demo-controls' }, layerSelect.root, unitSelect.root, batchSelect.root),
      stepsList,
      el('div', { class: 'demo-controls' }, gammaSlider.root, betaSlider.root),
      el('p', { class: 'demo-note' }, 'Dragging γ or β pauses training and writes the value into the network: y and the network\'s outputs below change with it. Play continues training from there.'),
      el('figure', { class: 'demo-figure' }, strip, el('figcaption', {}, 'Each line follows one example of the mini-batch through the steps; the last row uses the running statistics (inference).')),
      valuesTable,
    );

    const estimatorSelect = select<VarianceEstimator>('Running σ² from', VARIANCE_ESTIMATORS.map((e) => [e, ESTIMATOR_LABELS[e]] as const), state.varianceEstimator, (e) => {
      state = { ...state, varianceEstimator: e };
      experiment.setVarianceEstimator(e);
      save();
      updateMomentumText();
      void refresh();
    });
    const mismatchChart = new LineChart('Loss on the same mini-batch with batch statistics and with running statistics', 420, 130);
    const momentumText = el('p', { class: 'demo-note' });
    const runningText = el('div', { class: 'bn-steps', 'aria-live': 'off' });
    const runningBox = el(
      'section',
      { class: 'training-panel' },
      el('h2', {}, 'Running statistics vs batch statistics'),
      el('div', { class: 'demo-controls' }, momentumSlider.root, estimatorSelect.root),
      momentumText,
      runningText,
      mismatchChart.root,
    );

    ctx.root.append(intro, controls, el('div', { class: 'demo-views' }, lossBox, histBox), el('div', { class: 'demo-views' }, fourBox, runningBox));

    function updateMomentumText(): void {
      const m = state.momentum;
      const B = state.batchSize;
      const fed = state.varianceEstimator === 'unbiased'
        ? `for σ² the unbiased ${B}/${B - 1} · σ²_B = ${formatTick(runningVarianceFactor(B, 'unbiased'))} · σ²_B, as the BN paper (Algorithm 2) and PyTorch do; Keras feeds σ²_B itself`
        : 'for σ² the biased σ²_B itself, as Keras does; the BN paper (Algorithm 2) and PyTorch feed the unbiased B/(B−1) · σ²_B';
      momentumText.textContent = `After every step: running ← ${m.toFixed(2)} · running + ${(1 - m).toFixed(2)} · batch statistic (μ_B, and ${fed}). ` +
        `Momentum in the Keras convention (PyTorch's momentum is 1 − this). It takes about ${Math.max(1, Math.round(1 / Math.max(1e-6, 1 - m)))} steps to forget the start values (μ = 0, σ² = 1): until then inference disagrees with training.`;
    }
    updateMomentumText();

    // ---- Drawing ------------------------------------------------------------------------------
    function draw(): void {
      const s = snapshot;
      if (!s) return;
      const colors = seriesColors();
      lossChart.draw(
        [
          { label: 'without BN', color: colors.a, values: lossHistory.values[0] },
          { label: 'with BN (inference mode)', color: colors.b, values: lossHistory.values[1] },
        ],
        Math.max(MIN_X_STEPS, s.step),
        { yCap: 10, steps: lossHistory.steps },
      );
      const plainNote = Number.isNaN(s.plain.loss)
        ? 'Without BN the loss became NaN: training diverged.'
        : s.step >= 100 && Math.abs(s.plain.loss - LN2) < 0.02
          ? `Without BN the loss sits at ln 2 = ${LN2.toFixed(3)}: the net outputs 50 % for every point.`
          : '';
      lossFlags.replaceChildren(
        `Step ${s.step} · lr ${formatTick(experiment.learningRate)} · accuracy without BN ${(100 * s.plain.accuracy).toFixed(0)} %, with BN ${(100 * s.bn.accuracy).toFixed(0)} %. `,
        el('span', { class: 'bn-flag' }, plainNote),
      );
      mismatchChart.draw(
        [
          { label: 'batch stats (training)', color: colors.b, values: lossHistory.values[2] },
          { label: 'running stats (inference)', color: colors.foreground, dashed: true, values: lossHistory.values[3] },
        ],
        Math.max(MIN_X_STEPS, s.step),
        { yCap: 10, steps: lossHistory.steps },
      );
      drawHistograms();
      drawFourSteps(s);
    }

    function drawHistograms(): void {
      const colors = seriesColors();
      const W = 200, H = 34;
      const columns = hists.columns;
      const lastStep = snapshot?.step ?? 0;
      const xMax = Math.max(MIN_X_STEPS, lastStep);
      // x from the step each column was measured at, on the loss charts' axis (0 … xMax).
      const spans = histogramColumnSpans(hists.steps, xMax, W, 1.5);
      const binH = H / HIST_BINS;
      for (let l = 0; l < DEPTH; l++) {
        for (const [k, which] of [[0, 'plain'], [1, 'bn']] as const) {
          const c = prepareCanvas(histCanvases[l][k], W, H);
          if (!c) continue;
          c.clearRect(0, 0, W, H);
          columns.forEach((column, t) => {
            const h = column[which][l];
            const total = h.counts.reduce((a, v) => a + v, 0) || 1;
            let max = 1e-9;
            for (let b = 0; b < HIST_BINS; b++) max = Math.max(max, h.counts[b] / total);
            const { x0, x1 } = spans[t];
            for (let b = 0; b < HIST_BINS; b++) {
              if (h.counts[b] <= 0) continue;
              c.fillStyle = withAlpha(k === 0 ? colors.a : colors.b, 0.15 + 0.85 * Math.sqrt(h.counts[b] / total / max));
              // Bin 0 (most negative) at the bottom.
              c.fillRect(x0, H - (b + 1) * binH, Math.max(1, x1 - x0), Math.ceil(binH));
            }
            // Clipped values (beyond ±range, counted in the end bins): a mark on that edge.
            c.fillStyle = colors.foreground;
            if (h.above > 0) c.fillRect(x0, 0, Math.max(1, x1 - x0), 1.5);
            if (h.below > 0) c.fillRect(x0, H - 1.5, Math.max(1, x1 - x0), 1.5);
          });
          c.strokeStyle = withAlpha(colors.muted, 0.6);
          c.setLineDash([2, 3]);
          c.beginPath();
          c.moveTo(0, H / 2 + 0.5);
          c.lineTo(W, H / 2 + 0.5);
          c.stroke();
          c.setLineDash([]);
        }
      }
      const newest = columns[columns.length - 1];
      for (let l = 0; l < DEPTH; l++) {
        const parts: string[] = [];
        const titles: string[] = [];
        if (snapshot && state.activation === 'relu') {
          // A ReLU unit is dead when its input is ≤ 0 for every probe example: it passes no signal and no gradient.
          const plainDead = deadReluUnits(snapshot.preActivations.plain[l], WIDTH);
          const bnDead = deadReluUnits(snapshot.preActivations.bn[l], WIDTH);
          parts.push(` dead ${plainDead} | ${bnDead}`);
          titles.push(`ReLU units that output 0 for every probe example: ${plainDead} of ${WIDTH} without BN, ${bnDead} with BN`);
        }
        if (newest) {
          const share = (h: typeof newest.plain[number]) => {
            const n = h.counts.reduce((a, v) => a + v, 0);
            return n ? Math.round((100 * (h.below + h.above)) / n) : 0;
          };
          const [a, b] = [share(newest.plain[l]), share(newest.bn[l])];
          if (a > 0 || b > 0) {
            parts.push(` clipped ${a} % | ${b} %`);
            titles.push(`Share of the latest values beyond ±${HIST_RANGE}, drawn in the edge bins: ${a} % without BN, ${b} % with BN`);
          }
        }
        deadLabels[l].textContent = parts.join(' ·');
        deadLabels[l].title = titles.join('; ');
      }
      histCaption.textContent =
        `x: training step 0 … ${xMax}, the loss chart's axis; each column is the histogram measured at the step of its right edge ` +
        `(${columns.length} measurements, at least ${hists.stepsPerColumn} step${hists.stepsPerColumn === 1 ? '' : 's'} apart), drawn back to the measurement before it. ` +
        `y: value of the input to ${state.activation === 'relu' ? 'ReLU' : 'tanh'} from −${HIST_RANGE} (bottom) to +${HIST_RANGE} (top) in ${HIST_BINS} bins, dotted line at 0. ` +
        `The axis clips: values beyond ±${HIST_RANGE} are counted in the edge bins and marked by a line on that edge ("clipped a % | b %": their share in the latest column, without | with BN). ` +
        `Brightness: share of the ${64}×${WIDTH} probe values in that bin. With BN these are y = γx̂ + β (inference mode).` +
        (state.activation === 'relu' ? ' "dead a | b": ReLU units that output 0 for every probe example, without | with BN.' : '');
    }

    function drawFourSteps(s: BatchNormSnapshot): void {
      const u = s.unit;
      const B = s.batchSize;
      const eps = experiment.eps;
      const f = (v: number) => formatTick(v);
      const list = (a: Float32Array) => `${Array.from(a.subarray(0, 4), f).join(', ')}${a.length > 4 ? ', …' : ''}`;
      const line = (label: string, value: string) => [el('span', { class: 'bn-step-label' }, label), el('span', {}, value)];
      stepsList.replaceChildren(
        ...line('x (this unit, B = ' + B + ')', list(u.x)),
        ...line('1. μ_B = (1/B) Σ xᵢ', f(u.batchMean)),
        ...line('2. σ²_B = (1/B) Σ (xᵢ − μ_B)²', f(u.batchVariance)),
        ...line(`3. x̂ᵢ = (xᵢ − μ_B) / √(σ²_B + ${eps})`, list(u.xhat)),
        ...line(`4. yᵢ = γ x̂ᵢ + β, γ = ${f(u.gamma)}, β = ${f(u.beta)}`, list(u.y)),
      );
      if (!editing) {
        gammaSlider.value = Math.max(-3, Math.min(3, u.gamma));
        betaSlider.value = Math.max(-3, Math.min(3, u.beta));
      }
      const rows = Math.min(8, B);
      const m = s.mismatch;
      valuesTable.replaceChildren(
        el('thead', {}, el('tr', {}, ...['i', 'xᵢ', 'x̂ᵢ', 'yᵢ', 'yᵢ (running)', 'P (batch stats)', 'P (running)'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...Array.from({ length: rows }, (_, i) =>
          el('tr', {}, el('th', { scope: 'row' }, String(i + 1)), ...[u.x[i], u.xhat[i], u.y[i], u.yInference[i], m.probBatchStats[i], m.probRunningStats[i]].map((v) => el('td', {}, f(v)))))),
      );
      drawStrip(s);
      runningText.replaceChildren(
        ...line('μ_B (this batch)', f(u.batchMean)), ...line('running μ', f(u.runningMean)),
        ...line('σ²_B (this batch, normalises it)', f(u.batchVariance)),
        ...line(s.varianceEstimator === 'unbiased' ? `fed to running σ²: ${B}/${B - 1} · σ²_B` : 'fed to running σ²: σ²_B', f(u.varianceForRunning)),
        ...line('running σ²', f(u.runningVariance)),
        ...line('loss, batch stats', f(m.lossBatchStats)), ...line('loss, running stats', f(m.lossRunningStats)),
        ...line('mean |ΔP| train vs inference', f(m.meanAbsProbabilityGap)),
      );
    }

    function drawStrip(s: BatchNormSnapshot): void {
      const u = s.unit;
      const W = 420, H = 150;
      const c = prepareCanvas(strip, W, H);
      if (!c) return;
      const colors = seriesColors();
      c.clearRect(0, 0, W, H);
      const rows: Array<{ label: string; values: Float32Array }> = [
        { label: 'x', values: u.x },
        { label: 'x̂', values: u.xhat },
        { label: 'y', values: u.y },
        { label: 'y (running)', values: u.yInference },
      ];
      // The axis fits the values (at least −3 … 3) up to ±STRIP_LIMIT; beyond that they are drawn
      // on the edge and the edge label says how many.
      let lo = -3, hi = 3;
      for (const r of rows) for (const v of r.values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      lo = Math.max(lo, -STRIP_LIMIT);
      hi = Math.min(hi, STRIP_LIMIT);
      let below = 0, above = 0;
      for (const r of rows) for (const v of r.values) { if (v < lo) below++; else if (v > hi) above++; }
      const left = 78, right = W - 10;
      const xOf = (v: number) => left + ((Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo)) * (right - left);
      const yOf = (i: number) => 18 + i * ((H - 36) / (rows.length - 1));
      c.font = '11px var(--vscode-editor-font-family, monospace)';
      c.textBaseline = 'middle';
      // Zero line and the axis range.
      c.strokeStyle = withAlpha(colors.muted, 0.5);
      c.setLineDash([2, 3]);
      c.beginPath();
      c.moveTo(xOf(0) + 0.5, 6);
      c.lineTo(xOf(0) + 0.5, H - 14);
      c.stroke();
      c.setLineDash([]);
      c.fillStyle = colors.muted;
      c.textAlign = 'left';
      c.fillText(below ? `◀ ${below} below ${formatTick(lo)}, drawn here` : formatTick(lo), left, H - 6);
      c.textAlign = 'right';
      c.fillText(above ? `${above} above ${formatTick(hi)}, drawn here ▶` : formatTick(hi), right, H - 6);
      c.textAlign = 'center';
      c.fillText('0', xOf(0), H - 6);
      // One faint polyline per example, then the dots.
      c.strokeStyle = withAlpha(colors.b, 0.25);
      for (let i = 0; i < u.x.length; i++) {
        c.beginPath();
        rows.forEach((r, k) => (k === 0 ? c.moveTo(xOf(r.values[i]), yOf(k)) : c.lineTo(xOf(r.values[i]), yOf(k))));
        c.stroke();
      }
      rows.forEach((r, k) => {
        c.fillStyle = colors.foreground;
        c.textAlign = 'right';
        c.fillText(r.label, left - 8, yOf(k));
        c.fillStyle = k === 3 ? colors.foreground : colors.b;
        for (const v of r.values) {
          c.beginPath();
          c.arc(xOf(v), yOf(k), 3, 0, 2 * Math.PI);
          c.fill();
        }
      });
      // μ_B on the x row.
      c.strokeStyle = colors.focus;
      c.lineWidth = 2;
      c.beginPath();
      c.moveTo(xOf(u.batchMean), yOf(0) - 9);
      c.lineTo(xOf(u.batchMean), yOf(0) + 9);
      c.stroke();
      c.lineWidth = 1;
    }

    // ---- Training -----------------------------------------------------------------------------
    async function frame(steps: number): Promise<number> {
      if (disposed) return 0;
      if (steps > 0) {
        editing = false;
        experiment.step(Math.min(steps, MAX_STEPS - experiment.stepCount));
      }
      const readStart = performance.now();
      const s = await experiment.snapshot(state.layer, state.unit);
      const readMs = performance.now() - readStart;
      if (disposed) return readMs;
      // Every readback is a measurement at its step: without training (γ/β dragged, batch size
      // changed) it replaces the newest point and column, so the charts show the current network.
      lossHistory.record(s.step, [s.plain.loss, s.bn.loss, s.mismatch.lossBatchStats, s.mismatch.lossRunningStats]);
      hists.record(s.step, s.preActivations);
      snapshot = s;
      draw();
      ctx.reportReady({
        step: s.step,
        learningRate: experiment.learningRate,
        batchSize: s.batchSize,
        momentum: experiment.momentum,
        lossPlain: round(s.plain.loss),
        lossBN: round(s.bn.loss),
        accuracyPlain: round(s.plain.accuracy),
        accuracyBN: round(s.bn.accuracy),
        trainInferenceGap: round(s.mismatch.meanAbsProbabilityGap),
      });
      maybeOffer(s);
      return readMs;
    }

    let offered = false;
    function maybeOffer(s: BatchNormSnapshot): void {
      if (offered || s.step < 500 || ctx.sectionTodos.length === 0 || !Number.isFinite(s.bn.loss)) return;
      offered = true;
      const plain = Number.isNaN(s.plain.loss) ? 'diverged (NaN)' : `${formatTick(s.plain.loss)} (accuracy ${(100 * s.plain.accuracy).toFixed(0)} %)`;
      ctx.offerAnswer(
        `Batch normalisation standardises each unit over the mini-batch (μ_B, σ²_B, x̂ = (x − μ_B)/√(σ²_B + ε)) and re-scales with learnable γ, β, ` +
          `so every layer's input keeps a stable distribution and much higher learning rates work. Measured in the demo: ${DEPTH}-layer ${state.activation} MLP, ` +
          `plain SGD at learning rate ${formatTick(experiment.learningRate)}, ${s.step} steps: loss without BN ${plain}, with BN ${formatTick(s.bn.loss)} ` +
          `(accuracy ${(100 * s.bn.accuracy).toFixed(0)} %). At inference the running averages replace the batch statistics.`,
      );
    }

    const loop = new TrainingLoop(frame, (sps) => ctx.reportStats({ stepsPerSecond: sps }), {
      targetMs: 28,
      maxStepsPerFrame: 30,
      canStep: () => experiment.stepCount < MAX_STEPS,
    });
    bindPlayButtons(loop, playButton, stepButton, () => experiment.stepCount, MAX_STEPS);

    function clearHistory(): void {
      offered = false;
      lossHistory.clear();
      hists.clear();
      snapshot = undefined;
      editing = false;
      playButton.disabled = false;
      playButton.textContent = loop.isPlaying ? 'Pause' : '▶ Play';
    }

    function restart(): void {
      experiment.reset();
      clearHistory();
      void refresh();
    }

    function rebuild(): void {
      experiment.dispose();
      experiment = create();
      clearHistory();
      void refresh();
    }

    async function refresh(): Promise<void> {
      if (!loop.isPlaying) await loop.runOnce(0);
    }

    return startTrainingDemo(loop, draw, () => {
      disposed = true;
      experiment.dispose();
    });
  },
};

function round(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
}

