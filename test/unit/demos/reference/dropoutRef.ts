/**
 * Independent reference for the dropout demo's numbers: the 2 → h → h → 1 ReLU network in plain
 * loops, the three scaling conventions written from their definitions (Srivastava et al. 2014:
 * multiply by the keep probability 1 − p at test time; "inverted": divide by 1 − p while
 * training; ConvNetJS's bug: multiply by p at test time), binary cross-entropy and the grid.
 * No tfjs, no import from the demo's core.
 */
export type RefConvention = 'inverted' | 'lecture' | 'wrong';

export function refScaling(p: number, convention: RefConvention): { train: number; eval: number } {
  const keep = 1 - p;
  if (convention === 'inverted') return { train: 1 / keep, eval: 1 };
  if (convention === 'lecture') return { train: 1, eval: keep };
  return { train: 1, eval: p };
}

/** Layer-1 activations relu(x·W1 + b1) of one point. */
export function refHidden1(params: readonly Float32Array[], x0: number, x1: number): number[] {
  const [w1, b1] = params;
  const h = b1.length;
  const out: number[] = [];
  for (let j = 0; j < h; j++) out.push(Math.max(0, x0 * w1[j] + x1 * w1[h + j] + b1[j]));
  return out;
}

/** The logit of one point with every unit kept and multiplied by `scale` after each hidden layer. */
export function refLogit(params: readonly Float32Array[], x0: number, x1: number, scale: number): number {
  const [, , w2, b2, w3, b3] = params;
  const h1 = refHidden1(params, x0, x1).map((v) => v * scale);
  const h = h1.length;
  let z = b3[0];
  for (let k = 0; k < h; k++) {
    let a = b2[k];
    for (let j = 0; j < h; j++) a += h1[j] * w2[j * h + k];
    z += Math.max(0, a) * scale * w3[k];
  }
  return z;
}

export function refBce(logits: readonly number[], labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    // −[y log σ(z) + (1 − y) log(1 − σ(z))]: −log σ(z) = log(1 + e^−z), −log(1 − σ(z)) = log(1 + e^z).
    const z = labels[i] === 1 ? -logits[i] : logits[i];
    sum += Math.max(0, z) + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return sum / logits.length;
}

/** Grid centres, row 0 at y = +extent, column 0 at x = −extent. */
export function refGrid(res: number, extent: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const cell = (2 * extent) / res;
  for (let r = 0; r < res; r++) for (let c = 0; c < res; c++) out.push([-extent + cell * (c + 0.5), extent - cell * (r + 0.5)]);
  return out;
}

/**
 * Full-batch training of the 2 → h → h → 1 network as plain loops in float64: the forward pass
 * with given keep masks and train-time scale, mean binary cross-entropy, the backward pass
 * written out layer by layer, and Adam (Kingma & Ba 2015, Algorithm 1: bias-corrected
 * m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ), θ ← θ − α m̂ / (√v̂ + ε); ε = 1e-7, the tfjs/Keras default).
 * Parameters in the demo's layout: w1 [2, h], b1 [h], w2 [h, h], b2 [h], w3 [h, 1], b3 [1], row-major.
 */
export class RefDropoutTrainer {
  readonly params: Float64Array[];
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(
    initial: readonly ArrayLike<number>[],
    private readonly x: ArrayLike<number>,
    private readonly y: ArrayLike<number>,
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.params = initial.map((p) => Float64Array.from(p));
    this.m = this.params.map((p) => new Float64Array(p.length));
    this.v = this.params.map((p) => new Float64Array(p.length));
  }

  /**
   * One Adam step on the loss with keep masks `masks[0]`, `masks[1]` ([n, h] each, row-major; null
   * keeps every unit) and kept units multiplied by `scale`. Returns the loss before the update.
   */
  step(masks: readonly [ArrayLike<number>, ArrayLike<number>] | null, scale: number): number {
    const [w1, b1, w2, b2, w3, b3] = this.params;
    const h = b1.length;
    const n = this.y.length;
    const keep = (layer: 0 | 1, i: number, j: number) => (masks ? masks[layer][i * h + j] : 1) * scale;
    // Forward, keeping pre-activations a1, a2 and the layer outputs h1, h2 (after dropout).
    const a1 = new Float64Array(n * h), h1 = new Float64Array(n * h);
    const a2 = new Float64Array(n * h), h2 = new Float64Array(n * h);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < h; j++) {
        const a = this.x[2 * i] * w1[j] + this.x[2 * i + 1] * w1[h + j] + b1[j];
        a1[i * h + j] = a;
        h1[i * h + j] = Math.max(0, a) * keep(0, i, j);
      }
      for (let k = 0; k < h; k++) {
        let a = b2[k];
        for (let j = 0; j < h; j++) a += h1[i * h + j] * w2[j * h + k];
        a2[i * h + k] = a;
        h2[i * h + k] = Math.max(0, a) * keep(1, i, k);
      }
      let out = b3[0];
      for (let k = 0; k < h; k++) out += h2[i * h + k] * w3[k];
      z[i] = out;
    }
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const s = this.y[i] === 1 ? -z[i] : z[i];
      loss += Math.max(0, s) + Math.log1p(Math.exp(-Math.abs(s)));
    }
    loss /= n;
    // Backward: dL/dz = (σ(z) − y) / n, then through each layer.
    const g = this.params.map((p) => new Float64Array(p.length));
    const [gw1, gb1, gw2, gb2, gw3, gb3] = g;
    const da2 = new Float64Array(h), da1 = new Float64Array(h);
    for (let i = 0; i < n; i++) {
      const dz = (1 / (1 + Math.exp(-z[i])) - this.y[i]) / n;
      gb3[0] += dz;
      for (let k = 0; k < h; k++) {
        gw3[k] += h2[i * h + k] * dz;
        da2[k] = a2[i * h + k] > 0 ? dz * w3[k] * keep(1, i, k) : 0;
        gb2[k] += da2[k];
      }
      for (let j = 0; j < h; j++) {
        let dh1 = 0;
        for (let k = 0; k < h; k++) {
          gw2[j * h + k] += h1[i * h + j] * da2[k];
          dh1 += da2[k] * w2[j * h + k];
        }
        da1[j] = a1[i * h + j] > 0 ? dh1 * keep(0, i, j) : 0;
        gb1[j] += da1[j];
        gw1[j] += this.x[2 * i] * da1[j];
        gw1[h + j] += this.x[2 * i + 1] * da1[j];
      }
    }
    this.t += 1;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    this.params.forEach((p, a) => {
      for (let q = 0; q < p.length; q++) {
        this.m[a][q] = this.beta1 * this.m[a][q] + (1 - this.beta1) * g[a][q];
        this.v[a][q] = this.beta2 * this.v[a][q] + (1 - this.beta2) * g[a][q] * g[a][q];
        p[q] -= (this.learningRate * (this.m[a][q] / c1)) / (Math.sqrt(this.v[a][q] / c2) + this.epsilon);
      }
    });
    return loss;
  }
}
