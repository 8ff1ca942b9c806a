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
