/** The pure core of Lectern: no `vscode`, no DOM. Everything the hosts need is exported here. */
export * from './types';
export { parseNotes } from './parse';
