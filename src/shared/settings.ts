/**
 * Every Lectern setting (mirrors `contributes.configuration` in package.json; a unit test keeps
 * the two equal), so a listener asking about a setting that does not exist does not compile.
 */
export const LECTERN_SETTINGS = [
  'lectern.math.diagnostics',
  'lectern.math.macros',
  'lectern.preview.debounceMs',
  'lectern.preview.followActiveEditor',
  'lectern.demos.backend',
  'lectern.demos.panels',
  'lectern.notesGlob',
  'lectern.todo.tags',
  'lectern.todo.saveAfterResolve',
  'lectern.todo.showInProblems',
] as const;

export type LecternSetting = (typeof LECTERN_SETTINGS)[number];

/** A setting, or a group of them (`lectern.math` covers `lectern.math.diagnostics` and `lectern.math.macros`). */
export type LecternSettingScope = LecternSetting | 'lectern' | 'lectern.math' | 'lectern.preview' | 'lectern.demos' | 'lectern.todo';

/** A configuration change, as Lectern's listeners see it. */
export interface LecternConfigChange {
  affects(scope: LecternSettingScope): boolean;
}
