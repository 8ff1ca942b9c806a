/**
 * The CLI bundle's `katex` (webpack aliases `katex` to this file for the CLI only): KaTeX is
 * evaluated the first time a formula is rendered or checked, not at start-up. The parser needs the
 * math plugin, which requires `katex` at its top; `lectern todos` and `sections` never render a
 * formula, so they no longer pay for evaluating KaTeX (a third of the CLI's start-up).
 *
 * `__esModule` is answered without loading: interop helpers ask for it when the module is
 * required, and KaTeX's CommonJS build does not set it either.
 */
// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- a type-only view of the module this file stands in for
type Katex = typeof import('katex');

let real: Katex | undefined;
function load(): Katex {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, synchronously: the point of this module
  real ??= require('katex/dist/katex.js') as Katex;
  return real;
}

const lazyKatex = new Proxy({} as Katex, {
  get: (_target, key): unknown => (key === '__esModule' ? undefined : Reflect.get(load(), key)),
  has: (_target, key) => Reflect.has(load(), key),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_target, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
    return descriptor ? { ...descriptor, configurable: true } : undefined;
  },
});

// An ES module's default export: the bundles are compiled as ES modules (webpack.config.js `tsRule`),
// where `export =` gave webpack no default export at all, and every formula failed to render in the
// built CLI ("Cannot read properties of undefined (reading 'renderToString')").
export default lazyKatex;
