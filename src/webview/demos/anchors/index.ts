/**
 * Anchors: RPN/FPN anchors labelled against ground-truth boxes the learner drags and resizes.
 * IoU of all anchors × all boxes and the labels come from one tensor computation per change
 * (`anchorStep`); then NMS step by step, checked against `tf.image.nonMaxSuppressionAsync`.
 * At IoU exactly equal to the NMS threshold libraries differ (tfjs suppresses, torchvision keeps):
 * the learner picks the rule, and the tfjs check always runs against the '>=' rule tfjs uses.
 * Box sides are continuous (x2 − x1, the notes, tfjs, torchvision) or inclusive pixels (x2 − x1 + 1,
 * py-faster-rcnn): the learner picks that too; the tfjs check always uses continuous sides.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import {
  BOX_CONVENTIONS,
  DEFAULT_RATIOS,
  FPN_SIZE_PER_STRIDE,
  NMS_RULES,
  anchorStep,
  fpnConfig,
  generateAnchors,
  iouHistogram,
  nmsProposals,
  nmsSteps,
  rpnConfig,
  type AnchorConfig,
  type AnchorSet,
  type AnchorStepResult,
  type Box,
  type BoxConvention,
  type NmsRule,
  type NmsStep,
} from '../../../core/demos/anchors';
import type { DemoContext, DemoInstance, DemoModule } from '../demoApi';
import { Timing, button, checkbox, context2d, el, readTheme, select, slider, type Theme } from '../ui';
import { errorMessage } from '../../../core/errors';

const IMAGE = 256;
const SCALE = 1.5;
const MAX_BOXES = 10;
const HANDLE = 7;
const PROPOSALS = 60;

interface State {
  readonly mode: 'fpn' | 'rpn';
  readonly ratios: readonly number[];
  readonly rpnStride: number;
  readonly fpnLevels: readonly string[];
  readonly positive: number;
  readonly negative: number;
  readonly ignoreCrossBorder: boolean;
  readonly boxes: readonly Box[];
  readonly nmsIou: number;
  readonly nmsRule: NmsRule;
  readonly showIgnored: boolean;
  /** How box sides (and so areas and IoU) are measured, in the labels and in NMS. */
  readonly boxConvention: BoxConvention;
}

const BOX_CONVENTION_LABELS: Record<BoxConvention, string> = {
  continuous: 'continuous: side x2 − x1 (the notes, tfjs, torchvision)',
  'pixel+1': 'pixel +1: side x2 − x1 + 1 (py-faster-rcnn, Detectron v1)',
};

const NMS_RULE_LABELS: Record<NmsRule, string> = {
  '>=': 'suppress if IoU ≥ t (tf.image.nonMaxSuppression)',
  '>': 'suppress if IoU > t (torchvision, current TensorFlow C++, the lecture\'s "greater than")',
};

const DEFAULT_STATE: State = {
  mode: 'fpn',
  ratios: DEFAULT_RATIOS,
  rpnStride: 16,
  // P3–P6 by default (4,080 anchors on the 256-px image): the scene's boxes are 40–90 px, so P2's
  // 32-px anchors add 12,288 anchors and ~4× the update time on the CPU backend for no match; one click adds it.
  fpnLevels: ['P3', 'P4', 'P5', 'P6'],
  positive: 0.7,
  negative: 0.3,
  ignoreCrossBorder: false,
  boxes: [
    { y1: 40, x1: 30, y2: 120, x2: 100 },
    { y1: 140, x1: 150, y2: 230, x2: 240 },
    { y1: 30, x1: 160, y2: 70, x2: 240 },
  ],
  nmsIou: 0.5,
  nmsRule: '>',
  showIgnored: true,
  boxConvention: 'continuous',
};

function isBox(b: unknown): b is Box {
  if (typeof b !== 'object' || b === null) return false;
  const r = b as Record<string, unknown>;
  return ['y1', 'x1', 'y2', 'x2'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]) && (r[k] as number) >= -IMAGE && (r[k] as number) <= 2 * IMAGE);
}

