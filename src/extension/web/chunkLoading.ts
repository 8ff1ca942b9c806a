/**
 * How the web bundle loads its lazy chunks (the preview, the hover, the diagnostics, KaTeX, …).
 * The browser's extension host evaluates an extension with its own CommonJS shim and blocks
 * `importScripts`; it does route `fetch` of the extension's `vscode-remote:`/`file:` URIs, and it
 * evaluates extensions with `new Function` itself. So a chunk is fetched from the extension's
 * folder and run the same way. webpack.config.js builds this bundle with `chunkLoading: 'jsonp'`,
 * whose only browser-specific step is `__webpack_require__.l` (a `<script>` tag): replaced here.
 */

interface WebpackRequire {
  /** Loads the chunk script at `url`; `done` gets a `load` or `error` event. */
  l(url: string, done: (event: { type: string; target: { src: string } }) => void, key: string, chunkId: string | number): void;
}
declare const __webpack_require__: WebpackRequire;
// eslint-disable-next-line no-var
declare var __webpack_public_path__: string;

/** Points the chunk loader at `<extension>/dist/web/`; call before the first `import()`. */
export function setUpChunkLoading(extensionUri: { toString(): string }): void {
  __webpack_public_path__ = `${extensionUri.toString().replace(/\/$/, '')}/dist/web/`;
  const loading = new Map<string, Promise<void>>();
  __webpack_require__.l = (url, done) => {
    let load = loading.get(url);
    if (!load) {
      load = fetch(url).then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
        // The chunk registers itself with the runtime (webpack's array-push format).
        // Evaluated as the host evaluates the extension itself; only Lectern's own bundled files,
        // from its own folder, ever come here (webpack's runtime builds the URL from the chunk id).
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        const run = new Function(`${await response.text()}\n//# sourceURL=${url}`) as () => void;
        run();
      });
      load.catch(() => loading.delete(url));
      loading.set(url, load);
    }
    load.then(
      () => done({ type: 'load', target: { src: url } }),
      () => done({ type: 'error', target: { src: url } }),
    );
  };
}
