/**
 * The lecture preview, math diagnostics and math hover in a real VS Code (code-server) driven by
 * headless Chromium: the notes render with KaTeX and no error; a broken formula shows as an inline
 * error in the preview, a squiggle + a Problems entry at its range; hovering a formula shows it as
 * an image that actually loads; the preview follows edits. Timings are reported, never asserted.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { checkScrollSync, exthostErrors, readManifest, repoRoot, startVSCode, type VSCodeSession } from './lib';

const notes = 'iacv-lectures-08-14.md';
const broken = 'broken-math.md';
const BROKEN_NOTE = ['# Planted errors', '', 'A fine formula $x^2 + y^2$ here.', '', 'A broken one $\\frac{a}{b$ there.', '', '$$', '\\sum_{i=1}^{n} \\badmacro{i}', '$$', ''].join('\n');

/** Formulas in the notes, counted the way the preview counts them (`$…$`, `$$…$$`, ```math). */
function expectedFormulaCount(): number {
  const text = fs.readFileSync(path.join(repoRoot, 'notes', notes), 'utf8');
  // A lower bound that needs no parser: display blocks plus inline pairs on lines outside code fences.
  let inFence = false;
  let count = 0;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    if (/^\s*\$\$\s*$/.test(line)) count += 0.5;
  }
  return Math.floor(count);
}

interface PreviewCounts {
  katex: number;
  errors: number;
  lines: number;
  todos: number;
  styled: number;
  leftoverStyleAttrs: number;
  themed: boolean;
  fontLoaded: boolean;
}

/** Pixels of a PNG that differ clearly from its top-left pixel, decoded in a scratch page. */
async function countInkedPixels(vscode: VSCodeSession, png: Buffer): Promise<{ inked: number; total: number }> {
  const scratch = await vscode.browser.newPage();
  try {
    return await scratch.evaluate<{ inked: number; total: number }>(`(async () => {
      const img = new Image();
      img.src = 'data:image/png;base64,${png.toString('base64')}';
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        const d = Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]);
        if (d > 96) inked++;
      }
      return { inked, total: data.length / 4 };
    })()`);
  } finally {
    await scratch.close();
  }
}

