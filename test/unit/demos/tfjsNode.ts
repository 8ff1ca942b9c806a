import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/**
 * tfjs-core on its pure-JS CPU backend with every gradient registered, for the training demos'
 * tests. The gradient loader is an ES module kept next to the TypeScript sources (tsc does not copy
 * `.mjs` files to out/), hence the path back into test/.
 */
export async function cpuTf(): Promise<typeof tf> {
  const loader = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'unit', 'demos', 'tfjsGradients.mjs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { registerAllGradients } = require(loader) as { registerAllGradients: () => Promise<unknown> };
  await registerAllGradients();
  tf.env().set('IS_TEST', true);
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs CPU backend unavailable');
  return tf;
}
