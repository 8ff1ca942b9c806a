import * as vscode from 'vscode';
import { createNonce } from '../webviewHtml';
import { demoPageHtml, type DemoPageConfig } from './demoPage';

export type { DemoPageConfig } from './demoPage';

/**
 * Owns everything security-relevant about a demo panel's document: nonce, CSP, which local folders
 * the webview may read, and the key formula rendered with KaTeX on the host.
 */
export class DemoHtml {
  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Built webview files and media only: a demo never reads the notes' folders. */
  localResourceRoots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')];
  }

  page(webview: vscode.Webview, config: DemoPageConfig): string {
    return demoPageHtml({
      nonce: createNonce(),
      cspSource: webview.cspSource,
      asset: (...path) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString(),
      config,
    });
  }
}
