/**
 * Transposed convolution: one real `tf.conv2dTranspose`, shown three ways that stay in sync —
 * the scatter view (each input cell paints its scaled kernel onto the output), the equivalent
 * direct convolution over the zero-stretched input, and the overlap counts behind checkerboard
 * artifacts — plus stacked layers and the resize-then-convolve fix. Numbers under the cursor.
 */
import {
  TRANSPOSED_CONV_LIMITS,
  TRANSPOSED_CONV_PRESETS,
  makeInput,
  makeKernel,
  resizeConv,
  stackedOutputSizes,
  stackedOverlap,
  overlapSentence,
  summarizeOverlap,
  transposedConv,
  transposedConvOutputSize,
  transposedConvStep,
  upsamplingAnswer,
  validateTransposedConvParams,
  type InputKind,
  type KernelKind,
  type TransposedConvParams,
  type TransposedConvStepResult,
} from '../../../core/demos/transposedConv';
import type { DemoContext, DemoInstance, DemoModule } from '../demoApi';
import { GridView, Timing, button, el, formatNumber, readTheme, select, slider, type GridCell } from '../ui';
import { errorMessage } from '../../../core/errors';

interface State extends TransposedConvParams {
  readonly input: InputKind;
  readonly kernel: KernelKind;
  readonly seed: number;
  readonly layers: number;
}

const DEFAULT_STATE: State = { ...TRANSPOSED_CONV_PRESETS[0].params, input: 'gradient', kernel: 'ones', seed: 1, layers: 2 };

function restore(saved: unknown): State {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_STATE;
  const s = { ...DEFAULT_STATE, ...(saved as Partial<State>) };
  const inputs: InputKind[] = ['impulse', 'ones', 'gradient', 'checker', 'random'];
  const kernels: KernelKind[] = ['ones', 'bilinear', 'random'];
  if (!inputs.includes(s.input) || !kernels.includes(s.kernel) || !Number.isInteger(s.seed) || !Number.isInteger(s.layers) || s.layers < 1 || s.layers > 3) return DEFAULT_STATE;
  return validateTransposedConvParams(s) === undefined ? s : DEFAULT_STATE;
}

/** Up to 64 (the size the issue's frame budget is about); numbers show in cells while they fit. */
const SLIDER_MAX_I = TRANSPOSED_CONV_LIMITS.i[1];

