// @ts-check
'use strict';
/**
 * Two kinds of targets, one config:
 *  - Node bundles for the extension host (`vscode` external) and the `lectern` CLI;
 *  - browser bundles for the webviews (preview, demos), built from ESM sources so that nothing
 *    needs `eval` under the webviews' strict CSP.
 */
const path = require('path');
const webpack = require('webpack');
const CopyPlugin = require('copy-webpack-plugin');

/**
 * TypeScript for every bundle is emitted as ES modules (the tsconfig's `commonjs` is for `tsc -p .`,
 * which compiles the tests for plain Node): webpack then sees `import()` as a split point instead of
 * the `require` that `commonjs` turns it into, and can drop unused exports.
 * @param {string} configFile
 */
const tsRule = (configFile) => ({
  test: /\.ts$/,
  exclude: /node_modules/,
  use: [{ loader: 'ts-loader', options: { transpileOnly: true, configFile, compilerOptions: { module: 'es2022' } } }],
});

/**
 * KaTeX only where math is rendered. The math plugin requires `katex` at its top level although
 * Lectern always passes its own KaTeX in (src/core/engine.ts): resolve the plugin's require to a
 * stand-in so that parsing (TODO tree, parse worker, `lectern todos`) neither bundles nor evaluates
 * KaTeX; renderers import the real package themselves, in lazily loaded chunks.
 */
const pluginKatexRule = {
  test: /[\\/]@vscode[\\/]markdown-it-katex[\\/]/,
  resolve: { alias: { katex$: path.resolve(__dirname, 'src/core/pluginKatex.ts') } },
};

/**
 * src/core is pure (STYLE.md): no module does anything when loaded. Saying so lets webpack skip
 * the barrel's (src/core/index.ts) re-exports a bundle does not use, e.g. `checkMath` and its KaTeX
 * in the extension's start-up chunk.
 */
const coreIsPureRule = { test: /[\\/]src[\\/]core[\\/]/, sideEffects: false };

