import type { ParseOptions, ParseResult } from './types';

// Placeholder until the foundation core lands (issue 2).
export function parseNotes(text: string, _options: ParseOptions = {}): ParseResult {
  const lineCount = text.split(/\r\n|\r|\n/).length;
  return {
    sections: [{ index: 0, level: 0, title: '', slug: '', path: [], startLine: 0, endLine: lineCount, parent: undefined, children: [] }],
    todos: [],
    math: [],
    lineCount,
    contentStartLine: 0,
  };
}
