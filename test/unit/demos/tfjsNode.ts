import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as ts from 'typescript';

/**
 * tfjs-core on its pure-JS CPU backend with exactly the kernels and gradients the demo webview
 * registers (src/webview/demos/tfjsKernels.ts, the one list) — not the whole backend package — so a
 * demo whose numeric core needs a kernel missing from that list fails its unit test here with
 * "Kernel 'X' not registered for backend 'cpu'", instead of failing in a panel.
 *
 * The list is webview code (compiled only by webpack), so it is transpiled here to an ES module
 * beside this file and imported from tfjs's ES module files (tfjsEsm.mjs explains how); both
 * paths lead back into test/ and src/ because tsc copies neither `.mjs` files nor webview code.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

export interface DemoKernels {
  readonly KERNELS: readonly (readonly [tf.KernelConfig, tf.KernelConfig])[];
  readonly GRADIENTS: readonly tf.GradConfig[];
  registerDemoKernels(): void;
}

let loaded: Promise<DemoKernels> | undefined;

/** The demos' kernel list module, loaded once per process. */
export function demoKernels(): Promise<DemoKernels> {
  loaded ??= (async () => {
    const source = fs.readFileSync(path.join(repoRoot, 'src', 'webview', 'demos', 'tfjsKernels.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      fileName: 'tfjsKernels.ts',
    });
    const out = path.join(__dirname, 'tfjsKernels.generated.mjs');
    fs.writeFileSync(out, outputText);
    const loader = path.join(repoRoot, 'test', 'unit', 'demos', 'tfjsEsm.mjs');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { importTfjsEsm } = require(loader) as { importTfjsEsm: (url: string) => Promise<DemoKernels> };
    return importTfjsEsm(pathToFileURL(out).href);
  })();
  return loaded;
}

export async function cpuTf(): Promise<typeof tf> {
  (await demoKernels()).registerDemoKernels();
  tf.env().set('IS_TEST', true);
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs CPU backend unavailable');
  return tf;
}
