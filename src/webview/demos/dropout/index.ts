/**
 * Dropout: two real MLPs trained side by side from the same initial weights on the same noisy
 * moons — p = 0 on the left, p from the slider on the right. Decision boundaries, train and
 * validation loss, the mask of the latest step, and the three scaling conventions with a live
 * check of the expected activation (the wrong one is ConvNetJS's test-time factor p).
 */
import {
  DROPOUT_CONVENTIONS,
  MAX_DROP_PROBABILITY,
  createDropoutExperiment,
  dropoutScaling,
  type DropoutConvention,
  type DropoutExperiment,
  type DropoutMode,
  type DropoutSnapshot,
} from '../../../core/demos/dropout';
import type { DemoContext, DemoInstance, DemoModule } from '../demoApi';
import { button, checkbox, el, parseColor as parseRgb, select, slider } from '../ui';
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
  readonly p: number;
  readonly convention: DropoutConvention;
  readonly view: DropoutMode;
  readonly seed: number;
  readonly showValidation: boolean;
}

const DEFAULT_STATE: State = { p: 0.5, convention: 'inverted', view: 'eval', seed: 7, showValidation: false };
/** Training stops here by itself: by then the left net has memorised the noise. */
const MAX_STEPS = 4000;
const HIDDEN = 64;

function restore(saved: unknown): State {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_STATE;
  const s = { ...DEFAULT_STATE, ...(saved as Partial<State>) };
  const ok =
    typeof s.p === 'number' && s.p >= 0 && s.p <= MAX_DROP_PROBABILITY &&
    DROPOUT_CONVENTIONS.includes(s.convention) &&
    (s.view === 'eval' || s.view === 'train') &&
    Number.isInteger(s.seed) && s.seed >= 0 && s.seed < 1e6 &&
    typeof s.showValidation === 'boolean';
  return ok ? s : DEFAULT_STATE;
}

const CONVENTION_LABELS: Record<DropoutConvention, string> = {
  inverted: 'Inverted: ×1/(1−p) while training',
  lecture: 'Lecture: ×(1−p) at test time',
  wrong: 'Wrong: ×p at test time (ConvNetJS bug)',
};

