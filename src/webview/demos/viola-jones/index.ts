/**
 * Viola–Jones, lecture 10: draw on a small image (or take a window of the generated face set),
 * see its integral image from tf.cumsum, pick any rectangle and watch its sum come from four
 * lookups D − B − C + A (checked against tf.sum of the pixels), pick a two-, three- or
 * four-rectangle Haar feature and see its 6, 8 or 9 corner lookups. Then AdaBoost, round by
 * round, on 120 generated windows: the feature values of all windows × all features are one
 * tensor product; each round shows the chosen stump (feature, θ, polarity), ε, α and the weights,
 * the misclassified windows' weights growing.
 */
import {
  HAAR_KINDS,
  HAAR_LABELS,
  adaboostAnswer,
  boostRound,
  describeFeature,
  enumerateFeatures,
  featureMatrix,
  haarLookups,
  haarRects,
  haarSize,
  haarValue,
  integralImageWithCheck,
  makeFaceSet,
  rectSum,
  uniformWeights,
  type BoostRound,
  type FaceSet,
  type HaarFeature,
  type HaarKind,
  type Rect,
} from '../../../core/demos/violaJones';
import type { DemoContext, DemoInstance, DemoModule } from '../demoApi';
import { context2d, GridView, Timing, UpdateQueue, button, el, formatNumber, inputDrivenInstance, readTheme, select, slider, type GridCell, type Slider } from '../ui';
import { errorMessage } from '../../../core/errors';

const N = 8;
const SET_SIZE = 120;

type ImageKind = 'face' | 'non-face' | 'ones' | 'blank';

interface State {
  readonly image: ImageKind;
  readonly rect: Rect;
  readonly feature: HaarFeature;
  readonly seed: number;
}

const DEFAULT_STATE: State = { image: 'face', rect: { x0: 2, y0: 2, x1: 5, y1: 4 }, feature: { kind: 'two-v', x: 1, y: 2, cw: 6, ch: 2 }, seed: 7 };

function restore(saved: unknown): State {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_STATE;
  const s = { ...DEFAULT_STATE, ...(saved as Partial<State>) };
  const inRange = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) < N;
  const r = s.rect;
  const f = s.feature;
  const ok =
    ['face', 'non-face', 'ones', 'blank'].includes(s.image) && Number.isInteger(s.seed) &&
    r && [r.x0, r.y0, r.x1, r.y1].every(inRange) && r.x0 <= r.x1 && r.y0 <= r.y1 &&
    f && HAAR_KINDS.includes(f.kind) && inRange(f.x) && inRange(f.y) && Number.isInteger(f.cw) && Number.isInteger(f.ch) && f.cw >= 1 && f.ch >= 1 &&
    f.x + haarSize(f).width <= N && f.y + haarSize(f).height <= N;
  return ok ? s : DEFAULT_STATE;
}

function imageOf(kind: ImageKind, set: FaceSet): Float32Array {
  const nn = N * N;
  if (kind === 'face') return set.windows.slice(0, nn);
  if (kind === 'non-face') return set.windows.slice(nn, 2 * nn);
  return new Float32Array(nn).fill(kind === 'ones' ? 1 : 0);
}

