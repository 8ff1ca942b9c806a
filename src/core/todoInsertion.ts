/** Add TODO at Cursor: what to type where, as pure data. */

export interface TodoInsertion {
  /** Where to insert: `cursor` inserts at the cursor, `lineEnd` at the end of the cursor's line. */
  readonly at: 'cursor' | 'lineEnd';
  readonly text: string;
  /** Where the cursor goes, as an offset into `text`. */
  readonly cursorOffset: number;
}

/**
 * What "Add TODO at Cursor" types. On a blank line (or blank after a list / quote marker) the tag
 * goes right at the cursor; inside text it goes on a new line below, continuing the line's list
 * indentation and blockquote markers so the TODO stays in the same block.
 */
export function planTodoInsertion(lineText: string, tag = 'TODO', eol = '\n'): TodoInsertion {
  const marker = `${tag}: `;
  const prefixMatch = /^(\s*(?:>\s?)*)((?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?)?/.exec(lineText);
  const quote = prefixMatch?.[1] ?? '';
  const list = prefixMatch?.[2] ?? '';
  const rest = lineText.slice(quote.length + list.length);
  if (lineText.trim().length === 0) return { at: 'cursor', text: marker, cursorOffset: marker.length };
  if (rest.trim().length === 0) {
    // An empty list item or quote line: the TODO becomes its content.
    const text = (/\s$/.test(lineText) ? '' : ' ') + marker;
    return { at: 'lineEnd', text, cursorOffset: text.length };
  }
  const continuation = quote + ' '.repeat(list.length);
  const text = eol + continuation + marker;
  return { at: 'lineEnd', text, cursorOffset: text.length };
}
