/**
 * Convolution arithmetic and the receptive field: a stack of up to four conv / max-pool / avg-pool
 * layers with i, k, s, p, d controls, run through the real tf.conv2d / maxPool / avgPool. The
 * table puts o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1 with the student's numbers next to the shape
 * tfjs returned; the receptive field of the chosen output pixel (click it, or arrow keys) is drawn
 * on the input from tf.grad — gaps of dilation and the centre-heavy path counts included.
 * Invalid stacks are refused with the reason, like CNN Explainer's hyper-parameter widget.
 */
import {
  CONV_LIMITS,
  CONV_PRESETS,
  droppedByStride,
  effectiveKernel,
  layerSizes,
  receptiveFields,
  receptiveInterval,
  runConvStack,
  sampleImage,
  sampleKernel,
  samePadding,
  validateStack,
  type ConvLayer,
  type ConvLayerKind,
  type ConvStackResult,
} from '../../../core/demos/convArithmetic';
import type { DemoContext, DemoInstance, DemoModule } from '../demoApi';
import { GridView, Timing, button, el, formatNumber, inputDrivenInstance, readTheme, select, slider, UpdateQueue, type GridCell, type Slider } from '../ui';
import { errorMessage } from '../../../core/errors';

interface State {
  readonly i: number;
  readonly layers: readonly ConvLayer[];
  readonly target: GridCell;
}

const DEFAULT_STATE: State = { i: CONV_PRESETS[1].i, layers: CONV_PRESETS[1].layers, target: { row: 2, col: 2 } };

function restore(saved: unknown): State {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_STATE;
  const s = saved as Partial<State>;
  if (typeof s.i !== 'number' || !Array.isArray(s.layers) || !s.layers.every((l) => typeof l === 'object' && l !== null && ['conv', 'max', 'avg'].includes((l as ConvLayer).kind))) return DEFAULT_STATE;
  const target = s.target && Number.isInteger(s.target.row) && Number.isInteger(s.target.col) ? s.target : DEFAULT_STATE.target;
  return validateStack(s.i, s.layers) === undefined ? { i: s.i, layers: s.layers, target } : DEFAULT_STATE;
}

const KIND_LABEL: Record<ConvLayerKind, string> = { conv: 'convolution', max: 'max-pool', avg: 'average-pool' };

interface LayerControls {
  readonly root: HTMLFieldSetElement;
  readonly kind: { root: HTMLElement; input: HTMLSelectElement };
  readonly k: Slider;
  readonly s: Slider;
  readonly p: Slider;
  readonly d: Slider;
}

