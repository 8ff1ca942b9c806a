/**
 * Independent reference for the transposed-convolution demo: plain loops over the definitions in
 * conv_arithmetic (Dumoulin & Visin 2016) and FCN's `surgery.py`, no tfjs and no import from the
 * demo's core, so a shared mistake cannot hide. Used by the property tests only.
 */
export interface RefParams {
  readonly i: number;
  readonly k: number;
  readonly s: number;
  readonly p: number;
  readonly a: number;
}

export type Grid = number[][];

/** Every input cell paints its scaled kernel at (r·s, c·s) on the full canvas; crop p, keep a. */
export function refTransposedConv(input: ArrayLike<number>, kernel: ArrayLike<number>, { i, k, s, p, a }: RefParams): Grid {
  const full = (i - 1) * s + k + a;
  const canvas: Grid = Array.from({ length: full }, () => new Array<number>(full).fill(0));
  for (let r = 0; r < i; r++)
    for (let c = 0; c < i; c++)
      for (let u = 0; u < k; u++)
        for (let v = 0; v < k; v++) canvas[r * s + u][c * s + v] += input[r * i + c] * kernel[u * k + v];
  const o = full - 2 * p;
  const out: Grid = [];
  for (let y = 0; y < o; y++) {
    const row: number[] = [];
    for (let x = 0; x < o; x++) row.push(canvas[y + p][x + p]);
    out.push(row);
  }
  return out;
}

/** The zero-stretched input of the equivalent direct convolution, side o + k − 1. */
export function refStretched(input: ArrayLike<number>, { i, k, s, p, a }: RefParams): Grid {
  const o = s * (i - 1) + a + k - 2 * p;
  const side = o + k - 1;
  const q = k - 1 - p;
  const z: Grid = Array.from({ length: side }, () => new Array<number>(side).fill(0));
  for (let r = 0; r < i; r++)
    for (let c = 0; c < i; c++) {
      const y = q + r * s, x = q + c * s;
      if (y >= 0 && y < side && x >= 0 && x < side) z[y][x] = input[r * i + c];
    }
  return z;
}

/** Stride-1 valid correlation of the stretched input with the kernel rotated by 180°. */
export function refDirect(input: ArrayLike<number>, kernel: ArrayLike<number>, params: RefParams): Grid {
  const z = refStretched(input, params);
  const { k } = params;
  const o = z.length - k + 1;
  const out: Grid = [];
  for (let y = 0; y < o; y++) {
    const row: number[] = [];
    for (let x = 0; x < o; x++) {
      let sum = 0;
      for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) sum += z[y + u][x + v] * kernel[(k - 1 - u) * k + (k - 1 - v)];
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

/** How many (input cell, kernel tap) pairs land on each output cell, by counting them. */
export function refOverlap({ i, k, s, p, a }: RefParams): Grid {
  const o = s * (i - 1) + a + k - 2 * p;
  const count: Grid = Array.from({ length: o }, () => new Array<number>(o).fill(0));
  for (let r = 0; r < i; r++)
    for (let c = 0; c < i; c++)
      for (let u = 0; u < k; u++)
        for (let v = 0; v < k; v++) {
          const y = r * s + u - p, x = c * s + v - p;
          if (y >= 0 && y < o && x >= 0 && x < o) count[y][x]++;
        }
  return count;
}

export interface RefOverlapSummary {
  readonly hasInterior: boolean;
  readonly values: number[];
  readonly checkerboard: boolean;
}

/**
 * Interior = output cells whose k×k window in the stretched input lies wholly inside the span of
 * the stretched input cells (no tap reads the zero border). The flag: uneven counts there.
 */
export function refOverlapSummary(params: RefParams, count: Grid = refOverlap(params)): RefOverlapSummary {
  const { i, k, s, p } = params;
  const o = count.length;
  const q = k - 1 - p;
  const lo = q, hi = q + s * (i - 1);
  const inside = (y: number) => y >= lo && y + k - 1 <= hi;
  const interior = new Set<number>();
  const all = new Set<number>();
  for (let y = 0; y < o; y++)
    for (let x = 0; x < o; x++) {
      all.add(count[y][x]);
      if (inside(y) && inside(x)) interior.add(count[y][x]);
    }
  const hasInterior = interior.size > 0;
  const values = [...(hasInterior ? interior : all)].sort((m, n) => m - n);
  return { hasInterior, values, checkerboard: hasInterior && values.length > 1 };
}

/** FCN's surgery.upsample_filt(size), transcribed from the Python. */
export function refUpsampleFilt(size: number): number[] {
  const factor = Math.floor((size + 1) / 2);
  const center = size % 2 === 1 ? factor - 1 : factor - 0.5;
  const out: number[] = [];
  for (let u = 0; u < size; u++) for (let v = 0; v < size; v++) out.push((1 - Math.abs(u - center) / factor) * (1 - Math.abs(v - center) / factor));
  return out;
}

/** Nearest-neighbour ×s, then a stride-1 'same' correlation (TF pads ⌊(k−1)/2⌋ before). */
export function refResizeConv(input: ArrayLike<number>, kernel: ArrayLike<number>, i: number, k: number, s: number): Grid {
  const n = i * s;
  const up = (y: number, x: number) => input[Math.floor(y / s) * i + Math.floor(x / s)];
  const before = Math.floor((k - 1) / 2);
  const out: Grid = [];
  for (let y = 0; y < n; y++) {
    const row: number[] = [];
    for (let x = 0; x < n; x++) {
      let sum = 0;
      for (let u = 0; u < k; u++)
        for (let v = 0; v < k; v++) {
          const yy = y + u - before, xx = x + v - before;
          if (yy >= 0 && yy < n && xx >= 0 && xx < n) sum += up(yy, xx) * kernel[u * k + v];
        }
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}
