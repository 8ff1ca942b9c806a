/**
 * The data model of a lecture summary, shared by the extension, the webviews and the CLI.
 *
 * Conventions: lines and columns are 0-based; columns count UTF-16 code units (as VS Code's
 * `Position` does); offsets index the JavaScript string. A `Range` is half-open: `end` points just
 * past the last character. The CLI converts to 1-based numbers at its boundary, nowhere else.
 */

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A range also known by string offsets, so edits can be applied without re-scanning lines. */
export interface SourceSpan {
  readonly range: Range;
  readonly startOffset: number;
  readonly endOffset: number;
}

export interface Section {
  /** Index in `ParseResult.sections`; 0 is always the root section (level 0, empty title). */
  readonly index: number;
  /** 0 for the root (text before the first heading), 1–6 for headings. */
  readonly level: number;
  readonly title: string;
  /** GitHub-style slug, unique within the document (`-1`, `-2` suffixes). */
  readonly slug: string;
  /** Heading titles from the top down to and including this one (`[]` for the root). */
  readonly path: readonly string[];
  /** 0-based line of the heading (the first content line for the root). */
  readonly startLine: number;
  /** 0-based exclusive end line: the next heading of the same or higher level, or the line count. */
  readonly endLine: number;
  readonly parent: number | undefined;
  readonly children: readonly number[];
}

export type TodoStatus = 'open' | 'resolved';

export interface Todo {
  /** Stable across unrelated edits: derived from tag, section path, text and occurrence. */
  readonly id: string;
  /** `TODO`, `FIXME`, … or `task` for `- [ ]` task-list items. */
  readonly tag: string;
  /** The question, trimmed; may be empty for a bare `TODO`. */
  readonly text: string;
  readonly status: TodoStatus;
  /** Present when resolved (possibly the empty string). */
  readonly answer?: string;
  /** The TODO's own text in the source: what resolve/reopen rewrite. */
  readonly span: SourceSpan;
  readonly sectionIndex: number;
  /** Titles from the top, `[]` before the first heading. */
  readonly sectionPath: readonly string[];
}

export interface MathSpan {
  readonly display: boolean;
  /** The TeX between the delimiters. */
  readonly content: string;
  /** Including delimiters. */
  readonly span: SourceSpan;
  /** Offset in the source of `content[0]`. */
  readonly contentOffset: number;
  /**
   * Where the content's pieces sit in the source, in order. A formula spanning lines inside a
   * list item or blockquote loses each line's prefix in `content`, so `contentOffset + i` is only
   * right up to the first line break; use `mathContentToSource` from the core instead.
   * Optional for compatibility: absent means one piece at `contentOffset`.
   */
  readonly segments?: readonly MathSegment[];
}

/** `content[contentStart]` is at `sourceOffset`, and so on until the next segment. */
export interface MathSegment {
  readonly contentStart: number;
  readonly sourceOffset: number;
}

export interface MathError {
  readonly message: string;
  /** The exact offending range in the source (KaTeX's `position`/`length`), or the whole span. */
  readonly range: Range;
  readonly math: MathSpan;
  /**
   * What kind of cause, for quick fixes: `undefined-macro` (then `macro` names it; later uses of
   * the same name in the note are not reported again), `refused-definition`, `bad-definition`,
   * `unknown-label`; absent for other KaTeX errors.
   */
  readonly code?: 'undefined-macro' | 'refused-definition' | 'bad-definition' | 'unknown-label';
  readonly macro?: string;
}

export interface ParseOptions {
  /** Whole uppercase words recognised as TODO tags. Default `['TODO', 'FIXME']`. */
  readonly tags?: readonly string[];
  /** Throw the parser's own internal failures instead of returning an empty parse (tests, fuzzing). */
  readonly strict?: boolean;
}

export interface ParseResult {
  readonly sections: readonly Section[];
  readonly todos: readonly Todo[];
  readonly math: readonly MathSpan[];
  readonly lineCount: number;
  /** Line just past YAML front matter, or 0. */
  readonly contentStartLine: number;
  /**
   * Set only when the parser failed internally (a bug): the result is then the whole text as one
   * empty root section, and this is the error's message.
   */
  readonly failure?: string;
}

export interface TextEdit {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly range: Range;
  readonly newText: string;
}

export type EditResult =
  | { readonly ok: true; readonly edit: TextEdit; readonly todo: Todo }
  | { readonly ok: false; readonly error: string; readonly alreadyResolved?: true };
