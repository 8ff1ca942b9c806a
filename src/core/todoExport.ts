import { displaySectionPath, sectionPathLabel } from './todoLabels';
import { compareFilePaths, compareTodos } from './todoOrder';
import type { TodoFileInput } from './todoTree';
import type { Todo } from './types';

/** Export: `lectern todos --json` entries, and the Markdown checklist of Export TODOs. */

export interface TodoExportEntry {
  readonly file: string;
  readonly id: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, UTF-16 code units. */
  readonly column: number;
  readonly tag: string;
  readonly text: string;
  readonly status: Todo['status'];
  readonly section: readonly string[];
  readonly answer?: string;
}

interface ExportRow {
  readonly entry: TodoExportEntry;
  /** The section path without the document title, for grouping under the file's heading. */
  readonly shortSection: readonly string[];
  readonly documentTitle?: string;
}

/**
 * One TODO as `lectern todos --json` prints it (key order included). `answer` only when resolved,
 * where the parser always sets it (possibly to the empty string).
 */
export function todoExportEntry(file: string, todo: Todo): TodoExportEntry {
  return {
    file,
    id: todo.id,
    line: todo.span.range.start.line + 1,
    column: todo.span.range.start.character + 1,
    tag: todo.tag,
    text: todo.text,
    status: todo.status,
    section: [...todo.sectionPath],
    ...(todo.status === 'resolved' ? { answer: todo.answer ?? '' } : {}),
  };
}

function exportRows(files: readonly TodoFileInput[]): ExportRow[] {
  const out: ExportRow[] = [];
  for (const f of [...files].sort((a, b) => compareFilePaths(a.path, b.path))) {
    for (const t of [...f.parse.todos].sort(compareTodos)) {
      const shortSection = displaySectionPath(f.parse, t);
      out.push({
        entry: todoExportEntry(f.path, t),
        shortSection,
        documentTitle: shortSection.length < t.sectionPath.length ? t.sectionPath[0] : undefined,
      });
    }
  }
  return out;
}

/** The same shape as `lectern todos --json`: 1-based positions, `section` as heading titles. */
export function exportTodosAsJson(files: readonly TodoFileInput[]): string {
  return (
    JSON.stringify(
      exportRows(files).map((r) => r.entry),
      null,
      2,
    ) + '\n'
  );
}

/** Keeps the author's Markdown but on one line, so a question cannot break the checklist. */
function oneLine(text: string): string {
  return text
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/\r/g, ' ')
    .trim();
}

/** Text that must not start a Markdown block of its own inside a heading. */
function headingText(text: string): string {
  return oneLine(text).replace(/^#+/, (m) => m.replace(/#/g, '\\#')) || '(untitled)';
}

/**
 * A Markdown checklist: one `##` heading per file, one `###` heading per section path (lecture ›
 * topic), `- [ ]` for open and `- [x]` for resolved TODOs with their answers, each with its line.
 */
export function exportTodosAsMarkdown(files: readonly TodoFileInput[], title = 'TODOs'): string {
  const rows = exportRows(files);
  const open = rows.filter((r) => r.entry.status === 'open').length;
  const lines: string[] = [`# ${title}`, '', `${open} open of ${rows.length}.`];
  let currentFile: string | undefined;
  let currentSection: string | undefined;
  for (const { entry: e, shortSection, documentTitle } of rows) {
    if (e.file !== currentFile) {
      currentFile = e.file;
      currentSection = undefined;
      lines.push('', `## ${headingText(documentTitle ? `${e.file} — ${documentTitle}` : e.file)}`);
    }
    const sectionKey = shortSection.join('\u0000');
    if (sectionKey !== currentSection) {
      currentSection = sectionKey;
      lines.push('', shortSection.length > 0 ? `### ${headingText(sectionPathLabel(shortSection))}` : '### (before the first heading)', '');
    }
    const question = oneLine(e.text) || `(${e.tag})`;
    const answer = e.status === 'resolved' && e.answer ? ` — ${oneLine(e.answer)}` : '';
    lines.push(`- [${e.status === 'open' ? ' ' : 'x'}] ${question}${answer} (line ${e.line})`);
  }
  if (rows.length === 0) lines.push('', 'No TODOs.');
  return lines.join('\n') + '\n';
}
