import { errorMessage } from '../../core/errors';
/**
 * Entry of the demo webview (dist/webview/demos.js): only webpack's chunk loader and this. It loads
 * the host (src/webview/demos/main.ts) and TensorFlow.js as lazily loaded chunks, which keeps
 * every file the panel downloads small (the size budget of issue #15: ≤ 450 KB per chunk):
 *   demos-host      the host: page config, backend choice, status line, "Use as answer";
 *   tfjs-core       tfjs-core with the demos' gradients;
 *   tfjs-backends   the CPU and WebGL backends with only the demos' kernels (./tfjsKernels.ts);
 *   demos-shared    code the demos share (controls, the training kit);
 *   demo-<id>-index each demo's own code, fetched when its panel opens.
 * The split itself is in webpack.config.js.
 */
// webpack puts this nonce on the <script> tags of lazily loaded chunks (the CSP allows scripts by nonce only).
declare let __webpack_nonce__: string;
__webpack_nonce__ = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';

void import(/* webpackChunkName: "demos-host" */ './main').catch((err: unknown) => {
  const status = document.getElementById('demo-status');
  if (status) status.textContent = `The demo could not load: ${errorMessage(err)}`;
});
