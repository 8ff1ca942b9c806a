import type { TodoEditPlan } from '../../core';
import type { NotesModel } from './notesModel';
import type { NoteDocument } from './workspace';

/** What planning a resolve / reopen on the live document came to. */
export type StablePlan =
  /** Planned on `text`, which is the document's text at `version` (still its version when this resolved). */
  | { readonly kind: 'planned'; readonly plan: TodoEditPlan; readonly document: NoteDocument; readonly version: number }
  /** The document changed during every attempt: nothing may be applied. */
  | { readonly kind: 'keptChanging'; readonly attempts: number };

export interface PlanRequest {
  readonly todoId: string;
  readonly expectedText: string;
  /** The answer to write; `undefined` reopens. */
  readonly answer: string | undefined;
  readonly tags: readonly string[];
}

/**
 * The resolve / reopen flow's planning step, host-free: plans on the document's current text (on
 * the parse host for a large note, where it takes seconds), and plans again when the document
 * changed meanwhile, so an edit is only ever applied to the exact version it was computed on.
 * `current` gives the live document (reopening it if it was closed); `around` wraps a slow plan
 * (the VS Code side shows progress).
 */
export async function planOnCurrentVersion(
  model: NotesModel,
  current: () => Promise<NoteDocument>,
  request: PlanRequest,
  options: { readonly attempts?: number; readonly around?: (work: () => Promise<TodoEditPlan>) => Promise<TodoEditPlan> } = {},
): Promise<StablePlan> {
  const attempts = options.attempts ?? 3;
  let document = await current();
  for (let attempt = 0; attempt < attempts; attempt++) {
    const plannedOn = document;
    const version = document.version;
    const text = document.getText();
    const work = () => model.planEdit(text, request.tags, request.todoId, request.expectedText, request.answer);
    const plan = model.isLarge(text.length) && options.around ? await options.around(work) : await work();
    // Closed meanwhile: the reopened document starts again at version 1, perhaps with other text.
    if (document.isClosed) document = await current();
    if (document === plannedOn && document.version === version) return { kind: 'planned', plan, document, version };
  }
  return { kind: 'keptChanging', attempts };
}
