/**
 * Pieces shared by the two training demos (dropout, batch norm): the animation loop that runs
 * several optimisation steps per frame with one readback, a small line chart, theme colours for
 * series, and the demo stylesheet link. DOM only; the numbers come from src/core/demos (the
 * chart's coordinates and the loss history from src/core/demos/lossChart.ts).
 */
import type { DemoInstance } from '../demoApi';
import { chartLayout } from '../../../core/demos/lossChart';
import { el, parseColor, readTheme } from '../ui';

/**
 * Links media/demos-training.css next to the host's media/demos.css (same folder, same CSP source),
 * unless the page already links it.
 */
export function ensureTrainingStylesheet(): void {
  if (document.querySelector('link[data-lectern-training-css], link[href*="demos-training.css"]')) return;
  const base = document.querySelector<HTMLLinkElement>('link[rel="stylesheet"][href*="demos.css"]');
  if (!base) return;
  const link = el('link', { rel: 'stylesheet', href: base.href.replace(/demos\.css(?=$|[?#])/, 'demos-training.css'), 'data-lectern-training-css': '' });
  base.after(link);
}

export interface SeriesColors {
  readonly a: string;
  readonly b: string;
  readonly class0: string;
  readonly class1: string;
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly background: string;
  readonly focus: string;
}

/** Chart colours from VS Code's chart palette, so every theme (incl. high contrast) stays legible. */
export function seriesColors(): SeriesColors {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const theme = readTheme();
  return {
    a: v('--vscode-charts-purple', '#b180d7'),
    b: v('--vscode-charts-green', '#89d185'),
    class0: theme.warning,
    class1: theme.accent,
    foreground: theme.foreground,
    muted: theme.muted,
    grid: theme.border,
    background: theme.background,
    focus: theme.focus,
  };
}

/** `color` at opacity `alpha` as an rgba() string. */
export function withAlpha(color: string, alpha: number): string {
  const [r, g, b] = parseColor(color);
  return `rgba(${r},${g},${b},${alpha})`;
}

/** Sizes a canvas for the device pixel ratio and returns a context in CSS pixels. */
export function prepareCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const dpr = window.devicePixelRatio || 1;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** y per point; NaN/∞ break the line. */
  readonly values: readonly number[];
}

/**
 * A line chart over training steps. x comes from the step each point was recorded at (`steps`,
 * e.g. `History.steps`); the y-axis fits the data (up to `yCap`), or is fixed at `yMax`. Values
 * above the top are drawn on the top edge with a marker, and the legend says how many and how
 * large — a clipped curve is never passed off as the data. The coordinates come from the pure
 * `chartLayout` in src/core/demos/lossChart.ts (unit-tested).
 */
export class LineChart {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly legend: HTMLElement;

  constructor(label: string, private readonly width = 420, private readonly height = 170) {
    this.canvas = el('canvas', { role: 'img', 'aria-label': label, class: 'training-chart' });
    this.legend = el('div', { class: 'training-legend' });
    this.root = el('figure', { class: 'demo-figure training-chart-figure' }, this.canvas, this.legend);
  }

  /**
   * `opts.steps`: the step of point i of every series (the History's `steps`). Without it, point
   * i sits at i × `stepsPerPoint` (callers that record exactly one point per `stepsPerPoint` steps).
   */
  draw(series: readonly Series[], xMax: number, opts: { yMax?: number; yCap?: number; yLabel?: string; stepsPerPoint?: number; steps?: readonly number[] } = {}): void {
    const ctx = prepareCanvas(this.canvas, this.width, this.height);
    if (!ctx) return;
    const colors = seriesColors();
    const box = { width: this.width, height: this.height, pad: { l: 38, r: 8, t: 8, b: 20 } };
    const { pad } = box;
    const w = this.width - pad.l - pad.r;
    const h = this.height - pad.t - pad.b;
    const longest = Math.max(0, ...series.map((s) => s.values.length));
    const steps = opts.steps ?? Array.from({ length: longest }, (_, i) => i * (opts.stepsPerPoint ?? 1));
    const layout = chartLayout(series.map((s) => s.values), steps, xMax, box, { yMax: opts.yMax, yCap: opts.yCap });
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.font = '10px var(--vscode-editor-font-family, monospace)';
    ctx.fillStyle = colors.muted;
    ctx.strokeStyle = withAlpha(colors.grid, 0.9);
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const tick of layout.yTicks) {
      ctx.beginPath();
      ctx.moveTo(pad.l, Math.round(tick.y) + 0.5);
      ctx.lineTo(pad.l + w, Math.round(tick.y) + 0.5);
      ctx.stroke();
      ctx.fillText(formatTick(tick.value), pad.l - 4, tick.y);
    }
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText('step 0', pad.l, pad.t + h + 4);
    ctx.textAlign = 'right';
    ctx.fillText(`${Math.round(layout.xMax)}`, pad.l + w, pad.t + h + 4);
    if (opts.yLabel) {
      ctx.textAlign = 'left';
      ctx.fillText(opts.yLabel, pad.l + 4, pad.t + 2);
    }
    series.forEach((s, k) => {
      const points = layout.points[k];
      if (points.length === 0) return;
      ctx.strokeStyle = s.color;
      ctx.fillStyle = s.color;
      ctx.lineWidth = 2;
      ctx.setLineDash(s.dashed ? [5, 4] : []);
      ctx.beginPath();
      let pen = false;
      for (const pt of points) {
        if (!pt) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(pt.x, pt.y);
        else ctx.moveTo(pt.x, pt.y);
        pen = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
      // Clipped values: a small upward triangle on the top edge.
      for (const pt of points) {
        if (!pt?.clipped) continue;
        ctx.beginPath();
        ctx.moveTo(pt.x, pt.y - 1);
        ctx.lineTo(pt.x - 3, pt.y + 4);
        ctx.lineTo(pt.x + 3, pt.y + 4);
        ctx.closePath();
        ctx.fill();
      }
    });
    ctx.setLineDash([]);
    const items: Array<HTMLElement | string> = series.map((s) => {
      const last = s.values[s.values.length - 1];
      const swatch = el('span', { class: `training-swatch${s.dashed ? ' dashed' : ''}` });
      swatch.style.borderColor = s.color;
      return el('span', { class: 'training-legend-item' }, swatch, `${s.label} ${last === undefined ? '–' : formatTick(last)}`);
    });
    if (layout.clipped > 0) {
      items.push(el('span', { class: 'training-legend-item training-clipped' },
        `▲ ${layout.clipped} point${layout.clipped === 1 ? '' : 's'} above ${formatTick(layout.top)} drawn on the top edge (up to ${formatTick(layout.largestClipped)})`));
    }
    this.legend.replaceChildren(...items);
  }
}

export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 0.001) return v.toFixed(3);
  return v.toExponential(1);
}

/**
 * Loss history with the step of every point (`steps`); `record(step, point)` with the absolute
 * step, or the older `push(point, stepsSinceLastCall)`. Lives in the core so it can be tested.
 */
export { StepHistory as History } from '../../../core/demos/lossChart';

/**
 * The training animation: while playing and visible, each frame runs `stepsPerFrame` steps and
 * one readback (`frame`, which returns how long its readback took). The step count adapts so a
 * frame lasts about max(targetMs, 2 × readback): training keeps at least two thirds of the time
 * even when drawing is expensive (CPU backend). Frames never overlap (the readback is awaited).
 * Reports steps per second over the last second.
 */
export class TrainingLoop {
  private playing = false;
  private hidden = false;
  private disposed = false;
  private raf = 0;
  private busy = false;
  private rerun = false;
  private stepsPerFrame = 2;
  private windowStart = performance.now();
  private windowSteps = 0;
  private onPlayChange: (playing: boolean) => void = () => undefined;

  constructor(
    private readonly frame: (steps: number) => Promise<number>,
    private readonly reportStepsPerSecond: (sps: number) => void,
    private readonly options: { targetMs: number; maxStepsPerFrame: number; canStep: () => boolean },
  ) {}

  get isPlaying(): boolean {
    return this.playing;
  }

  onPlayingChanged(listener: (playing: boolean) => void): void {
    this.onPlayChange = listener;
  }

  setPlaying(playing: boolean): void {
    if (this.playing === playing) return;
    this.playing = playing;
    this.restartWindow();
    this.onPlayChange(playing);
    this.schedule();
  }

  setHidden(hidden: boolean): void {
    this.hidden = hidden;
    if (hidden) this.cancel();
    else {
      this.restartWindow();
      this.schedule();
    }
  }

  private restartWindow(): void {
    this.windowStart = performance.now();
    this.windowSteps = 0;
  }

  /** Runs one frame now (Step button, or a redraw after a change while paused). */
  async runOnce(steps: number): Promise<number> {
    if (this.disposed) return 0;
    if (this.busy) {
      // A change arrived while a frame was reading back: redraw once more when it is done.
      this.rerun = true;
      return 0;
    }
    this.busy = true;
    try {
      let readMs = await this.frame(steps);
      while (this.rerun && !this.disposed) {
        this.rerun = false;
        readMs = await this.frame(0);
      }
      return readMs;
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  private schedule(): void {
    if (this.raf || !this.playing || this.hidden || this.disposed) return;
    this.raf = requestAnimationFrame(() => void this.tick());
  }

  private async tick(): Promise<void> {
    this.raf = 0;
    if (!this.playing || this.hidden || this.disposed) return;
    if (!this.options.canStep()) {
      this.setPlaying(false);
      return;
    }
    if (!this.busy) {
      const started = performance.now();
      const steps = this.stepsPerFrame;
      const readMs = await this.runOnce(steps);
      const took = performance.now() - started;
      const perStep = Math.max(0.05, took - readMs) / steps;
      const budget = Math.max(this.options.targetMs, 2 * readMs);
      // Move gently towards the ideal so the step count does not oscillate.
      const ideal = budget / perStep;
      this.stepsPerFrame = Math.max(1, Math.min(this.options.maxStepsPerFrame, Math.round(0.7 * steps + 0.3 * ideal)));
      this.windowSteps += steps;
      const now = performance.now();
      if (now - this.windowStart >= 1000) {
        this.reportStepsPerSecond((this.windowSteps * 1000) / (now - this.windowStart));
        this.windowStart = now;
        this.windowSteps = 0;
      }
    }
    this.schedule();
  }
}

/**
 * Keeps the Play and Step buttons in step with the loop: "Pause" while playing, "Stopped at N
 * steps" (disabled) once `stepCount()` reaches `maxSteps`, Step disabled while playing.
 */
export function bindPlayButtons(loop: TrainingLoop, playButton: HTMLButtonElement, stepButton: HTMLButtonElement, stepCount: () => number, maxSteps: number): void {
  loop.onPlayingChanged((playing) => {
    playButton.textContent = playing ? 'Pause' : stepCount() >= maxSteps ? `Stopped at ${maxSteps} steps` : '▶ Play';
    playButton.setAttribute('aria-pressed', String(playing));
    playButton.disabled = !playing && stepCount() >= maxSteps;
    stepButton.disabled = playing;
  });
}

/**
 * Starts a training demo: redraws on theme changes, runs one frame, then plays. The returned
 * instance pauses/resumes the loop with the panel; its `dispose` stops the loop and the theme
 * watch, then calls `release` for the demo's own state (flag, tensors).
 */
export function startTrainingDemo(loop: TrainingLoop, redraw: () => void, release: () => void): DemoInstance {
  const onTheme = new MutationObserver(() => redraw());
  onTheme.observe(document.body, { attributes: true, attributeFilter: ['class'] });

  void loop.runOnce(0).then(() => loop.setPlaying(true));

  return {
    pause: () => loop.setHidden(true),
    resume: () => loop.setHidden(false),
    dispose() {
      loop.dispose();
      onTheme.disconnect();
      release();
    },
  };
}
