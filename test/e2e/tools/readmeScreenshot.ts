/**
 * Takes the README's screenshot of Lectern on notes/ with the e2e harness: the lecture notes, the
 * TODO tree and the preview side by side. Writes test-results/e2e/readme-screenshot/*.png; with
 * `--save FILE` also copies the final picture there (the README uses media/screenshot.png).
 *
 *   npm run package && npm run compile && node out/test/e2e/tools/readmeScreenshot.js --save media/screenshot.png
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { repoRoot, startVSCode } from '../lib';

async function main(): Promise<void> {
  const saveIndex = process.argv.indexOf('--save');
  const save = saveIndex > 0 ? process.argv[saveIndex + 1] : undefined;
  const vscode = await startVSCode({
    name: 'readme-screenshot',
    viewport: { width: 1280, height: 720 },
    openFile: 'iacv-lectures-08-14.md',
  });
  try {
    await vscode.activation();
    await vscode.runCommand('Lectern: Focus on TODOs View');
    await vscode.page.locator('.pane-body .monaco-list-row').first().waitFor({ timeout: 30_000 });
    await vscode.runCommand('Lectern: Open Preview to the Side');
    const preview = await vscode.waitForWebviewFrame({ selector: '.katex', timeoutMs: 60_000 });
    // Move the editor to the first formulas (the loss functions); the preview follows the editor.
    await vscode.page.locator('.editor-group-container .monaco-editor .view-lines').first().click({ position: { x: 40, y: 40 } });
    await vscode.page.keyboard.press('Control+G');
    await vscode.page.keyboard.type('37');
    await vscode.page.keyboard.press('Enter');
    await vscode.page.keyboard.press('Control+G');
    await vscode.page.keyboard.type('30');
    await vscode.page.keyboard.press('Enter');
    await vscode.page.locator('.statusbar-item', { hasText: 'Ln 30,' }).first().waitFor({ timeout: 10_000 });
    await preview
      .waitForFunction('(document.scrollingElement ? document.scrollingElement.scrollTop : 0) > 0', undefined, { timeout: 10_000 })
      .catch(() => console.warn('the preview did not report a scroll; taking the picture anyway'));
    const shot = await vscode.screenshot('lectern-on-notes');
    console.log(`screenshot: ${shot}`);
    if (save) {
      const target = path.resolve(repoRoot, save);
      await fsp.copyFile(shot, target);
      console.log(`copied to ${target}`);
    }
  } finally {
    await vscode.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
