/** Sizes of what ships: the extension host bundle, the webview bundles (with their chunks), the VSIX. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BundleSizes {
  readonly extensionBytes: number | null;
  readonly previewBytes: number | null;
  /** dist/webview/demos.js plus every demos chunk (lazy-loaded demo modules, tfjs). */
  readonly demoBytes: number | null;
  readonly demoFiles: readonly string[];
  readonly cliBytes: number | null;
  readonly vsixBytes: number | null;
  readonly builtAt: string | null;
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

export function measureBundles(root: string, note?: string): BundleSizes {
  const dist = path.join(root, 'dist');
  const webview = path.join(dist, 'webview');
  const webviewFiles = fs.existsSync(webview) ? fs.readdirSync(webview).filter((f) => f.endsWith('.js')).sort() : [];
  // The demo entry and the chunks it splits off; the preview bundle never loads tfjs.
  const demoFiles = webviewFiles.filter((f) => /^demos?([.-]|$)/.test(f) || (/\.chunk\.js$/.test(f) && !/^preview/.test(f)));
  const demoBytes = demoFiles.length ? demoFiles.reduce((sum, f) => sum + (sizeOf(path.join(webview, f)) ?? 0), 0) : null;
  const vsix = path.join(root, 'build', 'lectern.vsix');
  const vsixStat = fs.existsSync(vsix) ? fs.statSync(vsix) : undefined;
  return {
    extensionBytes: sizeOf(path.join(dist, 'extension.js')),
    previewBytes: sizeOf(path.join(webview, 'preview.js')),
    demoBytes,
    demoFiles: demoFiles.map((f) => `dist/webview/${f}`),
    cliBytes: sizeOf(path.join(dist, 'cli.js')),
    vsixBytes: vsixStat ? vsixStat.size : null,
    builtAt: vsixStat ? vsixStat.mtime.toISOString() : null,
    ...(note ? { note } : {}),
  };
}