export const demo: DemoModule = {
  id: 'dropout',
  mount(ctx: DemoContext): DemoInstance {
    ensureTrainingStylesheet();
    const { tf } = ctx;
    let state = restore(ctx.initialState);
    let experiment: DropoutExperiment = create();
    let snapshot: DropoutSnapshot | undefined;
    let disposed = false;
    let offered = false;
    const history = new History(4);

    function create(): DropoutExperiment {
      // The CPU backend pays for every grid point: a coarser (still smooth-looking) grid there.
      const gridResolution = ctx.backend === 'webgl' ? 50 : 36;
      return createDropoutExperiment(tf, { seed: state.seed, hidden: HIDDEN, p: state.p, convention: state.convention, learningRate: 0.003, gridResolution });
    }
    const save = () => ctx.saveState(state);

    // ---- Layout -------------------------------------------------------------------------------
    const intro = el(
      'p',
      { class: 'demo-note training-intro' },
      'Both networks start from the same weights and see the same 60 noisy points (10% of the labels are flipped). ',
      el('strong', {}, 'Watch the left boundary wrap around single mislabelled points while its validation loss (dashed) climbs; '),
      'the dropout net keeps a smoother boundary and a lower validation loss. Then switch the scaling to the wrong convention with p ≠ 0.5 and see the test-time boundary fall apart.',
    );

    const playButton = button('▶ Play', () => loop.setPlaying(!loop.isPlaying), { 'aria-pressed': 'false', class: 'training-play' });
    const stepButton = button('Step', () => void loop.runOnce(1), { title: 'One training step of both networks (a fresh mask)' });
    const resetButton = button('Reset', () => restart(false), { title: 'Back to the shared initial weights' });
    const dataButton = button('New data', () => restart(true), { title: 'Draw a new noisy data set (new seed)' });
    const pSlider = slider('Drop probability p', 0, MAX_DROP_PROBABILITY, 0.05, state.p, (v) => {
      state = { ...state, p: Math.round(v * 100) / 100 };
      experiment.setP(state.p);
      history.clear();
      offered = false;
      save();
      void refresh();
    }, (v) => v.toFixed(2));
    const conventionSelect = select<DropoutConvention>(
      'Scaling',
      DROPOUT_CONVENTIONS.map((c) => [c, CONVENTION_LABELS[c]] as const),
      state.convention,
      (c) => {
        state = { ...state, convention: c };
        // Restarted or not, the curves so far were measured with the old test-time scaling:
        // start them again rather than join two conventions in one line.
        experiment.setConvention(c);
        history.clear();
        save();
        void refresh();
      },
    );
    const viewFieldset = el('fieldset', { class: 'demo-fieldset training-radios' }, el('legend', {}, 'Right network shown in'));
    const viewInputs: Record<DropoutMode, HTMLInputElement> = { eval: radio('eval', 'eval mode (all units, test scaling)'), train: radio('train', 'train mode (one random mask per frame)') };
    function radio(value: DropoutMode, label: string): HTMLInputElement {
      const id = `dropout-view-${value}`;
      const input = el('input', { type: 'radio', name: 'dropout-view', id, value });
      input.checked = state.view === value;
      input.addEventListener('change', () => {
        if (!input.checked) return;
        state = { ...state, view: value };
        save();
        void refresh();
      });
      viewFieldset.append(el('span', { class: 'demo-control' }, input, el('label', { for: id }, label)));
      return input;
    }
    void viewInputs;
    const valToggle = checkbox('Show validation points', state.showValidation, (v) => {
      state = { ...state, showValidation: v };
      save();
      draw();
    });

    const controls = el(
      'div',
      { class: 'demo-controls' },
      el('div', { class: 'demo-buttons' }, playButton, stepButton, resetButton, dataButton),
      pSlider.root,
      conventionSelect.root,
    );
    const controls2 = el('div', { class: 'demo-controls' }, viewFieldset, valToggle.root);

    const leftMap = new BoundaryView('Decision boundary, p = 0');
    const rightMap = new BoundaryView('Decision boundary with dropout');
    const maps = el('div', { class: 'demo-views training-maps' }, leftMap.root, rightMap.root);
    const mapLegend = el(
      'p',
      { class: 'demo-note training-map-legend' },
      el('span', { class: 'training-dot class0' }), ' class 0   ',
      el('span', { class: 'training-dot class1' }), ' class 1   — background: the network\'s P(class 1), stronger colour = more confident; circles: the 60 training points.',
    );

    const lossChart = new LineChart('Training and validation loss of both networks over the steps', 440, 170);
    const lossBox = el('section', { class: 'training-panel' }, el('h2', {}, 'Loss (binary cross-entropy, eval mode)'), lossChart.root);

    const exampleSlider = slider('Training point', 1, 60, 1, 1, () => draw(), (v) => `#${v}`);
    const mask1 = new MaskView('Layer 1');
    const mask2 = new MaskView('Layer 2');
    const maskCaption = el('p', { class: 'demo-note', 'aria-live': 'polite' });
    const maskBox = el(
      'section',
      { class: 'training-panel' },
      el('h2', {}, 'The mask used in the latest step'),
      el('p', { class: 'demo-note' }, 'Filled = kept, empty = dropped, for the chosen training point (ringed on the right map). Each point gets its own mask, and every step draws new ones.'),
      exampleSlider.root,
      el('div', { class: 'training-masks' }, mask1.root, mask2.root),
      maskCaption,
    );

    const scalingTable = el('table', { class: 'training-table' });
    const checkText = el('p', { class: 'training-check', 'aria-live': 'polite' });
    const checkChart = el('canvas', { role: 'img', 'aria-label': 'Per-unit expected training activation versus test activation', class: 'training-chart' });
    const scalingBox = el(
      'section',
      { class: 'training-panel' },
      el('h2', {}, 'Train vs test: where does the 1−p go?'),
      scalingTable,
      checkText,
      el('figure', { class: 'demo-figure' }, checkChart, el('figcaption', {}, 'First 16 units of layer 1: bar = mean over many fresh training masks, tick = what the test-time network computes. They must match.')),
    );

    ctx.root.append(intro, controls, controls2, maps, mapLegend, el('div', { class: 'demo-views' }, lossBox, maskBox), scalingBox);

    // ---- Drawing ------------------------------------------------------------------------------
    function draw(): void {
      const s = snapshot;
      if (!s) return;
      const colors = seriesColors();
      const example = Math.min(experiment.train.n, Math.max(1, exampleSlider.value)) - 1;
      leftMap.draw(s.baselineGrid, s.gridResolution, experiment, state.showValidation, -1);
      rightMap.draw(s.dropoutGrid, s.gridResolution, experiment, state.showValidation, example);
      leftMap.setCaption(`p = 0 · train ${formatTick(s.baseline.train)} · val ${formatTick(s.baseline.val)}`);
      rightMap.setCaption(
        `p = ${s.p.toFixed(2)} (${s.convention}, ${state.view} mode) · train ${formatTick(s.dropout.train)} · val ${formatTick(s.dropout.val)}`,
      );
      lossChart.draw(
        [
          { label: 'p = 0 train', color: colors.a, values: history.values[0] },
          { label: 'p = 0 val', color: colors.a, dashed: true, values: history.values[1] },
          { label: `p = ${s.p.toFixed(2)} train`, color: colors.b, values: history.values[2] },
          { label: `p = ${s.p.toFixed(2)} val`, color: colors.b, dashed: true, values: history.values[3] },
        ],
        Math.max(100, s.step),
        // The p = 0 validation loss climbs past 3 as it memorises the noise: fit the axis to it.
        { yCap: 10, steps: history.steps },
      );
      const h = experiment.hidden;
      const row = (m: Uint8Array) => m.subarray(example * h, (example + 1) * h);
      mask1.draw(row(s.masks[0]), s.step > 0);
      mask2.draw(row(s.masks[1]), s.step > 0);
      const kept = (m: Uint8Array) => m.reduce((a, v) => a + v, 0);
      maskCaption.textContent =
        s.step === 0
          ? 'No step taken yet.'
          : `Step ${s.step}: kept ${kept(row(s.masks[0]))} and ${kept(row(s.masks[1]))} of ${h} units for point #${example + 1}; ` +
            `over the whole batch ${((100 * kept(s.masks[0])) / s.masks[0].length).toFixed(1)}% (expected ${(100 * (1 - s.p)).toFixed(0)}%).`;
      drawScaling(s);
    }

    function drawScaling(s: DropoutSnapshot): void {
      const p = s.p;
      const rows: Array<[DropoutConvention, string, string]> = [
        ['inverted', `h · m · 1/(1−p) = h · m · ${(1 / (1 - p)).toFixed(2)}`, 'h'],
        ['lecture', 'h · m', `h · (1−p) = h · ${(1 - p).toFixed(2)}`],
        ['wrong', 'h · m', `h · p = h · ${p.toFixed(2)}`],
      ];
      scalingTable.replaceChildren(
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Convention'), el('th', { scope: 'col' }, 'Training (mask m)'), el('th', { scope: 'col' }, 'Test'))),
        el(
          'tbody',
          {},
          ...rows.map(([c, train, test]) => {
            const tr = el('tr', { class: c === s.convention ? 'selected' : '' }, el('th', { scope: 'row' }, CONVENTION_LABELS[c].split(':')[0]), el('td', {}, train), el('td', {}, test));
            if (c === s.convention) tr.setAttribute('aria-current', 'true');
            return tr;
          }),
        ),
      );
      const mean = (a: Float32Array) => a.reduce((x, v) => x + v, 0) / a.length;
      const trainMean = mean(s.check.trainMean);
      const evalValue = mean(s.check.evalValue);
      const ratio = trainMean > 1e-9 ? evalValue / trainMean : 1;
      const ok = Math.abs(ratio - 1) < 0.08;
      checkText.dataset.ok = String(ok);
      const expected = dropoutScaling(p, s.convention);
      checkText.textContent =
        `Layer-1 activation after dropout, averaged over ${s.check.masks} fresh masks: ${formatTick(trainMean)}; ` +
        `at test time: ${formatTick(evalValue)} → ratio ${ratio.toFixed(2)} ${ok ? '✓ same expectation' : '✗ mismatch'}` +
        (s.convention === 'wrong' ? ` (p/(1−p) = ${(p / (1 - p)).toFixed(2)}${Math.abs(p - 0.5) < 1e-9 ? ': at p = 0.5 the bug is invisible — move p' : ''})` : '') +
        `. Training factor ${expected.train.toFixed(2)}, test factor ${expected.eval.toFixed(2)}.`;
      drawCheckBars(s);
    }

    function drawCheckBars(s: DropoutSnapshot): void {
      const n = Math.min(16, s.check.trainMean.length);
      const W = 440, H = 110;
      const c = prepareCanvas(checkChart, W, H);
      if (!c) return;
      const colors = seriesColors();
      c.clearRect(0, 0, W, H);
      let top = 1e-6;
      for (let i = 0; i < n; i++) top = Math.max(top, s.check.trainMean[i], s.check.evalValue[i]);
      const slot = (W - 10) / n;
      const base = H - 14;
      c.strokeStyle = withAlpha(colors.grid, 1);
      c.beginPath();
      c.moveTo(5, base + 0.5);
      c.lineTo(W - 5, base + 0.5);
      c.stroke();
      for (let i = 0; i < n; i++) {
        const x = 5 + i * slot;
        const bh = (s.check.trainMean[i] / top) * (base - 6);
        c.fillStyle = withAlpha(colors.b, 0.75);
        c.fillRect(x + slot * 0.2, base - bh, slot * 0.6, bh);
        const ey = base - (s.check.evalValue[i] / top) * (base - 6);
        c.strokeStyle = colors.foreground;
        c.lineWidth = 2;
        c.beginPath();
        c.moveTo(x + slot * 0.05, ey);
        c.lineTo(x + slot * 0.95, ey);
        c.stroke();
        c.fillStyle = colors.muted;
        c.font = '9px var(--vscode-editor-font-family, monospace)';
        c.textAlign = 'center';
        c.fillText(String(i + 1), x + slot / 2, H - 3);
      }
    }

    // ---- Training -----------------------------------------------------------------------------
    async function frame(steps: number): Promise<number> {
      if (disposed) return 0;
      if (steps > 0) experiment.step(Math.min(steps, MAX_STEPS - experiment.stepCount));
      const readStart = performance.now();
      const s = await experiment.snapshot(state.view);
      const readMs = performance.now() - readStart;
      if (disposed) return readMs;
      // Every readback is a measurement at its step; without training it replaces the newest point.
      history.record(s.step, [s.baseline.train, s.baseline.val, s.dropout.train, s.dropout.val]);
      snapshot = s;
      draw();
      ctx.reportReady({
        step: s.step,
        p: s.p,
        convention: s.convention,
        trainLossP0: round(s.baseline.train),
        valLossP0: round(s.baseline.val),
        trainLossP: round(s.dropout.train),
        valLossP: round(s.dropout.val),
        expectationRatio: round(mean(s.check.evalValue) / Math.max(1e-9, mean(s.check.trainMean))),
      });
      maybeOffer(s);
      return readMs;
    }

    function maybeOffer(s: DropoutSnapshot): void {
      if (offered || s.step < 1000 || ctx.sectionTodos.length === 0 || s.convention === 'wrong') return;
      offered = true;
      ctx.offerAnswer(
        `Dropout keeps each unit with probability 1−p during training, so at test time (all units on) activations must be scaled by the keep probability 1−p — ` +
          `or, equivalently, kept units are scaled by 1/(1−p) during training ("inverted dropout") and nothing changes at test time. ` +
          `Measured in the demo after ${s.step} steps on 60 noisy points: without dropout train loss ${formatTick(s.baseline.train)}, validation ${formatTick(s.baseline.val)}; ` +
          `with p = ${s.p.toFixed(2)} train ${formatTick(s.dropout.train)}, validation ${formatTick(s.dropout.val)}.`,
      );
    }

    const loop = new TrainingLoop(frame, (sps) => ctx.reportStats({ stepsPerSecond: sps }), {
      targetMs: ctx.backend === 'webgl' ? 28 : 24,
      maxStepsPerFrame: 40,
      canStep: () => experiment.stepCount < MAX_STEPS,
    });
    bindPlayButtons(loop, playButton, stepButton, () => experiment.stepCount, MAX_STEPS);

    function restart(newData: boolean): void {
      if (newData) {
        state = { ...state, seed: (state.seed + 1) % 1e6 };
        save();
        experiment.dispose();
        experiment = create();
      } else {
        experiment.reset();
      }
      history.clear();
      offered = false;
      snapshot = undefined;
      playButton.disabled = false;
      playButton.textContent = loop.isPlaying ? 'Pause' : '▶ Play';
      void refresh();
    }

    /** Redraw after a change: immediately when paused, by the next frame when playing. */
    async function refresh(): Promise<void> {
      if (!loop.isPlaying) await loop.runOnce(0);
    }

    return startTrainingDemo(loop, draw, () => {
      disposed = true;
      experiment.dispose();
    });
  },
};

