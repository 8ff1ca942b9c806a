import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cpuTf, demoKernels } from './tfjsNode';

/**
 * The demos' kernel list (src/webview/demos/tfjsKernels.ts) and the rule that keeps it honest: every
 * demo's numeric core (src/core/demos/*.ts using tfjs) is tested on the CPU backend with only these
 * kernels registered (`cpuTf()`), so a kernel a demo needs but the list lacks fails a unit test.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

test('each kernel is listed once, with its CPU and its WebGL config', async () => {
  const { KERNELS } = await demoKernels();
  const names = KERNELS.map(([cpu, webgl]) => {
    assert.equal(cpu.backendName, 'cpu', cpu.kernelName);
    assert.equal(webgl.backendName, 'webgl', webgl.kernelName);
    assert.equal(webgl.kernelName, cpu.kernelName);
    return cpu.kernelName;
  });
  assert.deepEqual(names, [...new Set(names)].sort(), 'kernel names unique and in alphabetical order');
});

test('each gradient belongs to a listed kernel', async () => {
  const { KERNELS, GRADIENTS } = await demoKernels();
  const kernels = new Set(KERNELS.map(([cpu]) => cpu.kernelName));
  const gradients = GRADIENTS.map((g) => g.kernelName);
  assert.deepEqual(gradients.filter((name) => !kernels.has(name)), [], 'gradients of kernels that are not registered');
  assert.equal(new Set(gradients).size, gradients.length, 'a gradient listed twice');
});

test('cpuTf() runs on exactly the listed kernels, nothing from the whole backend package', async () => {
  const tf = await cpuTf();
  const { KERNELS } = await demoKernels();
  const registered = tf.getKernelsForBackend('cpu').map((k) => k.kernelName).sort();
  assert.deepEqual(registered, KERNELS.map(([cpu]) => cpu.kernelName).sort());
  assert.equal(tf.getBackend(), 'cpu');
  // A kernel the demos do not use is not there: the test would not notice a missing one otherwise.
  assert.throws(() => tf.tidy(() => tf.cos(tf.scalar(1))), /Kernel 'Cos' not registered for backend 'cpu'/);
});

test("every demo's numeric core has a unit test that runs on cpuTf()", () => {
  const coreDir = path.join(repoRoot, 'src', 'core', 'demos');
  const testDir = path.join(repoRoot, 'test', 'unit', 'demos');
  const usesTfjs = fs.readdirSync(coreDir).filter((f) => f.endsWith('.ts') && /from '@tensorflow\/tfjs-core'/.test(fs.readFileSync(path.join(coreDir, f), 'utf8')));
  assert.ok(usesTfjs.length >= 4, `demo cores found: ${usesTfjs.join(', ')}`);
  for (const file of usesTfjs) {
    const testFile = path.join(testDir, file.replace(/\.ts$/, '.test.ts'));
    assert.ok(fs.existsSync(testFile), `src/core/demos/${file} has no test/unit/demos/${path.basename(testFile)}`);
    assert.match(fs.readFileSync(testFile, 'utf8'), /\bcpuTf\(\)/, `${path.basename(testFile)} does not run on cpuTf()`);
  }
  // Loading a backend package whole would register every kernel and hide a missing one.
  for (const file of fs.readdirSync(testDir).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(testDir, file), 'utf8');
    assert.doesNotMatch(text, /['"]@tensorflow\/tfjs-backend-(cpu|webgl)['"]|register_all_(kernels|gradients)/, `${file} loads all of a tfjs backend or all gradients`);
  }
});
