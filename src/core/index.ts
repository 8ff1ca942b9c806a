/** The pure core of Lectern: no `vscode`, no DOM. Everything the hosts need is exported here. */
export * from './types';
export { parseNotes, DEFAULT_TAGS, TASK_TAG } from './parse';
export { createSnapshot, snapshotFromRaw, tryUpdateSnapshot, updateSnapshot } from './snapshot';
export type { FullParseReason, NotesSnapshot, SnapshotUpdate, SnapshotUpdateOptions, TextChange } from './snapshot';
export { createMarkdownEngine, createParsingEngine, katexSettings, KATEX_MAX_EXPAND, KATEX_MAX_SIZE, MAX_FORMULA_LENGTH, FRONT_MATTER_TOKEN } from './engine';
export type { KatexRenderer, MarkdownEngine, MarkdownEngineOptions } from './engine';
export { guardedKatex, renderKatex, FORMULA_TOKEN_BUDGET, FORMULA_TOO_EXPENSIVE } from './render/katexGuard';
export { githubSlug } from './slug';
export { applyEdit, planTodoEdit, relocateTodo, resolveTodo, reopenTodo } from './edit';
export type { TodoEditPlan } from './edit';
export { normalizeAnswer } from './resolvedFormat';
export { checkMath, mathContentToSource } from './math';
export type { CheckMathOptions } from './math';
