/** The `source` of every diagnostic Lectern reports (TODOs, KaTeX errors, macro files), shown in the Problems panel. */
export const DIAGNOSTIC_SOURCE = 'Lectern';
