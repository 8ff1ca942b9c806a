import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfc from '@tensorflow/tfjs-core';
import {
  ClassifierRunner,
  DEFAULT_SCHEDULE,
  PathRunner,
  SURFACES,
  SURFACE_IDS,
  alexNetUpdate,
  classifierInit,
  decayedFixedPoint,
  lossChoiceAnswer,
  lossGrid,
  makeBlobs,
  scheduleFactor,
  type Hyper,
  type Schedule,
  type SurfaceId,
} from '../../../src/core/demos/learningDynamics';
import { cpuTf } from './tfjsNode';

let tf: typeof tfc;
before(async () => {
  tf = await cpuTf();
});

/** Hand-derived gradients of the three surfaces (independent of the tf definitions). */
const GRADIENTS: Record<SurfaceId, (a: number, b: number) => [number, number]> = {
  ravine: (a, b) => [a - 2, 10 * (b - 1)],
  rosenbrock: (a, b) => [-2 * (1 - a) - 20 * a * (b - a * a), 10 * (b - a * a)],
  'double-well': (a, b) => [4 * a * (a * a - 1) + 0.3, 2 * b],
};

/** Reference learning rate of step t, written from the formulas (not from scheduleFactor). */
function refEta(eta: number, s: Schedule, t: number): number {
  if (s.kind === 'step') return eta * Math.pow(s.gamma, Math.floor(t / s.every));
  if (s.kind === 'exp') return eta * Math.exp((Math.log(s.gamma) * t) / s.every);
  if (s.kind === 'poly') return t >= s.max ? 0 : eta * Math.pow(1 - t / s.max, s.power);
  return eta;
}

/** Reference: the notes' two lines in float64, one weight at a time. */
function refPath(id: SurfaceId, h: Hyper, s: Schedule, steps: number, velocity?: number[]): Array<[number, number]> {
  let [a, b] = SURFACES[id].start;
  let va = 0, vb = 0;
  const out: Array<[number, number]> = [];
  for (let t = 0; t < steps; t++) {
    const [ga, gb] = GRADIENTS[id](a, b);
    const eta = refEta(h.eta, s, t);
    va = h.M * va - eta * ga - h.mu * eta * a;
    vb = h.M * vb - eta * gb - h.mu * eta * b;
    a += va;
    b += vb;
    out.push([a, b]);
  }
  velocity?.splice(0, 2, va, vb);
  return out;
}

test("the notes' worked example: w₀ = 1, v₀ = 0, gradient 0.5, η = 0.01, M = 0.9, μ = 0.0005", () => {
  let w: tfc.Tensor = tf.tensor1d([1]);
  let v: tfc.Tensor = tf.tensor1d([0]);
  const grad = tf.tensor1d([0.5]);
  const rows: number[][] = [];
  for (let i = 0; i < 2; i++) {
    const next = alexNetUpdate(tf, w, v, grad, 0.01, { M: 0.9, mu: 0.0005 });
    tf.dispose([w, v]);
    ({ w, v } = next);
    rows.push([v.dataSync()[0], w.dataSync()[0]]);
  }
  assert.ok(Math.abs(rows[0][0] - -0.005005) < 1e-9 && Math.abs(rows[0][1] - 0.994995) < 1e-7, `step 1 ${rows[0].join(', ')}`);
  assert.ok(Math.abs(rows[1][0] - -0.0095095) < 1e-7 && Math.abs(rows[1][1] - 0.9854855) < 1e-6, `step 2 ${rows[1].join(', ')}`);
  tf.dispose([w, v, grad]);
});

