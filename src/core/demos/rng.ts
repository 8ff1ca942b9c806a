/**
 * A small seeded PRNG (mulberry32) for the training demos: data sets, initial weights, dropout
 * masks and mini-batch order are all drawn from it, so a seed reproduces a run exactly in Node and
 * in the browser. Not for anything security-related.
 */
export type Rng = () => number;

export function createRng(seed: number): Rng {
  return mulberry32(Math.floor(seed) ^ 0x9e3779b9);
}

/** mulberry32 on a raw 32-bit state (`state >>> 0`), without createRng's seed mixing. */
export function mulberry32(state: number): Rng {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal sample (Box–Muller). */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** `n` values drawn from N(0, std²). */
export function gaussianArray(rng: Rng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = gaussian(rng) * std;
  return out;
}
