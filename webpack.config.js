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

/** @param {string} configFile */
const tsRule = (configFile) => ({
  test: /\.ts$/,
  exclude: /node_modules/,
  use: [{ loader: 'ts-loader', options: { transpileOnly: true, configFile } }],
});

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

  /** @type {import('webpack').Configuration} */
  const extension = {
    ...common,
    name: 'extension',
    target: 'node',
    entry: {
      extension: './src/extension/extension.ts',
      // Parses big notes on a worker thread so the extension host never blocks on them.
      'extension-parseWorker': './src/extension/todos/parseWorker.ts',
    },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      chunkFilename: 'extension-[name].js',
      libraryTarget: 'commonjs2',
    },
    externals: { vscode: 'commonjs vscode' },
    module: { rules: [tsRule(path.resolve(__dirname, 'tsconfig.json'))] },
  };

  /** @type {import('webpack').Configuration} */
  const cli = {
    ...common,
    name: 'cli',
    target: 'node',
    entry: { cli: './src/cli/main.ts' },
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', libraryTarget: 'commonjs2' },
    // KaTeX is evaluated on first use only (see src/cli/lazyKatex.ts): `todos` starts without it.
    resolve: { ...common.resolve, alias: { katex$: path.resolve(__dirname, 'src/cli/lazyKatex.ts') } },
    module: { rules: [tsRule(path.resolve(__dirname, 'tsconfig.json'))] },
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
      demos: './src/webview/demos/main.ts',
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

  return [extension, cli, webviews];
};
