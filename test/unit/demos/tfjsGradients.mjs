// Loads tfjs-core's gradient registrations in Node for the demo tests.
//
// tfjs-core's CommonJS build (what `require('@tensorflow/tfjs-core')` gives Node) ships no
// gradients; they exist only as ES modules whose relative imports omit the `.js` extension, which
// Node's ESM resolver refuses. A resolve hook adds the extension for files inside @tensorflow, then
// a real dynamic import registers every gradient into tfjs's global registry (shared with the
// CommonJS instance through `globalThis._tfengine` / the global gradient map).
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  const relative = specifier.startsWith('./') || specifier.startsWith('../');
  if (relative && context.parentURL && context.parentURL.includes('/@tensorflow/') && !/\\.[cm]?js$/.test(specifier)) {
    try { return await next(specifier + '.js', context); } catch { return next(specifier + '/index.js', context); }
  }
  return next(specifier, context);
}`;

let loaded;
export function registerAllGradients() {
  if (!loaded) {
    register('data:text/javascript,' + encodeURIComponent(hook));
    loaded = import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  }
  return loaded;
}
