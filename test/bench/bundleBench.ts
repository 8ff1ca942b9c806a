/**
 * Sizes of what ships: the extension host bundle and its chunks, the webview bundles (with their
 * chunks), the CLI, the VSIX — with the budgets of issue #15 beside the ones it sets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileSize {
  readonly file: string;
  readonly bytes: number;
}

export interface BundleSizes {
  /** dist/extension.js alone (goal ≤ 300 KB). */
  readonly extensionBytes: number | null;
  /** What the extension host loads at activation: extension.js + dist/extension-parser.js (the chunk it shares with the worker). */
  readonly extensionStartupBytes: number | null;
  /** The parse worker's own file (it loads dist/extension-parser.js too, shared with the extension). */
  readonly workerBytes: number | null;
  /** The chunks the extension loads on first use (preview, hover, diagnostics, export, demo panels, KaTeX). */
  readonly extensionLazyChunks: readonly FileSize[];
  /** The web extension (issue #17): dist/web/extension.js, all it loads at activation (goal ≤ 300 KB). */
  readonly webExtensionBytes: number | null;
  /** Its parse worker, one self-contained file (it runs from a Blob URL, so it shares nothing). */
  readonly webWorkerBytes: number | null;
  /** The web extension's chunks loaded on first use. */
  readonly webLazyChunks: readonly FileSize[];
  readonly previewBytes: number | null;
  /** dist/webview/demos.js plus every demos chunk (tfjs, the host, each demo). */
  readonly demoBytes: number | null;
  readonly demoFiles: readonly string[];
  readonly demoChunks: readonly FileSize[];
  /** The largest of demoChunks (goal ≤ 450 KB). */
  readonly largestDemoChunk: FileSize | null;
  readonly cliBytes: number | null;
  readonly vsixBytes: number | null;
  readonly builtAt: string | null;
  readonly goals: { readonly extensionBytes: number; readonly demoChunkBytes: number };
  readonly note?: string;
}

function sizeOf(file: string): number | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

function jsFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort() : [];
}

export function measureBundles(root: string, note?: string): BundleSizes {
  const dist = path.join(root, 'dist');
  const webview = path.join(dist, 'webview');
  const webviewFiles = jsFiles(webview);
  // Everything of the demo webview: its entry and every chunk but the preview's (which never loads tfjs).
  const demoFiles = webviewFiles.filter((f) => /^demos?([.-]|$)/.test(f) || (/\.chunk\.js$/.test(f) && !/^preview/.test(f)));
  const demoChunks = demoFiles.map((f) => ({ file: `dist/webview/${f}`, bytes: sizeOf(path.join(webview, f)) ?? 0 }));
  const demoBytes = demoChunks.length ? demoChunks.reduce((sum, f) => sum + f.bytes, 0) : null;
  const extension = sizeOf(path.join(dist, 'extension.js'));
  const parser = sizeOf(path.join(dist, 'extension-parser.js'));
  const extensionLazyChunks = jsFiles(dist)
    .filter((f) => f.startsWith('extension-') && f !== 'extension-parser.js' && f !== 'extension-parseWorker.js')
    .map((f) => ({ file: `dist/${f}`, bytes: sizeOf(path.join(dist, f)) ?? 0 }));
  const web = path.join(dist, 'web');
  const webLazyChunks = jsFiles(web)
    .filter((f) => f.startsWith('extension-'))
    .map((f) => ({ file: `dist/web/${f}`, bytes: sizeOf(path.join(web, f)) ?? 0 }));
  const vsix = path.join(root, 'build', 'lectern.vsix');
  const vsixStat = fs.existsSync(vsix) ? fs.statSync(vsix) : undefined;
  return {
    extensionBytes: extension,
    extensionStartupBytes: extension === null ? null : extension + (parser ?? 0),
    workerBytes: sizeOf(path.join(dist, 'extension-parseWorker.js')),
    extensionLazyChunks,
    webExtensionBytes: sizeOf(path.join(web, 'extension.js')),
    webWorkerBytes: sizeOf(path.join(web, 'parseWorker.js')),
    webLazyChunks,
    previewBytes: sizeOf(path.join(webview, 'preview.js')),
    demoBytes,
    demoFiles: demoChunks.map((f) => f.file),
    demoChunks,
    largestDemoChunk: demoChunks.reduce<FileSize | null>((max, f) => (max === null || f.bytes > max.bytes ? f : max), null),
    cliBytes: sizeOf(path.join(dist, 'cli.js')),
    vsixBytes: vsixStat ? vsixStat.size : null,
    builtAt: vsixStat ? vsixStat.mtime.toISOString() : null,
    goals: { extensionBytes: 300_000, demoChunkBytes: 450_000 },
    ...(note ? { note } : {}),
  };
}