function restore(saved: unknown): State {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_STATE;
  const s = { ...DEFAULT_STATE, ...(saved as Partial<State>) };
  const ok =
    (s.mode === 'fpn' || s.mode === 'rpn') &&
    Array.isArray(s.ratios) && s.ratios.every((r) => [0.5, 1, 2].includes(r)) &&
    [8, 16, 32].includes(s.rpnStride) &&
    Array.isArray(s.fpnLevels) && s.fpnLevels.every((l) => ['P2', 'P3', 'P4', 'P5', 'P6'].includes(l)) &&
    typeof s.positive === 'number' && typeof s.negative === 'number' && s.negative <= s.positive &&
    Array.isArray(s.boxes) && s.boxes.length <= MAX_BOXES && s.boxes.every(isBox) &&
    typeof s.nmsIou === 'number' && NMS_RULES.includes(s.nmsRule) &&
    BOX_CONVENTIONS.includes(s.boxConvention);
  return ok ? s : DEFAULT_STATE;
}

function configOf(s: State): AnchorConfig {
  const ratios = s.ratios.length > 0 ? s.ratios : [1];
  return s.mode === 'rpn' ? rpnConfig(IMAGE, s.rpnStride, [32, 64, 128], ratios) : fpnConfig(IMAGE, s.fpnLevels.length > 0 ? [...s.fpnLevels] : ['P4'], ratios);
}

/** Deterministic synthetic scene: three objects on a soft background. */
function drawScene(ctx: CanvasRenderingContext2D, theme: Theme): void {
  const g = ctx.createLinearGradient(0, 0, IMAGE, IMAGE);
  g.addColorStop(0, theme.background);
  g.addColorStop(1, theme.border);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, IMAGE, IMAGE);
  ctx.globalAlpha = 0.55;
  ctx.fillStyle = theme.accent;
  ctx.beginPath();
  ctx.ellipse(65, 80, 32, 38, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = theme.warning;
  ctx.fillRect(158, 148, 76, 76);
  ctx.fillStyle = theme.positive;
  ctx.beginPath();
  ctx.moveTo(165, 66); ctx.lineTo(200, 34); ctx.lineTo(236, 66); ctx.closePath();
  ctx.fill();
  ctx.globalAlpha = 1;
}

