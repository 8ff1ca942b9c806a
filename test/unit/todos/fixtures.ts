import type { Section, Todo, TodoStatus } from '../../../src/core/types';
import type { TodoFileInput, TodoFolderInput } from '../../../src/core/todoTree';

/**
 * Hand-built parse results, so the tree model is tested on exactly the shapes it must handle
 * (including ones the parser rarely produces, like duplicate titles) independent of the parser.
 */

export interface SectionSpec {
  readonly title: string;
  readonly level: number;
  readonly line: number;
}

/** Sections from a flat list of headings (document order), with the root section at index 0. */
export function sectionsFrom(specs: readonly SectionSpec[], lineCount = 1000): Section[] {
  const slugs = new Map<string, number>();
  const raw = specs.map((s, i) => {
    const base = s.title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
    const n = slugs.get(base) ?? 0;
    slugs.set(base, n + 1);
    return { ...s, index: i + 1, slug: n === 0 ? base : `${base}-${n}` };
  });
  const sections: Array<{ -readonly [K in keyof Section]: Section[K] }> = [
    { index: 0, level: 0, title: '', slug: '', path: [], startLine: 0, endLine: lineCount, parent: undefined, children: [] },
  ];
  const stack: number[] = [0];
  for (const s of raw) {
    while (stack.length > 1 && sections[stack[stack.length - 1]].level >= s.level) stack.pop();
    const parent = stack[stack.length - 1];
    sections.push({
      index: s.index,
      level: s.level,
      title: s.title,
      slug: s.slug,
      path: [...sections[parent].path, s.title],
      startLine: s.line,
      endLine: lineCount,
      parent,
      children: [],
    });
    (sections[parent].children as number[]).push(s.index);
    stack.push(s.index);
  }
  for (const s of sections) {
    const next = sections.find((o) => o.index > s.index && o.level <= s.level && s.level > 0);
    if (next) s.endLine = next.startLine;
  }
  return sections;
}

export interface TodoSpec {
  readonly text: string;
  readonly line: number;
  readonly character?: number;
  readonly status?: TodoStatus;
  readonly answer?: string;
  readonly tag?: string;
}

/** TODOs placed in the innermost section containing their line. */
export function todosFrom(specs: readonly TodoSpec[], sections: readonly Section[], lineLength = 200): Todo[] {
  return specs.map((t, i) => {
    const character = t.character ?? 0;
    const innermost = sections
      .filter((s) => s.startLine <= t.line && t.line < s.endLine)
      .sort((a, b) => b.level - a.level)[0] ?? sections[0];
    const raw = `${t.tag ?? 'TODO'}: ${t.text}`;
    const startOffset = t.line * lineLength + character;
    return {
      id: `t${i}-${t.text.slice(0, 8)}`,
      tag: t.tag ?? 'TODO',
      text: t.text,
      status: t.status ?? 'open',
      ...(t.status === 'resolved' ? { answer: t.answer ?? '' } : {}),
      span: {
        range: { start: { line: t.line, character }, end: { line: t.line, character: character + raw.length } },
        startOffset,
        endOffset: startOffset + raw.length,
      },
      sectionIndex: innermost.index,
      sectionPath: innermost.path,
    };
  });
}

export function file(
  key: string,
  headings: readonly SectionSpec[],
  todos: readonly TodoSpec[],
  folder?: TodoFolderInput,
): TodoFileInput {
  const sections = sectionsFrom(headings);
  return { key, path: key, folder, parse: { sections, todos: todosFrom(todos, sections) } };
}