function mean(a: Float32Array): number {
  return a.reduce((x, v) => x + v, 0) / Math.max(1, a.length);
}

function round(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
}

/** The decision-boundary heat map (res × res probabilities, one ImageData) with the data points on top. */
class BoundaryView {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private readonly scratch = document.createElement('canvas');
  private readonly size = 240;

  constructor(label: string) {
    this.canvas = el('canvas', { role: 'img', 'aria-label': label, class: 'training-map' });
    this.caption = el('figcaption', { 'aria-live': 'off' });
    this.root = el('figure', { class: 'demo-figure' }, this.canvas, this.caption);
  }

  setCaption(text: string): void {
    this.caption.textContent = text;
  }

  draw(grid: Float32Array, res: number, e: DropoutExperiment, showValidation: boolean, highlight: number): void {
    const ctx = prepareCanvas(this.canvas, this.size, this.size);
    if (!ctx) return;
    const colors = seriesColors();
    const bg = parseRgb(colors.background);
    const c0 = parseRgb(colors.class0);
    const c1 = parseRgb(colors.class1);
    this.scratch.width = res;
    this.scratch.height = res;
    const sctx = this.scratch.getContext('2d');
    if (!sctx) return;
    const image = sctx.createImageData(res, res);
    for (let i = 0; i < res * res; i++) {
      const p = grid[i];
      const t = Number.isFinite(p) ? Math.min(1, Math.abs(2 * p - 1)) * 0.72 : 0;
      const target = p >= 0.5 ? c1 : c0;
      image.data[4 * i] = bg[0] + (target[0] - bg[0]) * t;
      image.data[4 * i + 1] = bg[1] + (target[1] - bg[1]) * t;
      image.data[4 * i + 2] = bg[2] + (target[2] - bg[2]) * t;
      image.data[4 * i + 3] = 255;
    }
    sctx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.scratch, 0, 0, this.size, this.size);
    const toPx = (v: number) => ((v + e.extent) / (2 * e.extent)) * this.size;
    const dot = (x: number, y: number, cls: number, r: number, alpha: number) => {
      ctx.beginPath();
      ctx.arc(toPx(x), this.size - toPx(y), r, 0, 2 * Math.PI);
      ctx.fillStyle = withAlpha(cls ? colors.class1 : colors.class0, alpha);
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = withAlpha(colors.foreground, alpha);
      ctx.stroke();
    };
    if (showValidation) for (let i = 0; i < e.val.n; i++) dot(e.val.x[2 * i], e.val.x[2 * i + 1], e.val.y[i], 2, 0.45);
    for (let i = 0; i < e.train.n; i++) dot(e.train.x[2 * i], e.train.x[2 * i + 1], e.train.y[i], 3.5, 1);
    if (highlight >= 0 && highlight < e.train.n) {
      ctx.beginPath();
      ctx.arc(toPx(e.train.x[2 * highlight]), this.size - toPx(e.train.x[2 * highlight + 1]), 8, 0, 2 * Math.PI);
      ctx.lineWidth = 2;
      ctx.strokeStyle = colors.focus;
      ctx.stroke();
    }
  }
}