export const demo: DemoModule = {
  id: 'anchors',
  async mount(ctx: DemoContext): Promise<DemoInstance> {
    const { tf } = ctx;
    let state = restore(ctx.initialState);
    let theme = readTheme();
    let anchors: AnchorSet = generateAnchors(configOf(state));
    let anchorsT: tfc.Tensor2D = tf.tensor2d(anchors.boxes, [anchors.count, 4]);
    let insideT: tfc.Tensor1D = tf.tensor1d(anchors.inside, 'int32');
    let result: AnchorStepResult | undefined;
    let selected = 0;
    let hoverCell: { x: number; y: number } | undefined;
    let disposed = false;
    let busy = false;
    let dirty = false;
    const timing = new Timing();

    // ---- Controls ---------------------------------------------------------------------------
    const modeSel = select<'fpn' | 'rpn'>('anchor layout', [['fpn', 'FPN: one size per level'], ['rpn', 'RPN: one map, sizes 32/64/128']], state.mode, (v) => setState({ mode: v }, true));
    const strideSel = select<string>('RPN stride', [['8', '8 px'], ['16', '16 px'], ['32', '32 px']], String(state.rpnStride), (v) => setState({ rpnStride: Number(v) }, true));
    const ratioBoxes = ([[0.5, '1:2 (h:w)'], [1, '1:1'], [2, '2:1']] as const).map(([r, label]) =>
      checkbox(`ratio ${label}`, state.ratios.includes(r), (on) => setState({ ratios: on ? [...state.ratios, r].sort() : state.ratios.filter((x) => x !== r) }, true)),
    );
    const levelBoxes = (['P2', 'P3', 'P4', 'P5', 'P6'] as const).map((l) => {
      const stride = 2 ** Number(l.slice(1));
      return checkbox(`${l} (stride ${stride}, size ${FPN_SIZE_PER_STRIDE * stride})`, state.fpnLevels.includes(l), (on) => setState({ fpnLevels: on ? [...state.fpnLevels, l].sort() : state.fpnLevels.filter((x) => x !== l) }, true));
    });
    const posSlider = slider('positive if IoU ≥', 0.05, 1, 0.05, state.positive, (v) => setState({ positive: v, negative: Math.min(state.negative, v) }), (v) => v.toFixed(2));
    const negSlider = slider('negative if IoU <', 0, 1, 0.05, state.negative, (v) => setState({ negative: v, positive: Math.max(state.positive, v) }), (v) => v.toFixed(2));
    const borderBox = checkbox('ignore anchors crossing the image border', state.ignoreCrossBorder, (v) => setState({ ignoreCrossBorder: v }));
    const ignoredBox = checkbox('draw ignored anchors', state.showIgnored, (v) => setState({ showIgnored: v }));
    const boxSel = el('select', { id: 'anchors-box-select' });
    boxSel.addEventListener('change', () => { selected = Number(boxSel.value); drawAll(); });
    const addBox = button('Add box', () => {
      if (state.boxes.length >= MAX_BOXES) return;
      selected = state.boxes.length;
      setState({ boxes: [...state.boxes, { y1: 100, x1: 100, y2: 156, x2: 156 }] });
    });
    const removeBox = button('Remove box', () => {
      if (state.boxes.length === 0) return;
      setState({ boxes: state.boxes.filter((_, j) => j !== selected) });
      selected = Math.max(0, Math.min(selected, state.boxes.length - 1));
    });

    const canvas = el('canvas', {
      class: 'anchors-canvas', tabindex: '0', role: 'application', 'data-demo-primary': '',
      'aria-label': 'Image with ground-truth boxes. Arrow keys move the selected box, Shift+arrows resize it, Tab leaves.',
    });
    const counts = el('p', { class: 'demo-counts', 'aria-live': 'polite' });
    const histogram = el('canvas', { class: 'anchors-histogram', tabindex: '-1', 'aria-hidden': 'true' });
    const histogramNote = el('p', { class: 'demo-note' }, 'Max-IoU histogram of all anchors; drag the two lines (or use the sliders) to move the thresholds.');

    // NMS
    const nmsSlider = slider('NMS IoU threshold', 0.1, 0.9, 0.05, state.nmsIou, (v) => setState({ nmsIou: v }), (v) => v.toFixed(2));
    const nmsRuleSel = select<NmsRule>('at IoU exactly = threshold', NMS_RULES.map((r) => [r, NMS_RULE_LABELS[r]] as const), state.nmsRule, (v) => setState({ nmsRule: v }));
    const boxConventionSel = select<BoxConvention>('Box sides', BOX_CONVENTIONS.map((c) => [c, BOX_CONVENTION_LABELS[c]] as const), state.boxConvention, (v) => setState({ boxConvention: v }));
    const conventionNote = el('p', { class: 'demo-note' });
    const nmsCanvas = el('canvas', { class: 'anchors-canvas', role: 'img', 'aria-label': 'NMS: kept boxes solid, suppressed boxes dashed' });
    const nmsList = el('ol', { class: 'nms-steps', 'aria-live': 'polite' });
    const nmsCheck = el('p', { class: 'demo-note', 'aria-live': 'polite' });
    let nms: { boxes: Float32Array; scores: Float32Array; anchorIndex: number[]; steps: NmsStep[]; tfRuleKept: number[]; otherRuleKept: number[]; shown: number; tfKept?: number[] } | undefined;
    const stepBtn = button('Step', () => { if (nms && nms.shown < nms.steps.length) { nms.shown++; drawNms(); } });
    const runBtn = button('Run to end', () => { if (nms) { nms.shown = nms.steps.length; drawNms(); } });
    const resetBtn = button('Restart', () => { if (nms) { nms.shown = 0; drawNms(); } });

    ctx.root.append(
      el('section', { class: 'demo-controls', 'aria-label': 'Anchors' }, modeSel.root, strideSel.root, ...ratioBoxes.map((b) => b.root), el('fieldset', { class: 'demo-fieldset' }, el('legend', {}, 'FPN levels'), ...levelBoxes.map((b) => b.root))),
      el('section', { class: 'demo-controls', 'aria-label': 'Labelling' }, posSlider.root, negSlider.root, borderBox.root, ignoredBox.root, boxConventionSel.root),
      el('section', { class: 'demo-controls', 'aria-label': 'Ground-truth boxes' }, el('label', { for: 'anchors-box-select' }, 'selected box'), boxSel, addBox, removeBox),
      el('div', { class: 'demo-views' },
        el('div', { class: 'demo-view-group' }, el('h2', {}, '1 · Anchors labelled against the boxes'), canvas, counts, conventionNote),
        el('div', { class: 'demo-view-group' }, el('h2', {}, '2 · Max IoU per anchor'), histogram, histogramNote),
        el('div', { class: 'demo-view-group' }, el('h2', {}, '3 · Non-maximum suppression, step by step'),
          el('p', { class: 'demo-note' }, `Proposals: the ${PROPOSALS} anchors with the highest IoU, scored by that IoU (what a perfect objectness head would predict).`),
          nmsSlider.root, nmsRuleSel.root, el('div', { class: 'demo-buttons' }, stepBtn, runBtn, resetBtn), nmsCanvas, nmsCheck, nmsList),
      ),
    );

    function setState(change: Partial<State>, rebuild = false, run = true): void {
      state = { ...state, ...change };
      posSlider.value = state.positive;
      negSlider.value = state.negative;
      strideSel.root.hidden = state.mode !== 'rpn';
      for (const b of levelBoxes) b.root.hidden = state.mode !== 'fpn';
      ctx.saveState(state);
      if (rebuild) {
        anchors = generateAnchors(configOf(state));
        anchorsT.dispose();
        insideT.dispose();
        anchorsT = tf.tensor2d(anchors.boxes, [anchors.count, 4]);
        insideT = tf.tensor1d(anchors.inside, 'int32');
      }
      syncBoxList();
      updateConventionNote();
      if (run) void schedule();
    }

    function updateConventionNote(): void {
      const area = state.boxConvention === 'pixel+1'
        ? 'inclusive pixel indices: area (x2 − x1 + 1)(y2 − y1 + 1), and the overlap\'s sides +1 too, as py-faster-rcnn\'s bbox_overlaps and nms do (the notes, tfjs and torchvision use no +1)'
        : 'continuous pixel coordinates: area (x2 − x1)(y2 − y1) with no "+1", as in the notes, tfjs and torchvision (py-faster-rcnn adds 1: switch "Box sides")';
      conventionNote.textContent = `Conventions: ${area}; anchor centres at cell centres; FPN anchor size ${FPN_SIZE_PER_STRIDE} × stride (32² on P2 … 512² on P6, as in the FPN paper).`;
    }
    updateConventionNote();

    function syncBoxList(): void {
      boxSel.replaceChildren(...state.boxes.map((b, j) => el('option', { value: String(j) }, `box ${j + 1}: ${Math.round(b.x2 - b.x1)}×${Math.round(b.y2 - b.y1)} at (${Math.round(b.x1)}, ${Math.round(b.y1)})`)));
      boxSel.value = String(selected);
      addBox.disabled = state.boxes.length >= MAX_BOXES;
      removeBox.disabled = state.boxes.length === 0;
    }

    function schedule(): Promise<void> {
      if (busy) { dirty = true; return Promise.resolve(); }
      return update();
    }

    async function update(): Promise<void> {
      if (disposed) return;
      busy = true;
      dirty = false;
      try {
        const started = performance.now();
        result = await anchorStep(tf, anchorsT, insideT, state.boxes, state);
        const ms = timing.add(performance.now() - started);
        ctx.reportStats({ msPerUpdate: ms });
        counts.textContent = `${anchors.count} anchors × ${state.boxes.length} boxes: ${result.positives} positive, ${result.negatives} negative, ${result.ignored} ignored. IoU + labels in ${ms.toFixed(1)} ms (one tensor computation, one readback).`;
        await restartNms();
        ctx.reportReady({
          anchors: anchors.count, boxes: state.boxes.length,
          positives: result.positives, negatives: result.negatives, ignored: result.ignored,
          msPerUpdate: Number(ms.toFixed(2)),
          nmsKept: nms?.steps.length ?? 0, nmsRule: state.nmsRule, boxConvention: state.boxConvention,
          nmsMatchesTf: nms?.tfKept !== undefined && sameList(nms.tfKept, nms.tfRuleKept),
        });
      } catch (err) {
        counts.textContent = `Computation failed: ${errorMessage(err)}`;
      } finally {
        busy = false;
        if (dirty) void schedule();
      }
      drawAll();
    }

    async function restartNms(): Promise<void> {
      if (!result) return;
      const { boxes, scores, anchorIndex: chosen } = nmsProposals(anchors.boxes, result.maxIou, PROPOSALS);
      const run = (rule: NmsRule, convention = state.boxConvention) => nmsSteps(boxes, scores, state.nmsIou, PROPOSALS, Number.NEGATIVE_INFINITY, rule, convention);
      const steps = run(state.nmsRule);
      const keptOf = (list: NmsStep[]) => list.map((s) => chosen[s.selected]);
      const other: NmsRule = state.nmsRule === '>=' ? '>' : '>=';
      const otherRuleKept = keptOf(run(other));
      // tfjs measures continuous sides and suppresses at ≥: the check compares like with like.
      const tfRuleKept = keptOf(run('>=', 'continuous'));
      nms = { boxes, scores, anchorIndex: chosen, steps, tfRuleKept, otherRuleKept, shown: 0 };
      const current = nms;
      // Check against tfjs's own NMS (the async one: the sync version blocks the UI on WebGL).
      if (chosen.length > 0) {
        const boxesT = tf.tensor2d(boxes, [chosen.length, 4]);
        const scoresT = tf.tensor1d(scores);
        let ids: number[];
        try {
          const kept = await tf.image.nonMaxSuppressionAsync(boxesT, scoresT, PROPOSALS, state.nmsIou);
          ids = Array.from(await kept.data());
          kept.dispose();
        } finally {
          tf.dispose([boxesT, scoresT]);
        }
        current.tfKept = ids.map((j) => chosen[j]);
      } else {
        current.tfKept = [];
      }
      drawNms();
    }

    // ---- Drawing ---------------------------------------------------------------------------
    function sizeCanvas(c: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D | null {
      const dpr = window.devicePixelRatio || 1;
      c.style.width = `${w}px`;
      c.style.height = `${h}px`;
      if (c.width !== Math.round(w * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); }
      const g = context2d(c);
      g?.setTransform(dpr * (w / IMAGE), 0, 0, dpr * (h / IMAGE), 0, 0);
      return g;
    }

    function rect(g: CanvasRenderingContext2D, b: ArrayLike<number>, o = 0): void {
      g.strokeRect(b[o + 1], b[o], b[o + 3] - b[o + 1], b[o + 2] - b[o]);
    }

    function drawAll(): void {
      theme = readTheme();
      const g = sizeCanvas(canvas, IMAGE * SCALE, IMAGE * SCALE);
      if (!g || !result) return;
      drawScene(g, theme);
      g.lineWidth = 1;
      if (state.showIgnored) {
        g.setLineDash([3, 3]);
        g.strokeStyle = theme.warning;
        for (let n = 0; n < anchors.count; n++) if (result.labels[n] === -1 && result.maxIou[n] >= state.negative) rect(g, anchors.boxes, n * 4);
        g.setLineDash([]);
      }
      g.strokeStyle = theme.positive;
      g.lineWidth = 1.5;
      for (let n = 0; n < anchors.count; n++) if (result.labels[n] === 1) rect(g, anchors.boxes, n * 4);
      if (hoverCell) {
        g.strokeStyle = theme.muted;
        g.lineWidth = 1;
        for (let n = 0; n < anchors.count; n++) {
          const cy = (anchors.boxes[n * 4] + anchors.boxes[n * 4 + 2]) / 2, cx = (anchors.boxes[n * 4 + 1] + anchors.boxes[n * 4 + 3]) / 2;
          if (Math.abs(cy - hoverCell.y) < 2 && Math.abs(cx - hoverCell.x) < 2) rect(g, anchors.boxes, n * 4);
        }
      }
      state.boxes.forEach((b, j) => {
        g.strokeStyle = j === selected ? theme.focus : theme.foreground;
        g.lineWidth = j === selected ? 3 : 2;
        g.strokeRect(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1);
        g.fillStyle = g.strokeStyle;
        g.fillRect(b.x2 - HANDLE / 2, b.y2 - HANDLE / 2, HANDLE, HANDLE);
        g.font = '11px var(--vscode-font-family, sans-serif)';
        g.fillText(String(j + 1), b.x1 + 3, b.y1 + 12);
      });
      drawHistogram();
    }

    function drawHistogram(): void {
      if (!result) return;
      const w = 360, h = 140;
      const dpr = window.devicePixelRatio || 1;
      histogram.style.width = `${w}px`;
      histogram.style.height = `${h}px`;
      if (histogram.width !== w * dpr) { histogram.width = w * dpr; histogram.height = h * dpr; }
      const g = context2d(histogram);
      if (!g) return;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      const bins = iouHistogram(result.maxIou, 20);
      const max = Math.max(1, ...bins);
      g.fillStyle = theme.background;
      g.fillRect(0, 0, w, h);
      bins.forEach((count, j) => {
        const lo = j / 20;
        g.fillStyle = lo + 0.05 <= state.negative ? theme.negative : lo >= state.positive ? theme.positive : theme.muted;
        const bh = count > 0 ? Math.max(2, (Math.log1p(count) / Math.log1p(max)) * (h - 24)) : 0;
        g.fillRect(j * (w / 20) + 1, h - 14 - bh, w / 20 - 2, bh);
      });
      g.fillStyle = theme.foreground;
      g.font = '10px var(--vscode-font-family, sans-serif)';
      for (const t of [0, 0.5, 1]) g.fillText(t.toFixed(1), Math.min(w - 16, t * w), h - 2);
      for (const [t, color] of [[state.negative, theme.negative], [state.positive, theme.positive]] as const) {
        g.strokeStyle = color;
        g.lineWidth = 2;
        g.beginPath();
        g.moveTo(t * w, 0);
        g.lineTo(t * w, h - 14);
        g.stroke();
      }
    }

    function drawNms(): void {
      if (!nms) return;
      const g = sizeCanvas(nmsCanvas, IMAGE * SCALE, IMAGE * SCALE);
      if (!g) return;
      drawScene(g, theme);
      const shownSteps = nms.steps.slice(0, nms.shown);
      const gone = new Set(shownSteps.flatMap((s) => s.suppressed));
      const kept = new Set(shownSteps.map((s) => s.selected));
      g.lineWidth = 1;
      g.strokeStyle = theme.muted;
      for (let j = 0; j < nms.scores.length; j++) if (!gone.has(j) && !kept.has(j)) rect(g, nms.boxes, j * 4);
      g.setLineDash([4, 3]);
      g.strokeStyle = theme.negative;
      for (const j of gone) rect(g, nms.boxes, j * 4);
      g.setLineDash([]);
      g.lineWidth = 2.5;
      g.strokeStyle = theme.positive;
      for (const j of kept) rect(g, nms.boxes, j * 4);
      const last = shownSteps[shownSteps.length - 1];
      if (last) { g.strokeStyle = theme.focus; g.lineWidth = 3.5; rect(g, nms.boxes, last.selected * 4); }
      nmsList.replaceChildren(...shownSteps.map((s) => el('li', {},
        `keep anchor ${nms!.anchorIndex[s.selected]} (score ${nms!.scores[s.selected].toFixed(3)}); suppress ${s.suppressed.length}` +
        (s.suppressed.length ? ` with IoU ${s.suppressedIou.slice(0, 6).map((v) => v.toFixed(3)).join(', ')}${s.suppressed.length > 6 ? ', …' : ''} ${state.nmsRule === '>=' ? '≥' : '>'} ${state.nmsIou.toFixed(2)}` : ''))));
      const ours = nms.steps.map((s) => nms!.anchorIndex[s.selected]);
      const remaining = nms.scores.length - gone.size - kept.size;
      stepBtn.disabled = nms.shown >= nms.steps.length;
      runBtn.disabled = stepBtn.disabled;
      const ruleText = state.nmsRule === '>=' ? 'IoU ≥ threshold (tfjs)' : 'IoU > threshold (torchvision)';
      const otherText = state.nmsRule === '>=' ? 'IoU > threshold (torchvision)' : 'IoU ≥ threshold (tfjs)';
      const otherDiffers = !sameList(nms.otherRuleKept, ours);
      const plusOne = state.boxConvention === 'pixel+1' ? ' with continuous sides (tfjs has no +1)' : '';
      nmsCheck.textContent =
        `${nms.shown} of ${nms.steps.length} steps shown, ${remaining} candidates left. Suppressing at ${ruleText}; ` +
        (otherDiffers ? `suppressing at ${otherText} would keep ${nms.otherRuleKept.length} boxes instead (a candidate sits exactly on the threshold). ` : `${otherText} keeps the same boxes here. `) +
        (nms.tfKept === undefined ? 'Checking against tf.image.nonMaxSuppressionAsync…'
          : sameList(nms.tfKept, nms.tfRuleKept) ? `✓ The ≥ rule${plusOne} keeps the same ${nms.tfKept.length} boxes, same order, as tf.image.nonMaxSuppressionAsync.`
          : `✗ tf.image.nonMaxSuppressionAsync keeps ${nms.tfKept.length} boxes (${nms.tfKept.slice(0, 8).join(', ')}), the ≥ rule${plusOne} keeps ${nms.tfRuleKept.length}.`);
    }

    // ---- Pointer and keyboard on the image -------------------------------------------------
    let drag: { box: number; mode: 'move' | 'resize'; y: number; x: number; start: Box } | undefined;
    const toImage = (e: PointerEvent): { x: number; y: number } => ({ x: e.offsetX / SCALE, y: e.offsetY / SCALE });
    canvas.addEventListener('pointerdown', (e) => {
      const p = toImage(e);
      for (let j = state.boxes.length - 1; j >= 0; j--) {
        const b = state.boxes[j];
        const nearCorner = Math.abs(p.x - b.x2) <= HANDLE && Math.abs(p.y - b.y2) <= HANDLE;
        if (nearCorner || (p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2)) {
          selected = j;
          drag = { box: j, mode: nearCorner ? 'resize' : 'move', y: p.y, x: p.x, start: b };
          canvas.setPointerCapture(e.pointerId);
          syncBoxList();
          drawAll();
          return;
        }
      }
    });
    canvas.addEventListener('pointermove', (e) => {
      const p = toImage(e);
      if (!drag) {
        const stride = state.mode === 'rpn' ? state.rpnStride : 2 ** Number((state.fpnLevels[0] ?? 'P4').slice(1));
        hoverCell = { x: (Math.floor(p.x / stride) + 0.5) * stride, y: (Math.floor(p.y / stride) + 0.5) * stride };
        drawAll();
        return;
      }
      const dy = p.y - drag.y, dx = p.x - drag.x, b = drag.start;
      const moved = drag.mode === 'move'
        ? { y1: b.y1 + dy, x1: b.x1 + dx, y2: b.y2 + dy, x2: b.x2 + dx }
        : { ...b, y2: Math.max(b.y1 + 4, b.y2 + dy), x2: Math.max(b.x1 + 4, b.x2 + dx) };
      setBox(drag.box, moved);
    });
    const endDrag = (): void => { drag = undefined; };
    canvas.addEventListener('pointerup', endDrag);
    canvas.addEventListener('pointercancel', endDrag);
    canvas.addEventListener('pointerleave', () => { hoverCell = undefined; if (!drag) drawAll(); });
    canvas.addEventListener('keydown', (e) => {
      const b = state.boxes[selected];
      const d: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      const m = d[e.key];
      if (!b || !m) return;
      e.preventDefault();
      const step = e.altKey ? 1 : 4;
      setBox(selected, e.shiftKey
        ? { ...b, y2: Math.max(b.y1 + 4, b.y2 + m[0] * step), x2: Math.max(b.x1 + 4, b.x2 + m[1] * step) }
        : { y1: b.y1 + m[0] * step, x1: b.x1 + m[1] * step, y2: b.y2 + m[0] * step, x2: b.x2 + m[1] * step });
    });

    function setBox(j: number, b: Box): void {
      const clamp = (v: number): number => Math.max(-IMAGE / 2, Math.min(IMAGE * 1.5, v));
      const boxes = state.boxes.slice();
      boxes[j] = { y1: clamp(b.y1), x1: clamp(b.x1), y2: clamp(b.y2), x2: clamp(b.x2) };
      setState({ boxes });
    }

    // Thresholds by dragging the histogram lines.
    let thresholdDrag: 'positive' | 'negative' | undefined;
    histogram.addEventListener('pointerdown', (e) => {
      const t = e.offsetX / 360;
      thresholdDrag = Math.abs(t - state.positive) < Math.abs(t - state.negative) ? 'positive' : 'negative';
      histogram.setPointerCapture(e.pointerId);
    });
    histogram.addEventListener('pointermove', (e) => {
      if (!thresholdDrag) return;
      const t = Math.round(Math.max(0, Math.min(1, e.offsetX / 360)) * 100) / 100;
      if (thresholdDrag === 'positive') setState({ positive: Math.max(t, 0.01), negative: Math.min(state.negative, Math.max(t, 0.01)) });
      else setState({ negative: t, positive: Math.max(state.positive, t) });
    });
    histogram.addEventListener('pointerup', () => { thresholdDrag = undefined; });

    const onTheme = new MutationObserver(() => drawAll());
    onTheme.observe(document.body, { attributes: true, attributeFilter: ['class'] });

    // Warm-up: the first run compiles the WebGL shaders; keep it out of the ms-per-update figure.
    await anchorStep(tf, anchorsT, insideT, state.boxes, state);
    setState({}, false, false);
    await schedule();

    return {
      pause() { /* Nothing animates on its own: updates only follow input. */ },
      resume() { drawAll(); },
      dispose() {
        disposed = true;
        onTheme.disconnect();
        anchorsT.dispose();
        insideT.dispose();
        ctx.root.replaceChildren();
      },
    };
  },
};

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, j) => v === b[j]);
}