test('paths from tf.grad + the update rule equal the float64 reference over surfaces × η × M × μ × schedules', async () => {
  const schedules: Schedule[] = [
    DEFAULT_SCHEDULE,
    { ...DEFAULT_SCHEDULE, kind: 'step', every: 7, gamma: 0.5 },
    { ...DEFAULT_SCHEDULE, kind: 'exp', every: 10, gamma: 0.7 },
    { ...DEFAULT_SCHEDULE, kind: 'poly', max: 30, power: 0.9 },
  ];
  let cases = 0;
  for (const id of SURFACE_IDS) {
    for (const eta of [0.001, 0.005, 0.02]) for (const M of [0, 0.5, 0.9]) for (const mu of [0, 0.1]) for (const s of schedules) {
      const h = { eta, M, mu };
      const velocity: number[] = [];
      const ref = refPath(id, h, s, 40, velocity);
      const runner = new PathRunner(tf, SURFACES[id], SURFACES[id].start);
      const first = await runner.frame(15, h, s);
      const second = await runner.frame(25, h, s);
      runner.dispose();
      const points = [...first.points, ...second.points];
      for (let t = 0; t < 40; t++) {
        for (const k of [0, 1]) {
          const got = points[2 * t + k], want = ref[t][k];
          assert.ok(Math.abs(got - want) <= 1e-3 * Math.max(1, Math.abs(want)), `${id} ${JSON.stringify(h)} ${s.kind} step ${t + 1}: ${got} vs ${want}`);
        }
      }
      // The readback carries each step's loss at its position.
      const [a, b] = ref[39];
      assert.ok(Math.abs(second.losses[24] - SURFACES[id].value(a, b)) <= 1e-3 * Math.max(1, SURFACES[id].value(a, b)));
      assert.ok(Math.abs(second.etas[24] - refEta(eta, s, 39)) < 1e-12);
      // The velocity the panel shows after the frame.
      second.velocity.forEach((v, k) => assert.ok(Math.abs(v - velocity[k]) <= 1e-3 * Math.max(1, Math.abs(velocity[k])), `${id} ${JSON.stringify(h)} ${s.kind}: velocity ${k} ${v} vs ${velocity[k]}`));
      cases++;
    }
  }
  assert.equal(cases, 3 * 3 * 3 * 2 * 4);
});

test('schedules: step halves every k steps, poly follows (1 − t/max)^p and ends at 0', () => {
  const s: Schedule = { kind: 'step', gamma: 0.5, every: 100, max: 400, power: 0.9 };
  assert.deepEqual([0, 99, 100, 250].map((t) => scheduleFactor(s, t)), [1, 1, 0.5, 0.25]);
  const p: Schedule = { ...s, kind: 'poly' };
  for (const t of [0, 1, 57, 200, 399, 400, 1000]) assert.ok(Math.abs(scheduleFactor(p, t) - refEta(1, p, t)) < 1e-12, `poly ${t}`);
  assert.equal(scheduleFactor(p, 400), 0);
  assert.ok(Math.abs(scheduleFactor({ ...s, kind: 'exp', gamma: 0.5, every: 10 }, 20) - 0.25) < 1e-12);
});

test('the loss grid equals the surface formula; weight decay moves the resting point towards 0', async () => {
  for (const id of SURFACE_IDS) {
    const surface = SURFACES[id];
    const res = 17;
    const grid = await lossGrid(tf, surface, res);
    for (let r = 0; r < res; r++) for (let c = 0; c < res; c++) {
      const a = surface.x[0] + ((surface.x[1] - surface.x[0]) * c) / (res - 1);
      const b = surface.y[1] - ((surface.y[1] - surface.y[0]) * r) / (res - 1);
      const want = surface.value(a, b);
      assert.ok(Math.abs(grid[r * res + c] - want) <= 1e-3 * Math.max(1, want), `${id} (${r},${c})`);
    }
  }
  // Ravine: ∇L + μw = 0 gives w = (2/(1+μ), 10/(10+μ)).
  const [a, b] = decayedFixedPoint(SURFACES.ravine, 0.5);
  assert.ok(Math.abs(a - 2 / 1.5) < 1e-4 && Math.abs(b - 10 / 10.5) < 1e-4, `${a}, ${b}`);
  // A long run of the rule comes to rest there.
  const runner = new PathRunner(tf, SURFACES.ravine, SURFACES.ravine.start);
  const frame = await runner.frame(400, { eta: 0.05, M: 0.5, mu: 0.5 }, DEFAULT_SCHEDULE);
  runner.dispose();
  assert.ok(Math.abs(frame.points[798] - 2 / 1.5) < 1e-3 && Math.abs(frame.points[799] - 10 / 10.5) < 1e-3);
});

/**
 * Reference logistic unit for the demo's classifier panel, plain loops in float64: hand-derived
 * gradients, the notes' update with the schedule's η_t, and after each frame everything the panel
 * shows — (w₁, w₂, b), the loss, training accuracy (class 1 when w·x + b ≥ 0) and |∇L| of the
 * frame's last step (the gradient that step used).
 */
class RefClassifier {
  readonly p: number[];
  private readonly v = [0, 0, 0];
  private t = 0;
  gradNorm = 0;

