/**
 * Steps on the notes editor and the preview beside it, shared by the suites that drive them: Go to
 * Line (the demo suites' CodeLens steps, lib/demos.ts) and the editor ↔ preview scroll sync (the
 * preview suite and the web host's walk-through check it the same way).
 */
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import type { VSCodeSession } from './vscode';

/** Puts the cursor on a 0-based line through Go to Line (the CodeLens renders once the line is visible). */
export async function goToLine(vscode: VSCodeSession, line: number): Promise<void> {
  await vscode.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await vscode.page.keyboard.press('Control+g');
  await vscode.page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 10_000 });
  await vscode.page.keyboard.type(`${line + 1}`);
  await vscode.page.keyboard.press('Enter');
  // A widget still playing its closing animation counts as closed (on a loaded machine it lingers).
  await vscode.page.locator('.quick-input-widget:not(.quick-input-widget-closing)').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The 0-based line at the top of the active editor (its first visible line number), -1 if none shows. */
function editorTopLine(vscode: VSCodeSession): Promise<number> {
  // A string expression: this project compiles without the DOM library.
  return vscode.page.evaluate<number>(`(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    const top = editor.querySelector('.view-lines').getBoundingClientRect().top;
    const numbers = [...editor.querySelectorAll('.line-numbers')]
      .filter((n) => n.getBoundingClientRect().top >= top - 2 && n.textContent.trim() !== '')
      .map((n) => ({ top: n.getBoundingClientRect().top, line: Number(n.textContent.trim()) }))
      .sort((a, b) => a.top - b.top);
    return numbers.length ? numbers[0].line - 1 : -1;
  })()`);
}

/** The source line (`data-line`) of the preview's first block still in view, -1 if none. */
function previewTopLine(preview: Frame): Promise<number> {
  return preview.evaluate<number>(`(() => {
    const first = [...document.querySelectorAll('#lectern-content [data-line]')].find((b) => b.getBoundingClientRect().bottom > 1);
    return first ? Number(first.getAttribute('data-line')) : -1;
  })()`);
}

/**
 * The active notes editor and its `preview` scroll together by source line, both ways: Go to Line
 * 300 in the editor brings the preview there (within 12 lines), and scrolling the preview to a
 * heading 150 lines further on brings the editor there (within 3 lines). Polls each side for up to
 * ten seconds, reports the lines to `t` and takes a screenshot after each direction.
 */
export async function checkScrollSync(vscode: VSCodeSession, preview: Frame, t: { diagnostic(message: string): void }): Promise<void> {
  // Editor → preview.
  await goToLine(vscode, 299);
  let editorLine = -1;
  let previewLine = -1;
  for (let i = 0; i < 40; i++) {
    editorLine = await editorTopLine(vscode);
    previewLine = await previewTopLine(preview);
    if (editorLine > 100 && Math.abs(previewLine - editorLine) <= 12) break;
    await vscode.page.waitForTimeout(250);
  }
  t.diagnostic(`editor top line ${editorLine}, preview top block line ${previewLine}`);
  await vscode.screenshot('scroll-editor-to-preview');
  assert.ok(editorLine > 100, `the editor moved (top line ${editorLine})`);
  assert.ok(Math.abs(previewLine - editorLine) <= 12, `preview at line ${previewLine}, editor at ${editorLine}`);

  // Preview → editor: scroll the preview to the block of a later heading.
  const target = await preview.evaluate<number>(`(() => {
    const heading = [...document.querySelectorAll('#lectern-content h2[data-line], #lectern-content h3[data-line]')]
      .find((h) => Number(h.getAttribute('data-line')) > ${editorLine} + 150);
    if (!heading) return -1;
    window.scrollTo({ top: heading.getBoundingClientRect().top + window.scrollY });
    return Number(heading.getAttribute('data-line'));
  })()`);
  assert.ok(target > 0, 'a later heading exists');
  for (let i = 0; i < 40; i++) {
    editorLine = await editorTopLine(vscode);
    if (Math.abs(editorLine - target) <= 3) break;
    await vscode.page.waitForTimeout(250);
  }
  t.diagnostic(`preview scrolled to line ${target}, editor top line ${editorLine}`);
  await vscode.screenshot('scroll-preview-to-editor');
  assert.ok(Math.abs(editorLine - target) <= 3, `editor at ${editorLine}, preview heading at ${target}`);
}