describe('Lectern preview in VS Code (code-server)', () => {
  let vscode: VSCodeSession;
  let preview: Frame;

  before(async () => {
    vscode = await startVSCode({
      name: 'preview',
      openFile: notes,
      files: { [broken]: BROKEN_NOTE },
      settings: { 'workbench.colorTheme': 'Default Dark Modern' },
    });
  });
  after(async () => {
    await vscode?.close();
  });

  test(`the preview of notes/${notes} shows rendered math and no KaTeX error`, async (t) => {
    const activation = await vscode.activation();
    t.diagnostic(`activation: activate() ${activation.activateMs} ms, load + activate ${activation.loadAndActivateMs} ms (${activation.activationEvent})`);
    const started = Date.now();
    await vscode.runCommand('Lectern: Open Preview to the Side');
    // `lectern-ready`: the preview script has run (styles applied, scroll sync indexed).
    preview = await vscode.waitForWebviewFrame({ selector: 'body.lectern-ready #lectern-content .katex', timeoutMs: 60_000 });
    t.diagnostic(`preview visible ${Date.now() - started} ms after the command (wall clock, includes the webview's startup)`);
    const rendered = await vscode.waitForLog(
      /Preview of iacv-lectures-08-14\.md rendered in ([\d.]+) ms after ([\d.]+) ms of KaTeX warm-up \((\d+) of (\d+) formulas through KaTeX, (\d+) errors\)/,
    );
    t.diagnostic(`host render: ${rendered[1]} ms after ${rendered[2]} ms warm-up, ${rendered[3]}/${rendered[4]} formulas through KaTeX, ${rendered[5]} errors`);

    // A string expression: this project compiles without the DOM library.
    const counts = await preview.evaluate<PreviewCounts>(`(() => {
      const q = (s) => document.querySelectorAll('#lectern-content ' + s).length;
      return {
        katex: q('.katex'),
        errors: q('.katex-error'),
        lines: q('[data-line]'),
        todos: q('.lectern-todo-open'),
        // KaTeX lays fractions out with inline styles: applied through the CSSOM, they must be there.
        styled: q('.katex .vlist[style*="height"]'),
        leftoverStyleAttrs: q('[data-lectern-style]'),
        themed: document.body.classList.contains('vscode-dark'),
        fontLoaded: document.fonts.check('16px KaTeX_Main'),
      };
    })()`);
    await vscode.screenshot('preview-notes');
    t.diagnostic(JSON.stringify(counts));
    assert.ok(counts.katex >= Math.max(10, expectedFormulaCount()), `only ${counts.katex} rendered formulas`);
    assert.equal(counts.errors, 0, 'KaTeX errors in the preview of the notes');
    assert.equal(Number(rendered[5]), 0);
    assert.ok(counts.lines > 20, 'blocks carry data-line');
    assert.ok(counts.todos > 0, 'open TODOs show as badges');
    assert.ok(counts.styled > 0, 'KaTeX layout styles applied');
    assert.equal(counts.leftoverStyleAttrs, 0);
    assert.ok(counts.themed, 'the webview follows the dark theme');

    const ours = vscode.cspViolations.filter((v) => /lectern|vscode-resource|vscode-cdn|webview/.test(`${v.documentURI} ${v.sourceFile}`));
    assert.deepEqual(ours, [], 'CSP violations in the preview');
  });

  test('editor and preview scroll together by source line, both ways', async (t) => {
    await checkScrollSync(vscode, preview, t);
  });

  test('a planted broken formula shows in the preview and in Problems at its range', async (t) => {
    await vscode.openFile(broken);
    // The preview follows the active Markdown editor (the same webview, updated by a message).
    preview = await vscode.waitForWebviewFrame({ selector: 'body.lectern-ready #lectern-content .katex-error', timeoutMs: 30_000 });
    const errors = await preview.$$eval('#lectern-content .katex-error', (nodes) => nodes.map((n) => n.textContent ?? ''));
    await vscode.screenshot('preview-broken');
    t.diagnostic(errors.join(' | '));
    assert.equal(errors.length, 2);
    assert.match(errors[0], /^KaTeX parse error: /);
    assert.match(errors[1], /\\badmacro/);
    assert.equal(await preview.locator('#lectern-content .katex:not(.katex-error)').count(), 1, 'the fine formula still renders');

    // Squiggles in the editor, then the Problems panel.
    await vscode.page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await vscode.runCommand('Problems: Focus on Problems View');
    const rows = vscode.page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: 'badmacro' }).first().waitFor({ timeout: 30_000 });
    const texts = await rows.allTextContents();
    await vscode.screenshot('problems');
    t.diagnostic(texts.join(' | '));
    // Every Lectern diagnostic has the source `Lectern` (the row reads "message Lectern code [Ln, Col]").
    const katexRows = texts.filter((r) => /Lectern(?:undefined-macro)?\[Ln \d+, Col \d+\]/.test(r));
    assert.equal(katexRows.length, 2, 'two KaTeX problems, from the source Lectern');
    // Exact positions: `\badmacro` starts at column 16 of line 8 (1-based), `\frac{a}{b$` ends on line 5.
    assert.ok(katexRows.some((r) => /Undefined control sequence: \\badmacro/.test(r) && /\[Ln 8, Col 16\]/.test(r)), texts.join(' | '));
    assert.ok(katexRows.some((r) => /\[Ln 5, Col \d+\]/.test(r)), texts.join(' | '));
  });

  test('hovering a formula shows it rendered as an image', async (t) => {
    const editor = vscode.page.locator('.editor-group-container.active .monaco-editor').first();
    const line = editor.locator('.view-line', { hasText: 'A fine formula' });
    await line.waitFor({ timeout: 10_000 });
    const box = await line.boundingBox();
    assert.ok(box);
    // Hover over the `x` of `$x^2 + y^2$`: find its span in the rendered line.
    const target = line.locator('span', { hasText: /^\$?x\^2/ }).last();
    const targetBox = (await target.count()) > 0 ? await target.boundingBox() : null;
    const x = targetBox ? targetBox.x + Math.min(12, targetBox.width / 2) : box.x + 140;
    await vscode.page.mouse.move(x, box.y + box.height / 2);
    const image = vscode.page.locator('.monaco-hover img[src^="data:image/svg+xml"]').first();
    await image.waitFor({ state: 'visible', timeout: 20_000 });
    const size = await image.evaluate((img: { naturalWidth: number; naturalHeight: number; complete: boolean }) => ({
      width: img.naturalWidth,
      height: img.naturalHeight,
      complete: img.complete,
    }));
    t.diagnostic(`hover image ${size.width}×${size.height}`);
    assert.ok(size.complete && size.width > 0 && size.height > 0, 'the SVG image decodes');
    // Decoding is not painting: screenshot the image as shown and count pixels that differ from
    // its background (decoded in a blank page, where a PNG from a data URL can be read back).
    const shot = await image.screenshot({ path: path.join(vscode.screenshotDir, 'hover-image.png') });
    await vscode.screenshot('hover-formula');
    const inked = await countInkedPixels(vscode, shot);
    t.diagnostic(`hover image: ${inked.inked} of ${inked.total} pixels differ from the background`);
    assert.ok(inked.inked > 30, 'the formula image paints the formula');

    // The broken formula's hover shows KaTeX's message instead.
    await vscode.page.mouse.move(0, 0);
    await vscode.page.locator('.monaco-hover').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    const brokenLine = editor.locator('.view-line', { hasText: 'A broken one' });
    const brokenTarget = brokenLine.locator('span', { hasText: /frac/ }).last();
    const bb = (await brokenTarget.count()) > 0 ? await brokenTarget.boundingBox() : await brokenLine.boundingBox();
    assert.ok(bb);
    await vscode.page.mouse.move(bb.x + Math.min(20, bb.width / 2), bb.y + bb.height / 2);
    await vscode.page.locator('.monaco-hover', { hasText: 'KaTeX error' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await vscode.screenshot('hover-error');
  });

  test('editing a formula updates the preview', async (t) => {
    const editor = vscode.page.locator('.editor-group-container.active .monaco-editor').first();
    await editor.locator('.view-line', { hasText: 'A broken one' }).click();
    await vscode.page.keyboard.press('End');
    const before = await preview.locator('#lectern-content .katex:not(.katex-error)').count();
    const started = Date.now();
    await vscode.page.keyboard.type(' and $z_1$');
    await preview.locator('#lectern-content .katex:not(.katex-error)').nth(before).waitFor({ timeout: 20_000 });
    t.diagnostic(`preview updated ${Date.now() - started} ms after typing (wall clock, includes the 150 ms debounce and typing)`);
    await vscode.screenshot('preview-updated');

    const { ours } = exthostErrors(await vscode.extensionHostLog(), readManifest().extensionId);
    assert.deepEqual(ours.map((l) => l.message), [], 'errors about Lectern in the extension host log');
  });

  test('Export HTML writes a standalone page with KaTeX CSS and fonts alongside', async (t) => {
    await vscode.openFile(broken);
    // Not `runCommand`: it waits for the palette to close, and this command opens the save dialog,
    // which in the browser is a quick input too.
    await vscode.page.keyboard.press('Control+Shift+P');
    const dialogInput = vscode.page.locator('.quick-input-widget input').first();
    await dialogInput.waitFor({ state: 'visible', timeout: 10_000 });
    await dialogInput.fill('>Lectern: Export HTML');
    await vscode.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Lectern: Export HTML' }).first().waitFor({ timeout: 10_000 });
    await vscode.page.keyboard.press('Enter');
    // The save dialog (VS Code's simple dialog in the browser) proposes broken-math.html next to the note.
    await vscode.page.waitForFunction(
      `(() => { const i = document.querySelector('.quick-input-widget input'); return !!i && i.value.endsWith('broken-math.html'); })()`,
      undefined,
      { timeout: 15_000 },
    );
    t.diagnostic(`save dialog proposes ${await dialogInput.inputValue()}`);
    await vscode.page.keyboard.press('Enter');
    const exported = path.join(vscode.workspaceDir, 'broken-math.html');
    const assets = path.join(vscode.workspaceDir, 'lectern-assets');
    await vscode.page.locator('.notifications-toasts', { hasText: 'Exported broken-math.html' }).first().waitFor({ timeout: 20_000 });
    await vscode.screenshot('exported');
    const html = fs.readFileSync(exported, 'utf8');
    assert.match(html, /<link rel="stylesheet" href="lectern-assets\/katex.min.css">/);
    assert.match(html, /class="katex"/);
    assert.match(html, /class="katex-error"/);
    assert.doesNotMatch(html, /<script/i);
    const fonts = fs.readdirSync(path.join(assets, 'fonts'));
    assert.ok(fonts.some((f) => f === 'KaTeX_Main-Regular.woff2'), fonts.join(', '));
    assert.ok(fs.existsSync(path.join(assets, 'preview.css')));

    // It renders offline: open it from disk in the same browser and check KaTeX's fonts loaded.
    const page = await vscode.browser.newPage();
    try {
      await page.goto(`file://${exported}`);
      const offline = await page.evaluate<{ katex: number; fontsOk: boolean; fracHeight: number }>(`(async () => {
        await document.fonts.ready;
        const frac = document.querySelector('.katex .vlist');
        return {
          katex: document.querySelectorAll('.katex').length,
          fontsOk: document.fonts.check('16px KaTeX_Main') && [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded'),
          fracHeight: frac ? frac.getBoundingClientRect().height : 0,
        };
      })()`);
      await page.screenshot({ path: path.join(vscode.screenshotDir, 'exported-page.png') });
      t.diagnostic(JSON.stringify(offline));
      assert.ok(offline.katex >= 1);
      assert.ok(offline.fontsOk, 'KaTeX fonts load from lectern-assets/');
    } finally {
      await page.close();
    }
  });

  test('the preview is restored after a window reload', async () => {
    await vscode.runCommand('Developer: Reload Window');
    await vscode.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const restored = await vscode.waitForWebviewFrame({ selector: 'body.lectern-ready #lectern-content .katex', title: 'Preview broken-math.md', timeoutMs: 90_000 });
    assert.ok((await restored.locator('#lectern-content .katex-error').count()) >= 1);
    await vscode.screenshot('restored-after-reload');
  });
});