  constructor(private readonly x: Float32Array, private readonly y: Float32Array, private readonly kind: 'mse' | 'ce', start: readonly number[]) {
    this.p = [...start];
  }

  private z(j: number): number {
    return this.p[0] * this.x[2 * j] + this.p[1] * this.x[2 * j + 1] + this.p[2];
  }

  gradient(): number[] {
    const n = this.y.length;
    const g = [0, 0, 0];
    for (let j = 0; j < n; j++) {
      const s = 1 / (1 + Math.exp(-this.z(j)));
      // d/dz of (σ(z) − y)² is 2(σ − y)σ(1 − σ); of the cross-entropy, σ − y.
      const dz = this.kind === 'ce' ? s - this.y[j] : 2 * (s - this.y[j]) * s * (1 - s);
      g[0] += (dz * this.x[2 * j]) / n;
      g[1] += (dz * this.x[2 * j + 1]) / n;
      g[2] += dz / n;
    }
    return g;
  }

  run(steps: number, h: Hyper, schedule: Schedule): void {
    for (let n = 0; n < steps; n++) {
      const g = this.gradient();
      this.gradNorm = Math.hypot(g[0], g[1], g[2]);
      const eta = refEta(h.eta, schedule, this.t);
      for (let k = 0; k < 3; k++) {
        this.v[k] = h.M * this.v[k] - eta * g[k] - h.mu * eta * this.p[k];
        this.p[k] += this.v[k];
      }
      this.t++;
    }
  }