export const demo: DemoModule = {
  id: 'viola-jones',
  async mount(ctx: DemoContext): Promise<DemoInstance> {
    const { tf } = ctx;
    let state = restore(ctx.initialState);
    let set = makeFaceSet(state.seed, SET_SIZE, N);
    let image = imageOf(state.image, set);
    let S: Float32Array | undefined;
    let directSum = 0;
    let disposed = false;
    const timing = new Timing();
    const features = enumerateFeatures(N, 1);
    let values: Float32Array | undefined;
    let rounds: BoostRound[] = [];

    // ---- Part 1: integral image -------------------------------------------------------------
    const imageSel = select<ImageKind>('image', [['face', 'a face window of the set'], ['non-face', 'a non-face window'], ['ones', 'all ones'], ['blank', 'blank: draw your own']], state.image, (v) => { image = imageOf(v, set); setState({ image: v }); });
    const rectSliders: Record<keyof Rect, Slider> = {
      x0: slider('rectangle x₀', 0, N - 1, 1, state.rect.x0, (v) => setRect({ x0: v })),
      y0: slider('y₀', 0, N - 1, 1, state.rect.y0, (v) => setRect({ y0: v })),
      x1: slider('x₁', 0, N - 1, 1, state.rect.x1, (v) => setRect({ x1: v })),
      y1: slider('y₁', 0, N - 1, 1, state.rect.y1, (v) => setRect({ y1: v })),
    };
    rectSliders.x0.input.dataset.demoPrimary = '';
    const kindSel = select<HaarKind>('Haar feature', HAAR_KINDS.map((k) => [k, HAAR_LABELS[k]] as const), state.feature.kind, (v) => setFeature({ kind: v }));
    const featureSliders = {
      x: slider('feature x', 0, N - 1, 1, state.feature.x, (v) => setFeature({ x: v })),
      y: slider('y', 0, N - 1, 1, state.feature.y, (v) => setFeature({ y: v })),
      cw: slider('unit width', 1, N, 1, state.feature.cw, (v) => setFeature({ cw: v })),
      ch: slider('unit height', 1, N, 1, state.feature.ch, (v) => setFeature({ ch: v })),
    };
    const imageView = new GridView({ label: 'Image i(x, y): click a cell to brighten it, or focus and type 0–9', maxSize: 250, onCursor: (c) => explainPixel(c) });
    const integralView = new GridView({ label: 'Integral image S(x, y) with the lookups', maxSize: 250, onCursor: (c) => explainIntegral(c) });
    const rectFormula = el('p', { class: 'demo-live-formula', 'aria-live': 'polite' });
    const featureFormula = el('p', { class: 'demo-live-formula', 'aria-live': 'polite' });
    const readout = el('div', { class: 'demo-readout', 'aria-live': 'polite' }, 'Point at a cell (or focus a grid and use the arrow keys) to see how its value is made.');

    imageView.canvas.addEventListener('click', () => {
      const c = imageView.cell;
      if (c) setPixel(c, (image[c.row * N + c.col] + 1) % 10);
    });
    imageView.canvas.addEventListener('keydown', (e) => {
      const c = imageView.cell;
      if (c && /^[0-9]$/.test(e.key)) { e.preventDefault(); setPixel(c, Number(e.key)); }
    });

    // ---- Part 2: AdaBoost ---------------------------------------------------------------------
    const nextRound = button('Next round', () => void addRounds(1));
    const tenRounds = button('+10 rounds', () => void addRounds(10));
    const reset = button('Reset weights', () => { rounds = []; drawBoost(); report(); });
    const newSet = button('New data set', () => { setState({ seed: (state.seed % 1000) + 1 }); void rebuildSet(); });
    const setCanvas = el('canvas', { class: 'demo-grid', role: 'img', 'aria-label': 'The 120 training windows; bar under each: its weight; red frame: misclassified in the last round' });
    const roundTable = el('table', { class: 'demo-table', 'aria-label': 'AdaBoost rounds' });
    const boostNote = el('p', { class: 'demo-note', 'aria-live': 'polite' });

    const problem = el('p', { class: 'demo-error', role: 'alert' });
    problem.hidden = true;
    ctx.root.append(
      el('section', { class: 'demo-controls', 'aria-label': 'Image and rectangle' }, imageSel.root, ...Object.values(rectSliders).map((s) => s.root)),
      el('section', { class: 'demo-controls', 'aria-label': 'Haar feature' }, kindSel.root, ...Object.values(featureSliders).map((s) => s.root)),
      problem,
      rectFormula,
      featureFormula,
      el('div', { class: 'demo-views' },
        el('div', { class: 'demo-view-group' }, el('h2', {}, '1 · Image'), imageView.root),
        el('div', { class: 'demo-view-group' }, el('h2', {}, '2 · Integral image: four lookups per rectangle'), integralView.root),
      ),
      el('h2', {}, '3 · AdaBoost: decision stumps on Haar features'),
      el('p', { class: 'demo-note' }, `${SET_SIZE} generated 8×8 windows (even: faces — dark eyes over bright cheeks; odd: noise, gradients, stripes, blobs), ${features.length} Haar features. h(x) = polarity if f(x) ≥ θ, else −polarity. Weights start at 1/N.`),
      el('div', { class: 'demo-buttons' }, nextRound, tenRounds, reset, newSet),
      boostNote,
      el('div', { class: 'demo-views' }, el('div', { class: 'demo-view-group' }, setCanvas), el('div', { class: 'demo-view-group demo-scroll' }, roundTable)),
      readout,
    );

    function setRect(change: Partial<Rect>): void {
      let r = { ...state.rect, ...change };
      // Keep x0 ≤ x1 and y0 ≤ y1: the moved edge pushes the other one.
      if (change.x0 !== undefined && r.x1 < r.x0) r = { ...r, x1: r.x0 };
      if (change.x1 !== undefined && r.x0 > r.x1) r = { ...r, x0: r.x1 };
      if (change.y0 !== undefined && r.y1 < r.y0) r = { ...r, y1: r.y0 };
      if (change.y1 !== undefined && r.y0 > r.y1) r = { ...r, y0: r.y1 };
      setState({ rect: r });
    }

    function setFeature(change: Partial<HaarFeature>): void {
      let f = { ...state.feature, ...change };
      const { width, height } = haarSize({ ...f, cw: 1, ch: 1 });
      // Fit the feature into the window: shrink the unit, then move it.
      f = { ...f, cw: Math.min(f.cw, Math.floor(N / width)), ch: Math.min(f.ch, Math.floor(N / height)) };
      const size = haarSize(f);
      f = { ...f, x: Math.min(f.x, N - size.width), y: Math.min(f.y, N - size.height) };
      setState({ feature: f });
    }

    function setPixel(c: GridCell, v: number): void {
      image = Float32Array.from(image);
      image[c.row * N + c.col] = v;
      queue.request();
      explainPixel(c);
    }

    function setState(change: Partial<State>): void {
      state = { ...state, ...change };
      imageSel.input.value = state.image;
      for (const key of ['x0', 'y0', 'x1', 'y1'] as const) rectSliders[key].value = state.rect[key];
      kindSel.input.value = state.feature.kind;
      for (const key of ['x', 'y', 'cw', 'ch'] as const) featureSliders[key].value = state.feature[key];
      ctx.saveState(state);
      queue.request();
    }

    const queue = new UpdateQueue(async () => {
      if (disposed) return;
      try {
        const started = performance.now();
        ({ S, directSum } = await integralImageWithCheck(tf, image, N, N, state.rect));
        ctx.reportStats({ msPerUpdate: timing.add(performance.now() - started) });
        drawIntegral();
        report();
      } catch (err) {
        problem.hidden = false;
        problem.textContent = `Computation failed: ${errorMessage(err)}`;
      }
    });

    function lookupColor(name: string): string {
      const theme = readTheme();
      return name === 'D' || name === '+' ? theme.positive : name === 'A' ? theme.accent : theme.negative;
    }

    function drawIntegral(): void {
      if (!S) return;
      const theme = readTheme();
      const { sum, lookups } = rectSum(S, N, state.rect);
      const rectCells: GridCell[] = [];
      for (let y = state.rect.y0; y <= state.rect.y1; y++) for (let x = state.rect.x0; x <= state.rect.x1; x++) rectCells.push({ row: y, col: x });
      const featureRects = haarRects(state.feature);
      const cellsOf = (r: Rect): GridCell[] => { const out: GridCell[] = []; for (let y = r.y0; y <= r.y1; y++) for (let x = r.x0; x <= r.x1; x++) out.push({ row: y, col: x }); return out; };
      imageView.draw({
        rows: N, cols: N, values: image, max: 9,
        outlines: [
          { cells: rectCells, color: theme.focus, width: 3 },
          ...featureRects.map((r) => ({ cells: cellsOf(r), color: r.sign > 0 ? theme.foreground : theme.warning, width: 1 })),
        ],
      });
      integralView.draw({
        rows: N, cols: N, values: S,
        outlines: lookups.filter((l) => l.row >= 0 && l.col >= 0).map((l) => ({ cells: [{ row: l.row, col: l.col }], color: lookupColor(l.name), width: 3 })),
      });
      const term = (l: (typeof lookups)[number]): string => `${l.name} = S(${l.col}, ${l.row}) = ${l.row < 0 || l.col < 0 ? '0 (outside)' : formatNumber(l.value)}`;
      rectFormula.textContent =
        `Σ i over x ${state.rect.x0}…${state.rect.x1}, y ${state.rect.y0}…${state.rect.y1} = D − B − C + A = ` +
        `${formatNumber(lookups[0].value)} − ${formatNumber(lookups[1].value)} − ${formatNumber(lookups[2].value)} + ${formatNumber(lookups[3].value)} = ${formatNumber(sum)}` +
        `  ${sum === directSum ? '✓' : '✗'} tf.sum of the ${(state.rect.x1 - state.rect.x0 + 1) * (state.rect.y1 - state.rect.y0 + 1)} pixels = ${formatNumber(directSum)}.  (${lookups.map(term).join('; ')})`;
      const corners = haarLookups(state.feature);
      const value = haarValue(S, N, state.feature);
      const white = featureRects.filter((r) => r.sign > 0).reduce((a, r) => a + rectSum(S!, N, r).sum, 0);
      const black = featureRects.filter((r) => r.sign < 0).reduce((a, r) => a + rectSum(S!, N, r).sum, 0);
      featureFormula.textContent =
        `Feature: ${describeFeature(state.feature)} (white outlines minus orange) = ${formatNumber(white)} − ${formatNumber(black)} = ${formatNumber(value)}, from ${corners.length} lookups: ` +
        corners.map((c) => `${c.coefficient > 0 ? '+' : '−'}${Math.abs(c.coefficient) === 1 ? '' : Math.abs(c.coefficient)}S(${c.col}, ${c.row})`).join(' ') + '.';
    }

    function explainPixel(c: GridCell | undefined): void {
      if (!c) return;
      readout.textContent = `i(${c.col}, ${c.row}) = ${formatNumber(image[c.row * N + c.col])} (x = column, y = row). Click or type a digit to change it; the integral image follows.`;
    }

    function explainIntegral(c: GridCell | undefined): void {
      if (!c || !S) return;
      const at = (r: number, cc: number): number => (r < 0 || cc < 0 ? 0 : S![r * N + cc]);
      readout.textContent =
        `S(${c.col}, ${c.row}) = i + S(above) + S(left) − S(above-left) = ${formatNumber(image[c.row * N + c.col])} + ${formatNumber(at(c.row - 1, c.col))} + ${formatNumber(at(c.row, c.col - 1))} − ${formatNumber(at(c.row - 1, c.col - 1))} = ${formatNumber(at(c.row, c.col))}: the sum of the ${(c.row + 1) * (c.col + 1)} pixels up to here.`;
    }

    async function rebuildSet(): Promise<void> {
      set = makeFaceSet(state.seed, SET_SIZE, N);
      if (state.image === 'face' || state.image === 'non-face') image = imageOf(state.image, set);
      values = await featureMatrix(tf, set, features);
      rounds = [];
      await addRounds(2);
      queue.request();
    }

    async function addRounds(n: number): Promise<void> {
      if (!values) return;
      for (let r = 0; r < n; r++) {
        const w = rounds.length > 0 ? rounds[rounds.length - 1].weightsAfter : uniformWeights(SET_SIZE);
        rounds.push(boostRound(values, features.length, set.labels, w, rounds));
      }
      drawBoost();
      report();
      if (rounds.length >= 2) ctx.offerAnswer(adaboostAnswer(rounds, features));
    }

    function drawBoost(): void {
      const theme = readTheme();
      const cols = 15, cell = 26, barH = 14;
      const rows = Math.ceil(SET_SIZE / cols);
      const w = cols * cell, h = rows * (cell + barH);
      const dpr = window.devicePixelRatio || 1;
      setCanvas.style.width = `${w}px`;
      setCanvas.style.height = `${h}px`;
      setCanvas.width = Math.round(w * dpr);
      setCanvas.height = Math.round(h * dpr);
      const g = context2d(setCanvas);
      if (!g) return;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.fillStyle = theme.background;
      g.fillRect(0, 0, w, h);
      const last = rounds[rounds.length - 1];
      const weights = last ? last.weightsAfter : uniformWeights(SET_SIZE);
      const maxW = Math.max(...weights);
      const wrong = new Set(last?.misclassified ?? []);
      const px = (cell - 4) / N;
      for (let j = 0; j < SET_SIZE; j++) {
        const x = (j % cols) * cell, y = Math.floor(j / cols) * (cell + barH);
        for (let r = 0; r < N; r++) for (let c = 0; c < N; c++) {
          const v = Math.round((set.windows[j * N * N + r * N + c] / 9) * 255);
          g.fillStyle = `rgb(${v},${v},${v})`;
          g.fillRect(x + 2 + c * px, y + 2 + r * px, px + 0.5, px + 0.5);
        }
        g.strokeStyle = wrong.has(j) ? theme.negative : set.labels[j] > 0 ? theme.accent : theme.border;
        g.lineWidth = wrong.has(j) ? 2.5 : 1;
        g.strokeRect(x + 1, y + 1, cell - 2, cell - 2);
        g.fillStyle = set.labels[j] > 0 ? theme.accent : theme.warning;
        const bh = Math.max(1, (weights[j] / maxW) * (barH - 2));
        g.fillRect(x + 3, y + cell + barH - 1 - bh, cell - 6, bh);
      }
      if (last) {
        // The chosen feature drawn on the first window.
        const unit = px;
        for (const r of haarRects(features[last.stump.feature])) {
          g.strokeStyle = r.sign > 0 ? theme.positive : theme.negative;
          g.lineWidth = 1.5;
          g.strokeRect(2 + r.x0 * unit, 2 + r.y0 * unit, (r.x1 - r.x0 + 1) * unit, (r.y1 - r.y0 + 1) * unit);
        }
      }
      const head = el('tr', {}, ...['round', 'chosen feature', 'θ', 'polarity', 'ε (weighted error)', 'α = ½ ln((1−ε)/ε)', 'misclassified', 'their weight ×', 'strong classifier error'].map((t) => el('th', { scope: 'col' }, t)));
      const body = rounds.map((r) => {
        const j = r.misclassified[0];
        const grow = j === undefined ? '–' : `×${(r.weightsAfter[j] / r.weightsBefore[j]).toFixed(2)}`;
        return el('tr', {}, el('td', {}, String(r.round)), el('td', {}, describeFeature(features[r.stump.feature])), el('td', {}, formatNumber(r.stump.threshold)), el('td', {}, r.stump.polarity > 0 ? '+1' : '−1'),
          el('td', {}, r.stump.error.toFixed(4)), el('td', {}, r.alpha.toFixed(4)), el('td', {}, String(r.misclassified.length)), el('td', {}, grow), el('td', {}, `${(r.strongError * 100).toFixed(1)}%`));
      });
      roundTable.replaceChildren(el('thead', {}, head), el('tbody', {}, ...body.reverse()));
      boostNote.textContent = last
        ? `Round ${last.round}: ${last.misclassified.length} windows misclassified (red frames) — their weights grow by e^α = ${Math.exp(last.alpha).toFixed(2)} before normalising, the rest shrink by e^−α = ${Math.exp(-last.alpha).toFixed(2)}; under the new weights this stump has error exactly ½, so the next round must pick something else. Bars: weights after the round (blue faces, orange non-faces); the first window shows the chosen feature.`
        : 'No round yet: all weights are 1/N.';
    }

    function report(): void {
      if (!S) return;
      const { sum } = rectSum(S, N, state.rect);
      const last = rounds[rounds.length - 1];
      const grew = last ? last.misclassified.every((j) => last.weightsAfter[j] > last.weightsBefore[j]) : false;
      ctx.reportReady({
        rectSum: sum,
        tfRectSum: directSum,
        sumsAgree: sum === directSum,
        featureKind: state.feature.kind,
        featureValue: haarValue(S, N, state.feature),
        featureLookups: haarLookups(state.feature).length,
        features: features.length,
        rounds: rounds.length,
        lastError: last ? Number(last.stump.error.toFixed(4)) : 0,
        lastAlpha: last ? Number(last.alpha.toFixed(4)) : 0,
        strongError: last ? Number(last.strongError.toFixed(4)) : 1,
        misclassifiedWeightsGrew: grew,
        msPerUpdate: Number(timing.median.toFixed(2)),
      });
    }

    // Warm-up (shader compilation) outside the ms-per-update figure, then the set and two rounds.
    await integralImageWithCheck(tf, image, N, N, state.rect);
    await rebuildSet();
    setState({});
    return inputDrivenInstance(ctx.root, () => { imageView.refreshTheme(); integralView.refreshTheme(); drawIntegral(); drawBoost(); }, () => { disposed = true; });
  },
};

