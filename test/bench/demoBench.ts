/**
 * Per-update time of each demo on WebGL and on CPU, in one headless Chromium run.
 * Reuses the end-to-end suite's standalone demo page (test/e2e/demoPage.ts: the panel's exact HTML
 * and CSP, served on 127.0.0.1 with a stand-in for `acquireVsCodeApi`) and reads the numbers each
 * demo reports on its status line: the median ms per update for the interactive demos (after
 * driving their control), steps per second for the training demos (shown as ms per step).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { DEMO_IDS, type DemoId } from '../../src/core/demos/mapping';
import { serveDemoPages } from '../e2e/demoPage';

export interface DemoRow {
  readonly demo: string;
  readonly webglMs: number | null;
  readonly cpuMs: number | null;
  /** 'ms per update' (interactive) or 'ms per training step' (from steps/s). */
  readonly unit: string;
  readonly note?: string;
}

export interface DemoBenchResult {
  readonly browser: string;
  readonly rows: readonly DemoRow[];
}

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

interface Status {
  backend?: string;
  ready?: string;
  msPerUpdate?: string;
  stepsPerSecond?: string;
  summary?: string;
  notice: string;
}

async function readStatus(page: Page): Promise<Status> {
  // A string expression: this project compiles without the DOM library.
  return page.evaluate<Status>(`(() => {
    const s = document.getElementById('demo-status');
    const n = document.getElementById('demo-notice');
    return { ...s.dataset, notice: n.hidden ? '' : n.textContent };
  })()`);
}

/** Interactive demos mark the control that drives their update with `data-demo-primary`; training demos have none. */
const PRIMARY_CONTROL = '[data-demo-primary]';

async function measureOne(page: Page, url: string, presses: number): Promise<{ ms: number | null; unit: string; note?: string; backend?: string }> {
  await page.goto(url);
  await page.waitForSelector('#demo-status[data-ready="true"]', { timeout: 240_000 });
  if (await page.$(PRIMARY_CONTROL)) {
    await page.focus(PRIMARY_CONTROL);
    for (let j = 0; j < presses; j++) {
      const before = (await readStatus(page)).summary;
      await page.keyboard.press(j % 2 ? 'ArrowLeft' : 'ArrowRight');
      await page
        .waitForFunction(`document.getElementById('demo-status').dataset.summary !== ${JSON.stringify(before ?? '')}`, undefined, { timeout: 60_000 })
        .catch(() => undefined);
    }
    const s = await readStatus(page);
    return { ms: s.msPerUpdate ? Number(s.msPerUpdate) : null, unit: 'ms per update', backend: s.backend, note: s.notice || undefined };
  }
  // Training demos: let them train, then read their steps per second (a rolling figure).
  await page.waitForFunction(`Number(document.getElementById('demo-status').dataset.stepsPerSecond || 0) > 0`, undefined, { timeout: 120_000 }).catch(() => undefined);
  await page.waitForTimeout(5_000);
  const s = await readStatus(page);
  const sps = Number(s.stepsPerSecond ?? 0);
  return { ms: sps > 0 ? Math.round((1000 / sps) * 100) / 100 : null, unit: 'ms per training step', backend: s.backend, note: s.notice || undefined };
}

/** `ids`: every registered demo unless a subset is asked for (a quick look at one demo's figures). */
export async function benchDemos(root: string, quick: boolean, ids: readonly DemoId[] = DEMO_IDS): Promise<DemoBenchResult | string> {
  const bundle = path.join(root, 'dist', 'webview', 'demos.js');
  if (!fs.existsSync(bundle) || fs.statSync(bundle).size < 1024) return 'not measured: dist/webview/demos.js is missing or empty (run without --no-build)';
  if (!fs.existsSync(CHROMIUM)) return `not measured: ${CHROMIUM} is not installed`;
  const server = await serveDemoPages();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const rows: DemoRow[] = [];
    for (const demo of ids) {
      const result: Record<'webgl' | 'cpu', { ms: number | null; note?: string }> = { webgl: { ms: null }, cpu: { ms: null } };
      let unit = '';
      for (const backend of ['webgl', 'cpu'] as const) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        try {
          const r = await measureOne(page, server.url(demo, backend), quick ? 4 : 12);
          unit = r.unit;
          const ranOn = r.backend === backend ? '' : `asked for ${backend}, ran on ${r.backend ?? 'nothing'}`;
          result[backend] = { ms: r.backend === backend ? r.ms : null, note: [ranOn, r.note].filter(Boolean).join('; ') || undefined };
        } catch (e) {
          result[backend] = { ms: null, note: `${backend}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
        } finally {
          await page.close();
        }
      }
      const note = [result.webgl.note, result.cpu.note].filter(Boolean).join('; ');
      rows.push({ demo, webglMs: result.webgl.ms, cpuMs: result.cpu.ms, unit, ...(note ? { note } : {}) });
    }
    return { browser: `${CHROMIUM} ${browser.version()} (SwiftShader WebGL, headless)`, rows };
  } finally {
    await browser.close();
    await server.close();
  }
}
