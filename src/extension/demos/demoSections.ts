import type * as vscode from 'vscode';
import type { ParseResult } from '../../core';
import { demosForDocument, type DemoId, type SectionDemo } from '../../core/demos/mapping';
import { demoSectionLabel } from '../../core/demos/panelTitle';
import type { DemoSectionRef, DemoTodoRef } from '../../shared/protocol';
import type { Services } from '../services';

/**
 * Section ↔ demo lookups over the document model. The mapping result is cached per parse result
 * (the model keys parses on document version and tags). The demo commands and panels answer
 * synchronously (`parseNow`: incremental after an edit); the CodeLens waits for `demosOf`.
 */
export class DemoSections {
  private readonly cache = new WeakMap<ParseResult, SectionDemo[]>();

  constructor(private readonly services: Services) {}

  /** The latest parse of a listed note, without parsing. */
  latest(key: string): { parse: ParseResult; version?: number } | undefined {
    return this.services.notes.model.get(key);
  }

  parse(document: vscode.TextDocument): ParseResult {
    return this.services.notes.parseNow(document);
  }

  demos(document: vscode.TextDocument): { parse: ParseResult; demos: SectionDemo[] } {
    return this.demosFor(document, this.parse(document));
  }

  /** The demos of the document's current version, parsed off this thread if it is large. */
  async demosOf(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<{ parse: ParseResult; demos: SectionDemo[] } | undefined> {
    const parse = await this.services.notes.parse(document, token);
    return parse && this.demosFor(document, parse);
  }

  private demosFor(document: vscode.TextDocument, parse: ParseResult): { parse: ParseResult; demos: SectionDemo[] } {
    let demos = this.cache.get(parse);
    if (!demos) {
      demos = demosForDocument(parse, document.getText());
      this.cache.set(parse, demos);
    }
    return { parse, demos };
  }

  /**
   * The demo of section `index`, or of its nearest ancestor with one. When a section carries several
   * (body mentions in a long section), the one shown nearest above `line` wins.
   */
  demoAtOrAbove(document: vscode.TextDocument, index: number, line?: number): { demo: DemoId; sectionIndex: number } | undefined {
    const { parse, demos } = this.demos(document);
    let current: number | undefined = index;
    while (current !== undefined) {
      const here = demos.filter((d) => d.sectionIndex === current);
      if (here.length > 0) {
        const above = line === undefined ? [] : here.filter((d) => d.line <= line);
        const hit = above.length > 0 ? above[above.length - 1] : here[0];
        return { demo: hit.demo, sectionIndex: hit.sectionIndex };
      }
      current = parse.sections[current]?.parent;
    }
    return undefined;
  }

  /** The deepest section containing `line`. */
  sectionAtLine(document: vscode.TextDocument, line: number): number {
    const { sections } = this.parse(document);
    let best = 0;
    for (const s of sections) {
      if (s.startLine <= line && line < s.endLine && s.level >= (sections[best]?.level ?? 0)) best = s.index;
    }
    return best;
  }

  /** Where the section sits, for the panel's tab: "Lecture 9 › Dropout". */
  sectionLabel(document: vscode.TextDocument, index: number): string {
    return demoSectionLabel(this.parse(document).sections, index);
  }

  sectionRef(document: vscode.TextDocument, index: number): DemoSectionRef {
    const section = this.parse(document).sections[index];
    return { uri: document.uri.toString(), sectionIndex: index, title: section?.title ?? '' };
  }

  /**
   * Open TODOs of the section and its subsections. The section is found again by title if the
   * note was edited and the index now points elsewhere.
   */
  openTodos(document: vscode.TextDocument, ref: DemoSectionRef): { ref: DemoSectionRef; todos: DemoTodoRef[] } {
    const parse = this.parse(document);
    let index = ref.sectionIndex;
    if (parse.sections[index]?.title !== ref.title) {
      const byTitle = parse.sections.find((s) => s.title === ref.title);
      if (byTitle) index = byTitle.index;
    }
    const inSubtree = new Set<number>();
    const walk = (i: number): void => {
      inSubtree.add(i);
      for (const c of parse.sections[i]?.children ?? []) walk(c);
    };
    if (parse.sections[index]) walk(index);
    const todos = parse.todos
      .filter((t) => t.status === 'open' && inSubtree.has(t.sectionIndex))
      .map((t) => ({ id: t.id, text: t.text.slice(0, 4096) }));
    return { ref: { ...ref, sectionIndex: index, title: parse.sections[index]?.title ?? ref.title }, todos };
  }
}
