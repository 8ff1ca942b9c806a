/**
 * Per-update time of each demo on WebGL and on CPU, in one headless Chromium run.
 * Filled in once the demo host (src/webview/demos) and its bundle exist; until then the bench
 * records why it could not measure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DemoRow {
  readonly demo: string;
  readonly webglMs: number | null;
  readonly cpuMs: number | null;
  readonly note?: string;
}

export interface DemoBenchResult {
  readonly browser: string;
  readonly rows: readonly DemoRow[];
}

export async function benchDemos(root: string, _quick: boolean): Promise<DemoBenchResult | string> {
  const bundle = path.join(root, 'dist', 'webview', 'demos.js');
  if (!fs.existsSync(bundle) || fs.statSync(bundle).size < 1024) return 'not measured: dist/webview/demos.js is missing or empty (demo host not built yet)';
  return 'not measured: the demo host does not expose a measurable entry yet';
}
