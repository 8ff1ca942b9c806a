// Imports the demos' TensorFlow.js setup (src/webview/demos/tfjsKernels.ts, transpiled to an ES
// module by tfjsNode.ts) in Node, from tfjs's ES module files — the same files webpack bundles.
//
// Those files import each other without the `.js` extension, which Node's ESM resolver refuses
// (`./backend_cpu`, `@tensorflow/tfjs-backend-cpu/dist/kernels/Abs`): a resolve hook adds it for
// files under @tensorflow. A bare `@tensorflow/tfjs-core` still resolves to the package's CommonJS
// build, the very instance the tests `require`, so the kernels and gradients registered here are
// the ones the tests' `tf` dispatches to (tfjs keeps its registries on `globalThis`).
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  const relative = specifier.startsWith('./') || specifier.startsWith('../');
  const fromTfjs = relative && context.parentURL && context.parentURL.includes('/@tensorflow/');
  const deepTfjs = /^@tensorflow\\/[^/]+\\/dist\\//.test(specifier);
  if ((fromTfjs || deepTfjs) && !/\\.[cm]?js$/.test(specifier)) {
    try { return await next(specifier + '.js', context); } catch { return next(specifier + '/index.js', context); }
  }
  return next(specifier, context);
}`;

let registered = false;
export function importTfjsEsm(url) {
  if (!registered) {
    register('data:text/javascript,' + encodeURIComponent(hook));
    registered = true;
  }
  return import(url);
}
