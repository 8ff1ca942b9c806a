/**
 * What `@vscode/markdown-it-katex`'s own top-level `require('katex')` resolves to in the bundles
 * (webpack.config.js). Lectern always hands the plugin its KaTeX through the `katex` option
 * (src/core/engine.ts), so the plugin's default is dead code; resolving it to the real package
 * would load and evaluate all of KaTeX in every bundle that only parses (the extension's start-up,
 * the parse worker, `lectern todos`). Plain Node (the unit tests) still resolves the real package.
 */
const pluginDefaultKatex = {
  renderToString(): never {
    throw new Error("Lectern: @vscode/markdown-it-katex used its own KaTeX; pass Lectern's through the `katex` option");
  },
};

export default pluginDefaultKatex;