export const demo: DemoModule = {
  id: 'transposed-conv',
  async mount(ctx: DemoContext): Promise<DemoInstance> {
    const { tf } = ctx;
    let state = restore(ctx.initialState);
    let result: TransposedConvStepResult | undefined;
    let kernelValues = makeKernel(state.kernel, state.k, state.s, state.seed);
    let inputValues = makeInput(state.input, state.i, state.seed);
    let disposed = false;
    let paused = false;
    let busy = false;
    let dirty = false;
    const timing = new Timing();
    let theme = readTheme();

    // ---- Controls -------------------------------------------------------------------------
    const presets = el('div', { class: 'demo-presets', role: 'group', 'aria-label': 'Presets' });
    for (const preset of TRANSPOSED_CONV_PRESETS) {
      presets.append(button(preset.name, () => setParams({ ...preset.params, i: Math.min(state.i, SLIDER_MAX_I) })));
    }
    const sI = slider('input size i', 1, SLIDER_MAX_I, 1, state.i, (v) => setParams({ i: v }));
    sI.input.dataset.demoPrimary = '';
    const sK = slider('kernel k', 1, TRANSPOSED_CONV_LIMITS.k[1], 1, state.k, (v) => setParams({ k: v }));
    const sS = slider('stride s', 1, TRANSPOSED_CONV_LIMITS.s[1], 1, state.s, (v) => setParams({ s: v }));
    const sP = slider('padding p', 0, Math.max(0, state.k - 1), 1, state.p, (v) => setParams({ p: v }));
    const sA = slider('output padding a', 0, Math.max(0, state.s - 1), 1, state.a, (v) => setParams({ a: v }));
    const inputSel = select<InputKind>('input', [['gradient', 'gradient'], ['ones', 'all ones'], ['impulse', 'single impulse'], ['checker', 'checkerboard'], ['random', 'random']], state.input, (v) => setParams({ input: v }));
    const kernelSel = select<KernelKind>('kernel', [['ones', 'all ones'], ['bilinear', 'bilinear (FCN upsample_filt)'], ['random', 'random']], state.kernel, (v) => setParams({ kernel: v }));
    const sL = slider('stacked layers', 1, 3, 1, state.layers, (v) => setParams({ layers: v }));
    const reseed = button('New random values', () => setParams({ seed: (state.seed % 100000) + 1 }));
    const controls = el('section', { class: 'demo-controls', 'aria-label': 'Parameters' }, presets, sI.root, sK.root, sS.root, sP.root, sA.root, inputSel.root, kernelSel.root, sL.root, reseed);

    const formula = el('p', { class: 'demo-live-formula', 'aria-live': 'polite' });
    const problem = el('p', { class: 'demo-error', role: 'alert' });
    problem.hidden = true;
    const readout = el('div', { class: 'demo-readout', 'aria-live': 'polite' }, 'Point at a cell (or focus a grid and use the arrow keys) to see its numbers.');

    // ---- Views -----------------------------------------------------------------------------
    let inputCursor: GridCell | undefined;
    let outputCursor: GridCell | undefined;
    const inputView = new GridView({ label: 'Input (i × i): pick a cell to see where it paints', maxSize: 200, onCursor: (c) => { inputCursor = c; outputCursor = undefined; redraw(); explainInput(c); } });
    const kernelView = new GridView({ label: 'Kernel (k × k)', maxSize: 160, onCursor: (c) => explainKernel(c) });
    const outputView = new GridView({ label: 'Scatter view: conv2dTranspose output (o × o)', maxSize: 360, onCursor: (c) => { outputCursor = c; inputCursor = undefined; redraw(); explainOutput(c); } });
    const stretchedView = new GridView({ label: 'Direct view: zero-stretched, padded input; flipped kernel slides with stride 1', maxSize: 360, onCursor: (c) => explainStretched(c) });
    const overlapView = new GridView({ label: 'Overlap counts: kernel taps landing on each output cell', maxSize: 300, onCursor: (c) => explainOverlap(c) });
    const stackedView = new GridView({ label: 'Stacked layers: overlap ÷ mean', maxSize: 300 });
    const resizeView = new GridView({ label: 'Fix: nearest resize ×s, then k × k conv — overlap counts', maxSize: 300 });
    const paint = button('▶ Paint step by step', () => void playScatter());
    const stackedInfo = el('p', { class: 'demo-note' });
    const compareInfo = el('p', { class: 'demo-note' });
    const overlapInfo = el('p', { class: 'demo-note' });

    ctx.root.append(
      controls,
      formula,
      problem,
      el('div', { class: 'demo-views' },
        el('div', { class: 'demo-view-group' }, el('h2', {}, '1 · Scatter'), inputView.root, kernelView.root, outputView.root, paint),
        el('div', { class: 'demo-view-group' }, el('h2', {}, '2 · Zero-stretched direct convolution'), stretchedView.root),
        el('div', { class: 'demo-view-group' }, el('h2', {}, '3 · Overlap and checkerboards'), overlapView.root, overlapInfo, stackedView.root, stackedInfo, resizeView.root, compareInfo),
      ),
      readout,
    );

    function params(): TransposedConvParams {
      return { i: state.i, k: state.k, s: state.s, p: state.p, a: state.a };
    }

    function setParams(change: Partial<State>): void {
      let next: State = { ...state, ...change };
      // Keep the controls inside the valid region instead of showing garbage: p < k, a < s.
      next = { ...next, p: Math.min(next.p, next.k - 1), a: Math.min(next.a, next.s - 1) };
      state = next;
      sI.value = state.i; sK.value = state.k; sS.value = state.s; sL.value = state.layers;
      sP.setRange(0, state.k - 1); sP.value = state.p;
      sA.setRange(0, state.s - 1); sA.value = state.a;
      inputSel.input.value = state.input; kernelSel.input.value = state.kernel;
      kernelValues = makeKernel(state.kernel, state.k, state.s, state.seed);
      inputValues = makeInput(state.input, state.i, state.seed);
      ctx.saveState(state);
      schedule();
    }

    function schedule(): void {
      if (busy) { dirty = true; return; }
      void update();
    }

    async function update(): Promise<void> {
      if (disposed) return;
      busy = true;
      dirty = false;
      const p = params();
      const invalid = validateTransposedConvParams(p);
      const o = transposedConvOutputSize(p);
      formula.textContent = `o = s(i−1) + a + k − 2p = ${p.s}·(${p.i}−1) + ${p.a} + ${p.k} − 2·${p.p} = ${o}` + (invalid ? '' : `   (×${formatNumber(o / p.i)} upsampling)`);
      problem.hidden = !invalid;
      problem.textContent = invalid ?? '';
      if (invalid) { busy = false; return; }
      try {
        const started = performance.now();
        result = await transposedConvStep(tf, inputValues, kernelValues, p);
        const ms = timing.add(performance.now() - started);
        ctx.reportStats({ msPerUpdate: ms });
        await drawExtras(p);
        redraw();
        const overlap = summarizeOverlap(p);
        overlapInfo.textContent = overlapSentence(p, overlap);
        ctx.reportReady({
          inputSize: p.i, kernel: p.k, stride: p.s, padding: p.p, outputPadding: p.a,
          outputSize: result.o, factor: result.o / p.i,
          checkerboard: overlap.checkerboard, hasInterior: overlap.hasInterior, overlapMin: overlap.interiorMin, overlapMax: overlap.interiorMax,
          viewsAgree: result.maxViewDifference < 1e-3, maxViewDifference: result.maxViewDifference,
          msPerUpdate: Number(ms.toFixed(2)),
        });
      } catch (err) {
        problem.hidden = false;
        problem.textContent = `Computation failed: ${errorMessage(err)}`;
      } finally {
        busy = false;
        if (dirty) schedule();
      }
    }

    /** Stacked layers and the resize-conv fix: separate tensors, one readback each. */
    async function drawExtras(p: TransposedConvParams): Promise<void> {
      const sizes = stackedOutputSizes(p, state.layers);
      const stacked = stackedOverlap(tf, p, state.layers);
      if (stacked) {
        const v = (await stacked.data()) as Float32Array;
        const n = stacked.shape[0];
        stacked.dispose();
        stackedView.draw({ rows: n, cols: n, values: v, numbers: false });
        stackedInfo.textContent = `${state.layers} layer${state.layers > 1 ? 's' : ''}: ${p.i} → ${sizes.join(' → ')}. Normalised overlap spans ${formatNumber(centreSpread(v, n).min)}–${formatNumber(centreSpread(v, n).max)} in the centre.`;
      } else {
        stackedInfo.textContent = `${state.layers} stacked layers would grow the output past ${TRANSPOSED_CONV_LIMITS.o} (${sizes.join(' → ')}).`;
      }
      const resized = tf.tidy(() => resizeConv(tf, tf.ones([p.i, p.i]), tf.ones([p.k, p.k]), p));
      const rv = (await resized.data()) as Float32Array;
      const rn = resized.shape[0];
      resized.dispose();
      resizeView.draw({ rows: rn, cols: rn, values: rv, max: p.k * p.k });
      const spread = centreSpread(rv, rn);
      compareInfo.textContent = `Resize-conv: output ${rn} × ${rn}; inner counts ${spread.min === spread.max ? `all ${formatNumber(spread.min)}` : `${formatNumber(spread.min)}–${formatNumber(spread.max)}`} — even, so no checkerboard from overlap.`;
    }

    function footprint(r: number, c: number): GridCell[] {
      const cells: GridCell[] = [];
      for (let u = 0; u < state.k; u++) for (let v = 0; v < state.k; v++) cells.push({ row: r * state.s + u - state.p, col: c * state.s + v - state.p });
      return cells;
    }

    /** (input cell, kernel tap) pairs that land on output cell (y, x). */
    function contributions(y: number, x: number): Array<{ r: number; c: number; u: number; v: number }> {
      const out: Array<{ r: number; c: number; u: number; v: number }> = [];
      for (let u = 0; u < state.k; u++) {
        const rr = y + state.p - u;
        if (rr < 0 || rr % state.s !== 0 || rr / state.s >= state.i) continue;
        for (let v = 0; v < state.k; v++) {
          const cc = x + state.p - v;
          if (cc < 0 || cc % state.s !== 0 || cc / state.s >= state.i) continue;
          out.push({ r: rr / state.s, c: cc / state.s, u, v });
        }
      }
      return out;
    }

    function redraw(): void {
      if (!result) return;
      const { o } = result;
      theme = readTheme();
      inputView.draw({ rows: state.i, cols: state.i, values: inputValues });
      kernelView.draw({ rows: state.k, cols: state.k, values: kernelValues });
      const outlines: Array<{ cells: GridCell[]; color: string }> = [];
      if (inputCursor) outlines.push({ cells: footprint(inputCursor.row, inputCursor.col), color: theme.positive });
      if (outputCursor) {
        const srcs = contributions(outputCursor.row, outputCursor.col);
        inputView.draw({ rows: state.i, cols: state.i, values: inputValues, outlines: [{ cells: srcs.map(({ r, c }) => ({ row: r, col: c })), color: theme.positive }] });
      }
      outputView.draw({ rows: o, cols: o, values: result.output, outlines });
      const side = result.stretchedSize;
      const q = state.k - 1 - state.p;
      const window: GridCell[] = [];
      if (outputCursor) for (let u = 0; u < state.k; u++) for (let v = 0; v < state.k; v++) window.push({ row: outputCursor.row + u, col: outputCursor.col + v });
      stretchedView.draw({
        rows: side, cols: side, values: result.stretched,
        outlines: [{ cells: window, color: theme.positive }],
        dimmed: (r, c) => !isInputPosition(r - q, c - q),
      });
      overlapView.draw({ rows: o, cols: o, values: result.overlap, outlines: outputCursor ? [{ cells: [outputCursor], color: theme.positive }] : [] });
    }

    function isInputPosition(y: number, x: number): boolean {
      return y >= 0 && x >= 0 && y % state.s === 0 && x % state.s === 0 && y / state.s < state.i && x / state.s < state.i;
    }

    function explainInput(c: GridCell | undefined): void {
      if (!c) return;
      const v = inputValues[c.row * state.i + c.col];
      const top = c.row * state.s - state.p, left = c.col * state.s - state.p;
      readout.textContent = `input[${c.row}][${c.col}] = ${formatNumber(v)} paints ${formatNumber(v)} × kernel onto output rows ${top}…${top + state.k - 1}, columns ${left}…${left + state.k - 1} (s·r − p = ${state.s}·${c.row} − ${state.p}); parts outside 0…${(result?.o ?? 1) - 1} are cut off by the padding.`;
    }

    function explainKernel(c: GridCell | undefined): void {
      if (!c) return;
      readout.textContent = `kernel[${c.row}][${c.col}] = ${formatNumber(kernelValues[c.row * state.k + c.col])} (tfjs filter layout [kh, kw, outC, inC] = [${state.k}, ${state.k}, 1, 1]).`;
    }

    function explainOutput(c: GridCell | undefined): void {
      if (!c || !result) return;
      const value = result.output[c.row * result.o + c.col];
      const parts = contributions(c.row, c.col);
      const terms = parts.map(({ r, c: cc, u, v }) => `in[${r}][${cc}]·K[${u}][${v}] = ${formatNumber(inputValues[r * state.i + cc])}·${formatNumber(kernelValues[u * state.k + v])}`);
      const sum = parts.reduce((acc, { r, c: cc, u, v }) => acc + inputValues[r * state.i + cc] * kernelValues[u * state.k + v], 0);
      readout.textContent = `output[${c.row}][${c.col}] = ${formatNumber(value)} (conv2dTranspose) = ${formatNumber(result.direct[c.row * result.o + c.col])} (direct conv). ${parts.length} contribution${parts.length === 1 ? '' : 's'}: ${terms.join(' + ') || 'none'} = ${formatNumber(sum)}.`;
    }

    function explainStretched(c: GridCell | undefined): void {
      if (!c || !result) return;
      const q = state.k - 1 - state.p;
      const y = c.row - q, x = c.col - q;
      const v = result.stretched[c.row * result.stretchedSize + c.col];
      readout.textContent = isInputPosition(y, x)
        ? `stretched[${c.row}][${c.col}] = input[${y / state.s}][${x / state.s}] = ${formatNumber(v)}`
        : `stretched[${c.row}][${c.col}] = 0: ${y < 0 || x < 0 || y > (state.i - 1) * state.s || x > (state.i - 1) * state.s ? `padding (k − 1 − p = ${q} around${state.a ? `, plus a = ${state.a} at the bottom/right` : ''})` : `one of the s − 1 = ${state.s - 1} zeros inserted between inputs`}.`;
    }

    function explainOverlap(c: GridCell | undefined): void {
      if (!c || !result) return;
      const n = result.overlap[c.row * result.o + c.col];
      readout.textContent = `output[${c.row}][${c.col}] receives ${formatNumber(n)} kernel tap${n === 1 ? '' : 's'} (${contributions(c.row, c.col).length} counted by hand).`;
    }

    /** Replays the scatter: the output after the first n input cells, each frame a real conv2dTranspose. */
    let playing = false;
    async function playScatter(): Promise<void> {
      if (playing || !result) { playing = false; return; }
      playing = true;
      paint.textContent = '■ Stop';
      const p = params();
      const total = p.i * p.i;
      const perFrame = Math.max(1, Math.ceil(total / 48));
      try {
        for (let n = 1; n <= total && playing && !disposed; n += perFrame) {
          while (paused && playing && !disposed) await new Promise((r) => setTimeout(r, 200));
          const count = Math.min(total, n);
          const partial = tf.tidy(() => {
            const mask = tf.tensor2d(Float32Array.from({ length: total }, (_, j) => (j < count ? 1 : 0)), [p.i, p.i]);
            return transposedConv(tf, tf.mul(tf.tensor2d(inputValues, [p.i, p.i]), mask) as typeof mask, tf.tensor2d(kernelValues, [p.k, p.k]), p);
          });
          const values = (await partial.data()) as Float32Array;
          partial.dispose();
          const last = { row: Math.floor((count - 1) / p.i), col: (count - 1) % p.i };
          outputView.draw({ rows: result.o, cols: result.o, values, max: maxAbs(result.output), outlines: [{ cells: footprint(last.row, last.col), color: theme.positive }] });
          readout.textContent = `Painted ${count} of ${total} input cells; the last one, input[${last.row}][${last.col}], added its scaled kernel inside the outlined square.`;
          await new Promise((r) => requestAnimationFrame(() => r(undefined)));
        }
      } finally {
        playing = false;
        paint.textContent = '▶ Paint step by step';
        redraw();
      }
    }

    // The notes ask "how do we get 2x and 8x?": answer from sizes tfjs actually produced.
    async function offerUpsamplingAnswer(): Promise<void> {
      const i = 8;
      const shapes: number[] = [];
      for (const preset of TRANSPOSED_CONV_PRESETS.slice(0, 2)) {
        const y = tf.tidy(() => transposedConv(tf, tf.ones([i, i]), tf.ones([preset.params.k, preset.params.k]), { ...preset.params, i }));
        shapes.push(y.shape[0]);
        y.dispose();
      }
      const formulaSizes = TRANSPOSED_CONV_PRESETS.slice(0, 2).map((pr) => transposedConvOutputSize({ ...pr.params, i }));
      if (shapes.every((s, j) => s === formulaSizes[j])) {
        ctx.offerAnswer(`${upsamplingAnswer(i)} (Checked with tf.conv2dTranspose: ${i}×${i} → ${shapes[0]}×${shapes[0]} and ${i}×${i} → ${shapes[1]}×${shapes[1]}.)`);
      }
    }

    const onTheme = new MutationObserver(() => { for (const v of [inputView, kernelView, outputView, stretchedView, overlapView, stackedView, resizeView]) v.refreshTheme(); });
    onTheme.observe(document.body, { attributes: true, attributeFilter: ['class'] });

    // Warm-up: the first run compiles the WebGL shaders (seconds on a software renderer); keep it
    // out of the ms-per-update figure.
    await transposedConvStep(tf, inputValues, kernelValues, params());
    setParams({});
    await offerUpsamplingAnswer();

    return {
      pause() { paused = true; },
      resume() { paused = false; },
      dispose() {
        disposed = true;
        playing = false;
        onTheme.disconnect();
        ctx.root.replaceChildren();
      },
    };
  },
};

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < values.length; j++) m = Math.max(m, Math.abs(values[j]));
  return m;
}

/** Min and max over the central half of an n × n map (away from border effects). */
function centreSpread(values: ArrayLike<number>, n: number): { min: number; max: number } {
  let min = Infinity, max = -Infinity;
  const lo = Math.floor(n / 4), hi = Math.max(lo + 1, Math.ceil((3 * n) / 4));
  for (let y = lo; y < hi; y++) for (let x = lo; x < hi; x++) { min = Math.min(min, values[y * n + x]); max = Math.max(max, values[y * n + x]); }
  return { min, max };
}
