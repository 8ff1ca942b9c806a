import * as fs from 'node:fs';
import * as path from 'node:path';
import { mulberry32 } from '../../../src/core/demos/rng';
import type { ParseResult, Todo } from '../../../src/core';

/** Repository root (tests run from out/test/unit/core). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', name), 'utf8');
}

/** The source text a TODO's span covers. */
export function spanText(text: string, todo: Pick<Todo, 'span'>): string {
  return text.slice(todo.span.startOffset, todo.span.endOffset);
}

/** 1-based line numbers of the TODOs, as the CLI prints them. */
export function todoLines(parse: ParseResult): number[] {
  return parse.todos.map((t) => t.span.range.start.line + 1);
}

/** mulberry32: a tiny seeded PRNG, so property tests are reproducible. */
export function prng(seed: number): () => number {
  return mulberry32(seed);
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}
