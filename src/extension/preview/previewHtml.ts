import * as vscode from 'vscode';
import type { PreviewState } from '../../shared/protocol';
import { contentSecurityPolicy, createNonce, escapeHtml, htmlHeadStart } from '../webviewHtml';

/**
 * Owns everything security-relevant about the preview document: the nonce, the CSP, which local
 * folders the webview may read, and how note-relative image paths become webview URIs.
 */
export class PreviewHtml {
  constructor(private readonly extensionUri: vscode.Uri) {}

  /**
   * Bundled assets, the workspace folders and the note's own folder (for relative images). The
   * workspace folders are included so that following another note of the workspace keeps the same
   * roots: changing them makes VS Code reload the webview.
   */
  localResourceRoots(document: vscode.Uri | undefined): vscode.Uri[] {
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')];
    for (const folder of vscode.workspace.workspaceFolders ?? []) roots.push(folder.uri);
    if (document && document.scheme !== 'untitled' && !vscode.workspace.getWorkspaceFolder(document)) roots.push(vscode.Uri.joinPath(document, '..'));
    return roots;
  }

  /** True when `document`'s images are readable under `roots`. */
  covers(roots: readonly vscode.Uri[], document: vscode.Uri): boolean {
    if (document.scheme === 'untitled') return true;
    const dir = vscode.Uri.joinPath(document, '..');
    return roots.some((root) => root.scheme === dir.scheme && root.authority === dir.authority && (dir.path + '/').startsWith(root.path.replace(/\/?$/, '/')));
  }

  /** The webview document; `bodyHtml` is already-rendered note HTML (see `forWebview`). */
  shell(webview: vscode.Webview, state: PreviewState | undefined, title: string, bodyHtml: string): string {
    const nonce = createNonce();
    const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    const csp = contentSecurityPolicy({
      'img-src': `${webview.cspSource} data:`,
      'style-src': webview.cspSource,
      'font-src': webview.cspSource,
      'script-src': `'nonce-${nonce}'`,
    });
    return `${htmlHeadStart(csp)}
<meta id="lectern-preview-state" data-state="${escapeHtml(JSON.stringify(state ?? null))}">
<link rel="stylesheet" href="${asset('dist', 'webview', 'katex', 'katex.min.css')}">
<link rel="stylesheet" href="${asset('media', 'preview.css')}">
<title>${escapeHtml(title)}</title>
</head>
<body class="lectern-preview">
<main id="lectern-content">${bodyHtml}</main>
<script nonce="${nonce}" src="${asset('dist', 'webview', 'preview.js')}"></script>
</body>
</html>`;
  }

  /** Maps a relative image `src` of `document` to a webview URI; remote and data sources are left alone. */
  imageResolver(webview: vscode.Webview, document: vscode.Uri): (src: string) => string | undefined {
    return (src) => {
      const target = resolveLocalReference(document, src);
      return target ? webview.asWebviewUri(target).toString() : undefined;
    };
  }
}

/**
 * The CSP allows no inline styles, so KaTeX's layout `style` attributes travel as
 * `data-lectern-style` and the preview script applies them through the CSSOM. Attribute values in
 * the rendered HTML are escaped (no raw quotes), so this textual rewrite only touches attributes.
 */
export function moveInlineStyles(html: string): string {
  return html.replace(/ style="/g, ' data-lectern-style="');
}

/** A relative (or workspace-absolute `/…`) reference of a note as a file URI; undefined for URLs. */
export function resolveLocalReference(document: vscode.Uri, ref: string): vscode.Uri | undefined {
  if (!ref || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(ref) || ref.startsWith('//') || ref.startsWith('#')) return undefined;
  if (document.scheme === 'untitled') return undefined;
  let path = ref.replace(/[?#].*$/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // Keep the raw path.
  }
  if (path.startsWith('/')) {
    const folder = vscode.workspace.getWorkspaceFolder(document);
    return folder ? vscode.Uri.joinPath(folder.uri, path) : undefined;
  }
  return vscode.Uri.joinPath(document, '..', path);
}