/** @type {(env: unknown, argv: { mode?: string }) => import('webpack').Configuration[]} */
module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  const common = {
    mode: production ? 'production' : 'development',
    devtool: production ? false : 'source-map',
    resolve: { extensions: ['.ts', '.js'] },
    performance: { hints: false },
    infrastructureLogging: { level: 'warn' },
  };

  /** Lectern's own TypeScript (every bundle but the webviews', which have their own tsconfig). */
  const ownModule = { rules: [tsRule(path.resolve(__dirname, 'tsconfig.json')), pluginKatexRule, coreIsPureRule] };

  /**
   * The extension, for either extension host: `vscode` is external; lazily loaded chunks are
   * `extension-<name>.js`, with stable, readable names (the `webpackChunkName` of each `import()`):
   * extension-preview.js, …; KaTeX, shared by the lazily loaded preview, hover, diagnostics and demo
   * panels, is one chunk of its own. `output`, `splitChunks` and `cacheGroups` (put before KaTeX's)
   * add to that; the rest of `host` (name, target, entry, …) is the host's own.
   * @param {import('webpack').Configuration & { splitChunks?: object, cacheGroups?: object }} host
   * @returns {import('webpack').Configuration}
   */
  const extensionBundle = ({ output, splitChunks, cacheGroups, ...host }) => ({
    ...common,
    ...host,
    output: { filename: '[name].js', chunkFilename: 'extension-[name].js', ...output },
    externals: { vscode: 'commonjs vscode' },
    module: ownModule,
    optimization: {
      chunkIds: 'named',
      splitChunks: {
        ...splitChunks,
        cacheGroups: {
          default: false,
          defaultVendors: false,
          ...cacheGroups,
          katex: { name: 'katex', test: /[\\/]node_modules[\\/]katex[\\/]/, chunks: 'async', enforce: true },
        },
      },
    },
  });

  /**
   * The browser's web worker, where both web bundles run (the extension in the web-worker extension
   * host, the parse worker in a worker of its own).
   */
  const webWorker = {
    target: 'webworker',
    // No `global` shim: nothing needs one, and webpack's falls back to `new Function`.
    node: { global: false },
    resolve: { ...common.resolve, mainFields: ['browser', 'module', 'main'] },
  };

  /** The desktop (Node) extension host's bundle, and the parse worker it starts on a worker thread. */
  const extension = extensionBundle({
    name: 'extension',
    target: 'node',
    entry: {
      extension: './src/extension/extension.ts',
      // Parses big notes on a worker thread so the extension host never blocks on them.
      'extension-parseWorker': './src/extension/todos/parseWorker.ts',
    },
    output: {
      path: path.resolve(__dirname, 'dist'),
      libraryTarget: 'commonjs2',
      // Drop extension chunks a previous build left behind (the VSIX takes every dist/extension-*.js);
      // the CLI's and the webviews' files belong to their own targets.
      clean: { keep: /^(?!extension)/ },
    },
    // Group modules regardless of which of their exports each entry uses: otherwise a module
    // the worker uses less of (src/core/engine.ts) is copied into both instead of shared.
    splitChunks: { usedExports: false },
    cacheGroups: {
      // What the extension and the parse worker both run (markdown-it, the parser): one copy,
      // dist/extension-parser.js, loaded by each at start.
      parser: { name: 'extension-parser', chunks: 'initial', minChunks: 2, enforce: true },
    },
  });

  /**
   * The web extension (`browser` in package.json) for the browser's web-worker extension host
   * (vscode.dev, github.dev, code-server): the same features from the same sources, entered through
   * src/extension/web/extension.web.ts. No Node built-in is polyfilled or stubbed: one imported by
   * mistake fails this build (and test/unit/webBundle.test.ts reads the output for any that slip
   * through). That host blocks `importScripts`, so lazy chunks use the `jsonp` format, loaded by
   * src/extension/web/chunkLoading.ts through `fetch`.
   */
  const web = extensionBundle({
    ...webWorker,
    name: 'web',
    entry: { extension: './src/extension/web/extension.web.ts' },
    output: {
      path: path.resolve(__dirname, 'dist', 'web'),
      library: { type: 'commonjs' },
      chunkLoading: 'jsonp',
      chunkFormat: 'array-push',
      // The host's global scope is shared by every web extension: a name of Lectern's own.
      chunkLoadingGlobal: 'lecternWebChunks',
      globalObject: 'globalThis',
      // Set at activation from the extension's URI (chunkLoading.ts); 'auto' would throw in that host.
      publicPath: '',
      // dist/web is the web targets' alone (the parse worker's file is the other target's).
      clean: { keep: /^parseWorker\.js$/ },
    },
  });

  /**
   * The web extension's parse worker: one self-contained file, because it runs from a Blob URL
   * (src/extension/web/webWorkerHost.ts) where nothing can be loaded relative to it.
   * @type {import('webpack').Configuration}
   */
  const webParseWorker = {
    ...common,
    ...webWorker,
    name: 'web-parseWorker',
    entry: { parseWorker: './src/extension/web/parseWorker.web.ts' },
    output: { path: path.resolve(__dirname, 'dist', 'web'), filename: '[name].js', globalObject: 'globalThis' },
    module: ownModule,
  };

  /** @type {import('webpack').Configuration} */
  const cli = {
    ...common,
    name: 'cli',
    target: 'node',
    entry: { cli: './src/cli/main.ts' },
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', chunkFilename: 'cli-[name].js', libraryTarget: 'commonjs2' },
    // KaTeX is evaluated on first use only (see src/cli/lazyKatex.ts): `todos` starts without it.
    resolve: { ...common.resolve, alias: { katex$: path.resolve(__dirname, 'src/cli/lazyKatex.ts') } },
    module: ownModule,
    optimization: { chunkIds: 'named' },
    plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true })],
  };

  /** @type {import('webpack').Configuration} */
  const webviews = {
    ...common,
    name: 'webviews',
    target: 'web',
    // No `global` shim: webpack's shim falls back to `new Function('return this')`, which the
    // webviews' CSP forbids (and which must not appear in the bundles at all).
    node: { global: false },
    // Each webview gets its own bundle: the preview never loads tfjs.
    entry: {
      preview: './src/webview/preview/main.ts',
      // A small loader; the host, TensorFlow.js and each demo are lazily loaded chunks (see the file).
      demos: './src/webview/demos/bootstrap.ts',
    },
    output: {
      path: path.resolve(__dirname, 'dist', 'webview'),
      filename: '[name].js',
      chunkFilename: '[name].chunk.js',
      publicPath: 'auto',
      // dist/webview belongs to this target alone: drop chunks a previous build left behind.
      clean: true,
    },
    module: { rules: [tsRule(path.resolve(__dirname, 'src/webview/tsconfig.json'))] },
    optimization: {
      // Every demo chunk ≤ 450 KB (issue #15, measured by `npm run bench`): TensorFlow.js (only the
      // kernels in src/webview/demos/tfjsKernels.ts) in two shared chunks, one per package kind,
      // the code the demos share in a third, each demo's own code in its own `demo-<id>-index`.
      splitChunks: {
        cacheGroups: {
          default: false,
          defaultVendors: false,
          tfjsCore: { name: 'tfjs-core', test: /[\\/]@tensorflow[\\/]tfjs-core[\\/]/, chunks: 'async', enforce: true },
          tfjsBackends: { name: 'tfjs-backends', test: /[\\/]@tensorflow[\\/]tfjs-backend-/, chunks: 'async', enforce: true },
          demosShared: { name: 'demos-shared', test: /[\\/]src[\\/]/, chunks: 'async', minChunks: 2, enforce: true },
        },
      },
    },
    plugins: [
      // KaTeX's stylesheet and fonts for the preview and the HTML export (math is rendered on the
      // host; the webview only needs CSS + fonts). woff2 only: every supported browser reads it.
      new CopyPlugin({
        patterns: [
          { from: require.resolve('katex/dist/katex.min.css'), to: 'katex/katex.min.css' },
          { from: path.join(path.dirname(require.resolve('katex/dist/katex.min.css')), 'fonts', '*.woff2'), to: 'katex/fonts/[name][ext]' },
        ],
      }),
    ],
  };

  return [extension, web, webParseWorker, cli, webviews];
};