/** One layer's keep mask as a square grid of cells: filled = kept, empty with a cross = dropped. */
class MaskView {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly cell = 15;

  constructor(private readonly label: string) {
    this.canvas = el('canvas', { role: 'img', 'aria-label': `${label} dropout mask`, class: 'training-mask' });
    this.root = el('figure', { class: 'demo-figure' }, this.canvas, el('figcaption', {}, label));
  }

  draw(mask: Uint8Array, any: boolean): void {
    const cols = Math.ceil(Math.sqrt(mask.length));
    const rows = Math.ceil(mask.length / cols);
    const size = this.cell;
    const ctx = prepareCanvas(this.canvas, cols * size + 1, rows * size + 1);
    if (!ctx) return;
    const colors = seriesColors();
    ctx.clearRect(0, 0, cols * size + 1, rows * size + 1);
    let kept = 0;
    for (let i = 0; i < mask.length; i++) {
      const x = (i % cols) * size + 0.5;
      const y = Math.floor(i / cols) * size + 0.5;
      ctx.strokeStyle = withAlpha(colors.muted, 0.7);
      ctx.lineWidth = 1;
      if (any && mask[i]) {
        kept++;
        ctx.fillStyle = colors.b;
        ctx.fillRect(x + 1.5, y + 1.5, size - 3, size - 3);
      } else if (any) {
        ctx.beginPath();
        ctx.moveTo(x + 4, y + 4);
        ctx.lineTo(x + size - 4, y + size - 4);
        ctx.moveTo(x + size - 4, y + 4);
        ctx.lineTo(x + 4, y + size - 4);
        ctx.stroke();
      }
      ctx.strokeRect(x, y, size, size);
    }
    this.canvas.setAttribute('aria-label', `${this.label} dropout mask: ${kept} of ${mask.length} units kept`);
  }
}
