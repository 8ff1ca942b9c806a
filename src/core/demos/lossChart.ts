/**
 * The numbers behind the training demos' loss charts, kept out of the webview so they can be
 * tested: which points are recorded (at which step), and where each lands on the canvas.
 *
 * Why this exists: the chart used to place point i at i × stepsPerPoint steps while the history
 * recorded one point per animation frame (several steps each), so curves were squeezed to the
 * left; and a fixed y-axis silently clamped losses above it. Here every point carries the step it
 * was measured at, x comes from that step, and the y-axis fits the data up to an optional cap,
 * beyond which the layout counts the clipped points so the chart can say so.
 */

/**
 * Loss curves over training steps, at most `max` points per series. Every point is a value
 * actually measured at its step: when full, every other point is dropped (the first and the newest
 * always stay) and the minimum spacing `stepsPerPoint` doubles, so a long run stays visible
 * without averaging values into points that were never measured.
 */
export class StepHistory {
  readonly values: number[][];
  /** Step of each point, shared by all series, ascending. */
  readonly steps: number[] = [];
  /** Minimum spacing in steps between recorded points (doubles when the history is thinned). */
  stepsPerPoint = 1;
  private total = 0;

  constructor(readonly series: number, private readonly max = 400) {
    if (!Number.isInteger(series) || series < 1) throw new RangeError(`series must be a positive integer, got ${series}`);
    if (!Number.isInteger(max) || max < 2) throw new RangeError(`max must be an integer ≥ 2, got ${max}`);
    this.values = Array.from({ length: series }, () => []);
  }

  /** The step of the newest point (0 when empty). */
  get lastStep(): number {
    return this.steps.length ? this.steps[this.steps.length - 1] : 0;
  }

  /**
   * Records `point` (one value per series) measured at training step `step`. The same step again
   * replaces the newest point (a redraw after a change without training); an earlier step means
   * training restarted, so the history starts over; while the newest point is closer than
   * `stepsPerPoint` to the one before, a new point moves it instead of adding one, so the newest
   * measurement is always shown and the others stay at least `stepsPerPoint` apart.
   */
  record(step: number, point: readonly number[]): void {
    if (!Number.isFinite(step) || step < 0) throw new RangeError(`step must be a finite number ≥ 0, got ${step}`);
    if (point.length !== this.series) throw new RangeError(`point has ${point.length} values, expected ${this.series}`);
    const n = this.steps.length;
    if (n > 0 && step < this.steps[n - 1]) this.clear();
    const last = this.steps.length - 1;
    // The newest point is provisional while it is closer than `stepsPerPoint` to the one before.
    const provisional = last >= 1 && this.steps[last] - this.steps[last - 1] < this.stepsPerPoint;
    const replace = last >= 0 && (step === this.steps[last] || provisional);
    if (replace) {
      this.steps[last] = step;
      point.forEach((v, s) => { this.values[s][last] = v; });
    } else {
      this.steps.push(step);
      point.forEach((v, s) => this.values[s].push(v));
    }
    this.total = step;
    if (this.steps.length > this.max) this.thin();
  }

  /** Compatible form: `steps` = steps taken since the previous call. */
  push(point: readonly number[], steps: number): void {
    this.record(this.total + Math.max(0, steps), point);
  }

  clear(): void {
    for (const s of this.values) s.length = 0;
    this.steps.length = 0;
    this.stepsPerPoint = 1;
    this.total = 0;
  }

  private thin(): void {
    const last = this.steps.length - 1;
    const keep = (_: unknown, j: number) => j % 2 === 0 || j === last;
    const steps = this.steps.filter(keep);
    this.steps.splice(0, this.steps.length, ...steps);
    for (const s of this.values) s.splice(0, s.length, ...s.filter(keep));
    this.stepsPerPoint *= 2;
  }
}

export interface ChartBox {
  readonly width: number;
  readonly height: number;
  readonly pad: { readonly l: number; readonly r: number; readonly t: number; readonly b: number };
}

export interface ChartOptions {
  /** Fixed top of the y-axis; larger values are clipped (and counted). */
  readonly yMax?: number;
  /** Without `yMax`: the top fits the data but never exceeds this; larger values are clipped. */
  readonly yCap?: number;
}

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  /** The value lies above the top of the axis and is drawn on the top edge. */
  readonly clipped: boolean;
}

export interface ChartLayout {
  /** Value at the top of the y-axis (the bottom is 0). */
  readonly top: number;
  /** Step at the right end of the x-axis. */
  readonly xMax: number;
  /** Per series, per point: canvas position, or null for a non-finite value (the line breaks). */
  readonly points: ReadonlyArray<ReadonlyArray<ChartPoint | null>>;
  /** Finite values above `top`, over all series, and the largest of them. */
  readonly clipped: number;
  readonly largestClipped: number;
  /** Five y ticks, bottom to top: value and canvas y. */
  readonly yTicks: ReadonlyArray<{ readonly value: number; readonly y: number }>;
}

/** The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of ten that is ≥ v. */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/**
 * Canvas coordinates of every point: x = left + step / xMax · plot width, with xMax the larger of
 * `xMax` and the newest step; y = bottom − value / top · plot height, clamped to the plot with the
 * clipped values counted. `steps[i]` is the step of point i of every series.
 */
export function chartLayout(series: ReadonlyArray<readonly number[]>, steps: readonly number[], xMax: number, box: ChartBox, options: ChartOptions = {}): ChartLayout {
  const w = box.width - box.pad.l - box.pad.r;
  const h = box.height - box.pad.t - box.pad.b;
  let dataMax = 0;
  for (const s of series) for (const v of s) if (Number.isFinite(v)) dataMax = Math.max(dataMax, v);
  let top: number;
  if (options.yMax !== undefined) top = options.yMax;
  else {
    top = niceCeil(dataMax);
    if (options.yCap !== undefined) top = Math.min(top, options.yCap);
  }
  top = Math.max(top, 1e-6);
  const right = Math.max(xMax, steps.length ? steps[steps.length - 1] : 0, 1e-9);
  let clipped = 0, largestClipped = 0;
  const points = series.map((s) =>
    s.map((v, i) => {
      if (!Number.isFinite(v) || i >= steps.length) return null;
      const over = v > top;
      if (over) { clipped++; largestClipped = Math.max(largestClipped, v); }
      return { x: box.pad.l + (steps[i] / right) * w, y: box.pad.t + h - Math.min(1, Math.max(0, v / top)) * h, clipped: over };
    }),
  );
  const yTicks = [0, 1, 2, 3, 4].map((j) => ({ value: (j / 4) * top, y: box.pad.t + h - (j / 4) * h }));
  return { top, xMax: right, points, clipped, largestClipped, yTicks };
}
