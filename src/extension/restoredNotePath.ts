/**
 * Restored webview panels carry the note's URI in state they saved themselves — state that lives
 * in the workspace storage and could have been edited, or saved for another workspace. Before a
 * restored preview or demo panel reads a file, the URI must name a Markdown note inside one of the
 * open workspace folders (or a document already open in the editor). Pure (no `vscode`): the
 * managers pass the workspace in, and the plain-Node tests can exercise every case.
 */
export interface UriLike {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
}

const NOTE_EXTENSION = /\.(md|markdown|mdown|mkd|mkdn)$/i;

/** Why `uri` must not be read for a restored panel, or undefined when it may. */
export function restoredNoteProblem(uri: UriLike, folders: readonly UriLike[], alreadyOpen: boolean): string | undefined {
  if (alreadyOpen) return undefined;
  if (uri.scheme === 'untitled') return undefined;
  if (!NOTE_EXTENSION.test(uri.path)) return 'not a Markdown file';
  const segments = uri.path.split('/');
  if (segments.includes('..') || segments.includes('.')) return 'not a normalized path';
  const inside = folders.some((f) => f.scheme === uri.scheme && f.authority === uri.authority && uri.path.startsWith(f.path.replace(/\/?$/, '/')));
  return inside ? undefined : 'outside the workspace folders';
}