export const demo: DemoModule = {
  id: 'conv-arithmetic',
  async mount(ctx: DemoContext): Promise<DemoInstance> {
    const { tf } = ctx;
    let state = restore(ctx.initialState);
    let result: ConvStackResult | undefined;
    let disposed = false;
    const timing = new Timing();

    // ---- Controls -------------------------------------------------------------------------
    const presets = el('div', { class: 'demo-presets', role: 'group', 'aria-label': 'Presets' });
    for (const preset of CONV_PRESETS) presets.append(button(preset.name, () => setState({ i: preset.i, layers: preset.layers })));
    presets.append(
      button('"same" padding', () => setState({ layers: state.layers.map((l) => (l.kind === 'conv' ? { ...l, p: samePadding(l) } : l)) }), { title: 'p = ⌊d(k−1)/2⌋ on every convolution: stride-1 layers keep the size' }),
      button('"valid" (no padding)', () => setState({ layers: state.layers.map((l) => ({ ...l, p: 0 })) }), { title: 'p = 0: every layer shrinks by k_eff − 1' }),
    );
    const sI = slider('input size i', CONV_LIMITS.i[0], CONV_LIMITS.i[1], 1, state.i, (v) => setState({ i: v }));
    sI.input.dataset.demoPrimary = '';
    const sL = slider('layers', 1, CONV_LIMITS.layers, 1, state.layers.length, (v) => setLayerCount(v));
    const layerControls: LayerControls[] = [];
    for (let l = 0; l < CONV_LIMITS.layers; l++) {
      const change = (key: keyof ConvLayer) => (v: number | string) => setLayer(l, { [key]: v } as Partial<ConvLayer>);
      const kind = select<ConvLayerKind>('type', [['conv', 'convolution'], ['max', 'max-pool'], ['avg', 'average-pool']], 'conv', (v) => setLayer(l, v === 'conv' ? { kind: v } : { kind: v, p: 0, d: 1 }));
      const k = slider('kernel k', CONV_LIMITS.k[0], CONV_LIMITS.k[1], 1, 3, change('k'));
      const s = slider('stride s', CONV_LIMITS.s[0], CONV_LIMITS.s[1], 1, 1, change('s'));
      const p = slider('padding p', CONV_LIMITS.p[0], CONV_LIMITS.p[1], 1, 0, change('p'));
      const d = slider('dilation d', CONV_LIMITS.d[0], CONV_LIMITS.d[1], 1, 1, change('d'));
      const root = el('fieldset', { class: 'demo-fieldset' }, el('legend', {}, `Layer ${l + 1}`), kind.root, k.root, s.root, p.root, d.root);
      layerControls.push({ root, kind, k, s, p, d });
    }
    const controls = el('section', { class: 'demo-controls', 'aria-label': 'Parameters' }, presets, sI.root, sL.root, ...layerControls.map((c) => c.root));

    const problem = el('p', { class: 'demo-error', role: 'alert' });
    problem.hidden = true;
    const table = el('table', { class: 'demo-table', 'aria-label': 'Sizes per layer' });
    const fieldNote = el('p', { class: 'demo-live-formula', 'aria-live': 'polite' });
    const readout = el('div', { class: 'demo-readout', 'aria-live': 'polite' }, 'Pick an output pixel of the last layer (click, or focus it and use the arrow keys) to see its receptive field on the input.');

    // ---- Views -----------------------------------------------------------------------------
    const inputView = new GridView({ label: 'Input (i × i) with the receptive field of the chosen output pixel', maxSize: 330, onCursor: (c) => explainInput(c) });
    const pathsView = new GridView({ label: 'Paths from each input pixel to the chosen output (∂ output / ∂ input with all-ones kernels)', maxSize: 330, onCursor: (c) => explainPaths(c) });
    const outputViews = layerControls.map((_, l) => new GridView({
      label: `Layer ${l + 1} output`,
      maxSize: 240,
      onCursor: (c) => {
        if (c && l === state.layers.length - 1) setState({ target: c });
        else if (c) explainOutput(l, c);
      },
    }));
    const outputGroup = el('div', { class: 'demo-view-group' }, el('h2', {}, '3 · Each layer’s output (the last one: pick the pixel)'), ...outputViews.map((v) => v.root));
    ctx.root.append(
      controls,
      problem,
      table,
      fieldNote,
      el('div', { class: 'demo-views' },
        el('div', { class: 'demo-view-group' }, el('h2', {}, '1 · Input and receptive field'), inputView.root),
        el('div', { class: 'demo-view-group' }, el('h2', {}, '2 · How often each input pixel is used'), pathsView.root),
        outputGroup,
      ),
      readout,
    );

    function setLayerCount(n: number): void {
      const layers = [...state.layers];
      while (layers.length < n) layers.push({ kind: 'conv', k: 3, s: 1, p: 0, d: 1 });
      setState({ layers: layers.slice(0, n) });
    }

    function setLayer(l: number, change: Partial<ConvLayer>): void {
      setState({ layers: state.layers.map((layer, j) => (j === l ? { ...layer, ...change } : layer)) });
    }

    function setState(change: Partial<State>): void {
      state = { ...state, ...change };
      // Pooling has no padding or dilation here; keep the sliders honest.
      state = { ...state, layers: state.layers.map((l) => (l.kind === 'conv' ? l : { ...l, p: 0, d: 1 })) };
      const sizes = layerSizes(state.i, state.layers);
      const last = Math.max(1, sizes[sizes.length - 1]);
      if (!change.target) state = { ...state, target: { row: Math.min(state.target.row, last - 1), col: Math.min(state.target.col, last - 1) } };
      if (change.layers || change.i) state = { ...state, target: centreIfOutside(state.target, last) };
      sI.value = state.i;
      sL.value = state.layers.length;
      layerControls.forEach((c, l) => {
        const layer = state.layers[l];
        // A fieldset's CSS display wins over the hidden attribute.
        c.root.style.display = layer ? '' : 'none';
        outputViews[l].root.hidden = !layer;
        if (!layer) return;
        c.kind.input.value = layer.kind;
        c.k.value = layer.k; c.s.value = layer.s; c.p.value = layer.p; c.d.value = layer.d;
        c.p.input.disabled = layer.kind !== 'conv';
        c.d.input.disabled = layer.kind !== 'conv';
      });
      ctx.saveState(state);
      queue.request();
    }

    function centreIfOutside(t: GridCell, last: number): GridCell {
      return t.row < last && t.col < last ? t : { row: Math.floor(last / 2), col: Math.floor(last / 2) };
    }

    const queue = new UpdateQueue(async () => {
      if (disposed) return;
      const invalid = validateStack(state.i, state.layers);
      drawTable(invalid?.layer);
      problem.hidden = !invalid;
      problem.textContent = invalid ? `Invalid: ${invalid.message}.` : '';
      if (invalid) {
        ctx.reportReady({ valid: false, problem: invalid.message, inputSize: state.i, layers: state.layers.length });
        return;
      }
      const kernels = state.layers.map((l) => (l.kind === 'conv' ? sampleKernel(l.k) : undefined));
      try {
        const started = performance.now();
        result = await runConvStack(tf, sampleImage(state.i), state.i, state.layers, kernels, state.target);
        const ms = timing.add(performance.now() - started);
        ctx.reportStats({ msPerUpdate: ms });
        drawTable(undefined);
        redraw();
        const rf = receptiveFields(state.layers);
        const last = rf[rf.length - 1];
        const sizes = result.sizes;
        ctx.reportReady({
          valid: true,
          inputSize: state.i,
          layers: state.layers.length,
          outputSize: sizes[sizes.length - 1],
          tfOutputSize: result.tfSizes[result.tfSizes.length - 1],
          sizesAgree: result.sizes.every((s, j) => s === result!.tfSizes[j]),
          receptiveField: last.size,
          jump: last.jump,
          fieldPixels: result.fieldPixels,
          targetRow: state.target.row,
          targetCol: state.target.col,
          msPerUpdate: Number(ms.toFixed(2)),
        });
      } catch (err) {
        problem.hidden = false;
        problem.textContent = `Computation failed: ${errorMessage(err)}`;
      }
    });

    function drawTable(invalidLayer: number | undefined): void {
      const sizes = layerSizes(state.i, state.layers);
      const rf = receptiveFields(state.layers);
      const head = el('tr', {}, ...['layer', 'k', 's', 'p', 'd', 'k_eff', 'o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1', 'tfjs shape', 'receptive field r', 'jump ∏s'].map((h) => el('th', { scope: 'col' }, h)));
      const rows = state.layers.map((l, j) => {
        const i = sizes[j];
        const o = sizes[j + 1];
        const formula = `⌊(${i} + 2·${l.p} − ${l.d}·(${l.k}−1) − 1)/${l.s}⌋ + 1 = ${o}`;
        const dropped = droppedByStride(i, l);
        const tfSize = result && result.tfSizes.length === sizes.length && invalidLayer === undefined ? result.tfSizes[j + 1] : undefined;
        const tr = el('tr', {},
          el('th', { scope: 'row' }, `${j + 1} ${KIND_LABEL[l.kind]}`),
          el('td', {}, String(l.k)), el('td', {}, String(l.s)), el('td', {}, String(l.p)), el('td', {}, String(l.d)),
          el('td', {}, String(effectiveKernel(l))),
          el('td', {}, formula + (dropped > 0 ? ` (the floor drops ${dropped} row${dropped > 1 ? 's' : ''}/column${dropped > 1 ? 's' : ''})` : '')),
          el('td', { class: tfSize !== undefined && tfSize !== o ? 'demo-bad' : '' }, tfSize === undefined ? '–' : `${tfSize} × ${tfSize}${tfSize === o ? ' ✓' : ' ✗'}`),
          el('td', {}, `${rf[j].size} × ${rf[j].size}`),
          el('td', {}, String(rf[j].jump)),
        );
        if (invalidLayer === j) tr.className = 'demo-bad';
        return tr;
      });
      table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
    }

    function fieldCells(): GridCell[] {
      if (!result) return [];
      const cells: GridCell[] = [];
      for (let r = 0; r < state.i; r++) for (let c = 0; c < state.i; c++) if (result.paths[r * state.i + c] > 0) cells.push({ row: r, col: c });
      return cells;
    }

    function redraw(): void {
      if (!result) return;
      const theme = readTheme();
      const { i } = state;
      const [rLo, rHi] = receptiveInterval(state.layers, state.target.row);
      const [cLo, cHi] = receptiveInterval(state.layers, state.target.col);
      const box: GridCell[] = [];
      for (let r = Math.max(0, rLo); r <= Math.min(i - 1, rHi); r++) for (let c = Math.max(0, cLo); c <= Math.min(i - 1, cHi); c++) box.push({ row: r, col: c });
      inputView.draw({ rows: i, cols: i, values: sampleImage(i), outlines: [{ cells: box, color: theme.muted, width: 1 }, { cells: fieldCells(), color: theme.positive }] });
      pathsView.draw({ rows: i, cols: i, values: result.paths, outlines: [{ cells: box, color: theme.muted, width: 1 }] });
      result.outputs.forEach((values, l) => {
        const n = result!.tfSizes[l + 1];
        const isLast = l === result!.outputs.length - 1;
        outputViews[l].draw({ rows: n, cols: n, values, outlines: isLast ? [{ cells: [state.target], color: theme.positive, width: 3 }] : [] });
      });
      const rf = receptiveFields(state.layers);
      const last = rf[rf.length - 1];
      const clipped = rLo < 0 || cLo < 0 || rHi >= i || cHi >= i;
      fieldNote.textContent =
        `Output pixel (${state.target.row}, ${state.target.col}) of layer ${state.layers.length} sees input rows ${rLo}…${rHi}, columns ${cLo}…${cHi}: ` +
        `r = ${last.size} (r_l = r_{l−1} + (k_eff − 1)·∏s: ${rf.map((x) => x.size).join(' → ')})` +
        `${clipped ? '; the part outside 0…' + (i - 1) + ' is padding' : ''}. ` +
        `${result.fieldPixels} input pixels actually reach it${result.fieldPixels < Math.max(0, Math.min(i - 1, rHi) - Math.max(0, rLo) + 1) * Math.max(0, Math.min(i - 1, cHi) - Math.max(0, cLo) + 1) ? ' — dilation and stride leave gaps inside the field' : ''}.`;
    }

    function explainInput(c: GridCell | undefined): void {
      if (!c || !result) return;
      const v = sampleImage(state.i)[c.row * state.i + c.col];
      const paths = result.paths[c.row * state.i + c.col];
      readout.textContent = `input[${c.row}][${c.col}] = ${formatNumber(v)}; ${paths > 0 ? `inside the receptive field, on ${formatNumber(paths)} path${paths === 1 ? '' : 's'} to the chosen output` : 'outside the receptive field: changing it cannot change the chosen output'}.`;
    }

    function explainPaths(c: GridCell | undefined): void {
      if (!c || !result) return;
      readout.textContent = `∂ output(${state.target.row}, ${state.target.col}) / ∂ input(${c.row}, ${c.col}) with all-ones kernels = ${formatNumber(result.paths[c.row * state.i + c.col])} (pooling counted as a window sum): how many ways this pixel reaches the output.`;
    }

    function explainOutput(l: number, c: GridCell): void {
      if (!result) return;
      const n = result.tfSizes[l + 1];
      const layer = state.layers[l];
      const top = c.row * layer.s - layer.p, left = c.col * layer.s - layer.p;
      const kEff = effectiveKernel(layer);
      readout.textContent = `layer ${l + 1} output[${c.row}][${c.col}] = ${formatNumber(result.outputs[l][c.row * n + c.col])}: ${KIND_LABEL[layer.kind]} of its input rows ${top}…${top + kEff - 1}, columns ${left}…${left + kEff - 1}${layer.d > 1 ? ` (every ${layer.d}nd/th pixel)` : ''} — window start = s·index − p.`;
    }

    // Warm-up: compile the shaders of the default stack outside the ms-per-update figure.
    await runConvStack(tf, sampleImage(state.i), state.i, state.layers, state.layers.map((l) => (l.kind === 'conv' ? sampleKernel(l.k) : undefined)), { row: 0, col: 0 }).catch(() => undefined);
    setState({});
    return inputDrivenInstance(ctx.root, () => { for (const v of [inputView, pathsView, ...outputViews]) v.refreshTheme(); redraw(); }, () => { disposed = true; });
  },
};