  loss(): number {
    let sum = 0;
    for (let j = 0; j < this.y.length; j++) {
      const z = this.z(j);
      const s = 1 / (1 + Math.exp(-z));
      // Cross-entropy as −log σ(±z) = log(1 + e^∓z), computed without rounding σ to 0 or 1.
      sum += this.kind === 'mse' ? (s - this.y[j]) ** 2 : this.y[j] === 1 ? Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
    return sum / this.y.length;
  }

  accuracy(): { value: number; ambiguous: number } {
    let right = 0, ambiguous = 0;
    for (let j = 0; j < this.y.length; j++) {
      const z = this.z(j);
      if (Math.abs(z) < 1e-4) ambiguous++;
      if ((z >= 0 ? 1 : 0) === this.y[j]) right++;
    }
    return { value: right / this.y.length, ambiguous: ambiguous / this.y.length };
  }
}

test('the classifier panel (parameters, loss, accuracy, |∇L|) equals the reference over init × η × M × μ × schedule, frame by frame', async () => {
  const schedules: Schedule[] = [
    DEFAULT_SCHEDULE,
    { ...DEFAULT_SCHEDULE, kind: 'step', every: 5, gamma: 0.5 },
    { ...DEFAULT_SCHEDULE, kind: 'exp', every: 10, gamma: 0.7 },
    { ...DEFAULT_SCHEDULE, kind: 'poly', max: 15, power: 0.9 },
  ];
  const data = makeBlobs(5, 40);
  let frames = 0, values = 0;
  for (const init of ['zero', 'wrong'] as const)
    for (const eta of [0.05, 0.5, 2])
      for (const M of [0, 0.9])
        for (const mu of [0, 0.01])
          for (const schedule of schedules) {
            const h = { eta, M, mu };
            const runner = new ClassifierRunner(tf, data, init);
            const refs = { mse: new RefClassifier(data.x, data.y, 'mse', classifierInit(init)), ce: new RefClassifier(data.x, data.y, 'ce', classifierInit(init)) };
            try {
              for (const steps of [1, 6, 13]) {
                const f = await runner.frame(steps, h, schedule);
                for (const kind of ['mse', 'ce'] as const) {
                  const ref = refs[kind];
                  ref.run(steps, h, schedule);
                  const label = `${init} ${JSON.stringify(h)} ${schedule.kind} ${kind} at step ${runner.step}`;
                  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-3 * Math.max(1, Math.abs(b));
                  for (let k = 0; k < 3; k++) assert.ok(close(f.params[kind][k], ref.p[k]), `${label}: param ${k} ${f.params[kind][k]} vs ${ref.p[k]}`);
                  assert.ok(close(f.loss[kind], ref.loss()), `${label}: loss ${f.loss[kind]} vs ${ref.loss()}`);
                  assert.ok(close(f.gradNorm[kind], ref.gradNorm), `${label}: |∇L| ${f.gradNorm[kind]} vs ${ref.gradNorm}`);
                  const acc = ref.accuracy();
                  assert.ok(Math.abs(f.accuracy[kind] - acc.value) <= acc.ambiguous + 1e-6, `${label}: accuracy ${f.accuracy[kind]} vs ${acc.value}`);
                  values += 6;
                }
                frames++;
              }
            } finally {
              runner.dispose();
            }
          }
  assert.equal(frames, 2 * 3 * 2 * 2 * 4 * 3);
  console.log(`learning dynamics, classifier: ${frames} frames, ${values} values compared`);
});

/** Reference logistic regression with the hand-derived MSE and cross-entropy gradients. */
function refClassifier(x: Float32Array, y: Float32Array, kind: 'mse' | 'ce', h: Hyper, steps: number, start: number[]): number[] {
  const p = [...start];
  const v = [0, 0, 0];
  const n = y.length;
  for (let t = 0; t < steps; t++) {
    const g = [0, 0, 0];
    for (let j = 0; j < n; j++) {
      const z = p[0] * x[2 * j] + p[1] * x[2 * j + 1] + p[2];
      const s = 1 / (1 + Math.exp(-z));
      const dz = kind === 'ce' ? s - y[j] : 2 * (s - y[j]) * s * (1 - s);
      g[0] += (dz * x[2 * j]) / n;
      g[1] += (dz * x[2 * j + 1]) / n;
      g[2] += dz / n;
    }
    for (let k = 0; k < 3; k++) {
      v[k] = h.M * v[k] - h.eta * g[k] - h.mu * h.eta * p[k];
      p[k] += v[k];
    }
  }
  return p;
}

test('MSE and cross-entropy units follow the reference; from a confidently wrong start cross-entropy recovers, MSE crawls', async () => {
  let cases = 0;
  for (const init of ['zero', 'wrong'] as const) for (const h of [{ eta: 0.5, M: 0, mu: 0 }, { eta: 0.1, M: 0.9, mu: 0.01 }]) {
    const data = makeBlobs(4, 60);
    const runner = new ClassifierRunner(tf, data, init);
    await runner.frame(12, h, DEFAULT_SCHEDULE);
    const f = await runner.frame(18, h, DEFAULT_SCHEDULE);
    runner.dispose();
    for (const kind of ['mse', 'ce'] as const) {
      const ref = refClassifier(data.x, data.y, kind, h, 30, classifierInit(init));
      for (let k = 0; k < 3; k++) assert.ok(Math.abs(f.params[kind][k] - ref[k]) < 1e-3 * Math.max(1, Math.abs(ref[k])), `${init} ${kind} ${JSON.stringify(h)} param ${k}: ${f.params[kind][k]} vs ${ref[k]}`);
      cases++;
    }
  }
  assert.equal(cases, 8);

  const data = makeBlobs(9, 100);
  const runner = new ClassifierRunner(tf, data, 'wrong');
  const h = { eta: 0.5, M: 0, mu: 0 };
  const start = await runner.frame(1, h, DEFAULT_SCHEDULE);
  const after = await runner.frame(99, h, DEFAULT_SCHEDULE);
  runner.dispose();
  assert.ok(start.gradNorm.ce > 10 * start.gradNorm.mse, `|∇| ce ${start.gradNorm.ce} vs mse ${start.gradNorm.mse}`);
  assert.ok(after.accuracy.ce > 0.9, `ce accuracy ${after.accuracy.ce}`);
  assert.ok(after.accuracy.ce > after.accuracy.mse, `ce ${after.accuracy.ce} vs mse ${after.accuracy.mse}`);
  assert.match(lossChoiceAnswer(start, after, 100), /after 100 steps/);
});

test('no tensor leaks across many frames', async () => {
  const path = new PathRunner(tf, SURFACES.rosenbrock, SURFACES.rosenbrock.start);
  const cls = new ClassifierRunner(tf, makeBlobs(1, 40), 'zero');
  const h = { eta: 0.01, M: 0.9, mu: 0.001 };
  await path.frame(3, h, DEFAULT_SCHEDULE);
  await cls.frame(3, h, DEFAULT_SCHEDULE);
  const before = tf.memory().numTensors;
  for (let n = 0; n < 100; n++) {
    await path.frame(5, h, DEFAULT_SCHEDULE);
    await cls.frame(5, h, DEFAULT_SCHEDULE);
  }
  assert.equal(tf.memory().numTensors, before);
  path.dispose();
  cls.dispose();
});
