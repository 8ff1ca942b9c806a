import * as vscode from 'vscode';
import type { Services } from '../services';
import { planOnCurrentVersion } from '../model/todoEdits';
import { errorMessage } from '../../core/errors';

/**
 * The one path by which Lectern writes an answer into a note (or takes it out again): the TODO
 * commands, the tree's context menu and the demos all come through `applyResolve` / `applyReopen`.
 *
 * Safety, in order: the file must still exist and be writable; the TODO is re-located in the
 * document's current text by id and question (the list the user picked from may be stale); the
 * core computes the edit on that same text; one `WorkspaceEdit` applies it (one undo step).
 * Anything unexpected: a clear message and no edit at all.
 */

/** Writes `answer` into the TODO; `''` just marks it done. Resolves to whether the note changed. */
export async function applyResolve(
  uri: vscode.Uri,
  todoId: string,
  expectedText: string,
  answer: string,
  services: Services,
): Promise<boolean> {
  return applyTodoEdit(uri, todoId, expectedText, answer, services);
}

/** Takes the answer out again, restoring the TODO's original text. */
export async function applyReopen(uri: vscode.Uri, todoId: string, expectedText: string, services: Services): Promise<boolean> {
  return applyTodoEdit(uri, todoId, expectedText, undefined, services);
}

async function applyTodoEdit(
  uri: vscode.Uri,
  todoId: string,
  expectedText: string,
  answer: string | undefined,
  services: Services,
): Promise<boolean> {
  const verb = answer !== undefined ? 'resolve' : 'reopen';
  const name = describe(uri);
  const shown = `"${shorten(expectedText) || '(TODO)'}"`;

  const problem = await whyNotWritable(uri, services);
  if (problem) {
    void vscode.window.showWarningMessage(`Lectern: cannot ${verb} ${shown}: ${name} ${problem}. Nothing was changed.`);
    return false;
  }

  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(uri);
  } catch (err) {
    void vscode.window.showWarningMessage(`Lectern: cannot open ${name} (${errorMessage(err)}). Nothing was changed.`);
    return false;
  }

  const { notes } = services;
  const planned = await planOnCurrentVersion(
    notes.model,
    async () => {
      if (document.isClosed) document = await vscode.workspace.openTextDocument(uri);
      return notes.workspace.wrap(document);
    },
    { todoId, expectedText, answer, tags: services.config.todoTags(uri) },
    {
      // A verified edit parses a big note several times (on the worker): seconds, so show that something is happening.
      around: (work) =>
        Promise.resolve(
          vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: `Lectern: ${verb === 'resolve' ? 'resolving' : 'reopening'} a TODO in ${name}` },
            work,
          ),
        ),
    },
  );
  if (planned.kind === 'planned') {
    const { plan } = planned;
    if (!plan.ok) {
      if (plan.reason === 'gone') {
        void vscode.window.showWarningMessage(
          `Lectern: the TODO ${shown} is no longer in ${name} — the note changed since the list was shown. Nothing was changed.`,
        );
      } else if (plan.reason === 'alreadyDone') {
        void vscode.window.showInformationMessage(`Lectern: ${plan.message} (${shown}).`);
      } else {
        void vscode.window.showWarningMessage(`Lectern: cannot ${verb} ${shown}: ${plan.message}. Nothing was changed.`);
      }
      return false;
    }

    const edit = new vscode.WorkspaceEdit();
    // Offsets index the very string that was planned on; positionAt maps them exactly (CRLF too).
    edit.replace(uri, new vscode.Range(document.positionAt(plan.edit.startOffset), document.positionAt(plan.edit.endOffset)), plan.edit.newText);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      void vscode.window.showWarningMessage(`Lectern: VS Code refused to edit ${name} (is it read-only?). Nothing was changed.`);
      return false;
    }
    // The tree follows at once instead of after the typing delay.
    void services.notes.flush(document);
    services.log.info(`${verb === 'resolve' ? 'Resolved' : 'Reopened'} ${plan.todo.id} in ${uri.toString(true)}`);

    if (services.config.todoSaveAfterResolve(uri) && !document.isUntitled) {
      const saved = await document.save();
      if (!saved) void vscode.window.showWarningMessage(`Lectern: the TODO was ${verb}d but ${name} could not be saved.`);
    }
    return true;
  }
  void vscode.window.showWarningMessage(`Lectern: ${name} kept changing while Lectern prepared the edit. Nothing was changed; try again.`);
  return false;
}

/** Why the note cannot be edited, or undefined when it can (as far as can be told up front). */
async function whyNotWritable(uri: vscode.Uri, services: Services): Promise<string | undefined> {
  if (uri.scheme === 'untitled') return undefined;
  if (vscode.workspace.fs.isWritableFileSystem(uri.scheme) === false) return 'is on a read-only file system';
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return 'no longer exists (deleted or moved)';
    return `cannot be read (${errorMessage(err)})`;
  }
  if ((stat.type & vscode.FileType.File) === 0) return 'is not a file';
  if (stat.permissions !== undefined && (stat.permissions & vscode.FilePermission.Readonly) !== 0) return 'is read-only';
  if (await services.platform.isWriteProtected(uri)) return 'is read-only (write-protected on disk)';
  return undefined;
}

function describe(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}
