import * as vscode from 'vscode';
import { restoredNoteProblem } from './restoredNotePath';

/**
 * The URI a restored panel saved, if it may be read: parsed, inside the workspace (see
 * `restoredNoteProblem`) and a regular file. Otherwise undefined, with the reason logged.
 */
export async function validatedRestoredNote(raw: string, warn: (message: string) => void): Promise<vscode.Uri | undefined> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(raw, true);
  } catch {
    warn(`Lectern: a restored panel named an invalid note URI; not restored.`);
    return undefined;
  }
  const key = uri.toString();
  const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);
  let problem = restoredNoteProblem(uri, folders, open);
  if (!problem && !open && uri.scheme !== 'untitled') {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if ((stat.type & vscode.FileType.File) === 0) problem = 'not a regular file';
    } catch {
      problem = 'no such file';
    }
  }
  if (problem) {
    warn(`Lectern: a restored panel named ${uri.toString(true)} (${problem}); its note is not read.`);
    return undefined;
  }
  return uri;
}
