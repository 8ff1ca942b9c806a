/**
 * Editor ↔ preview scroll mapping by source line, after VS Code's markdown preview: every block
 * has `data-line`; a line between two blocks maps proportionally between their positions.
 */
import { partitionPoint } from '../../core/partitionPoint';

export interface LineElement {
  readonly element: HTMLElement;
  readonly line: number;
}

function topOf(entry: LineElement, scrollY: number): number {
  return entry.element.getBoundingClientRect().top + scrollY;
}

/** The blocks around `line`: the last one starting at or before it, and the next one after it. */
export function getElementsForSourceLine(elements: readonly LineElement[], line: number): { previous?: LineElement; next?: LineElement } {
  const lo = partitionPoint(elements.length, (i) => elements[i].line <= line);
  const previous = lo > 0 ? elements[lo - 1] : undefined;
  // Elements are in document order, which nesting keeps mostly but not strictly sorted by line.
  const next = elements.slice(lo).find((e) => e.line > line);
  return { previous, next };
}

/** The page offset at which `line` sits at the top of the viewport. */
export function getScrollTopForLine(elements: readonly LineElement[], line: number, scrollY: number): number | undefined {
  if (elements.length === 0) return undefined;
  const { previous, next } = getElementsForSourceLine(elements, Math.floor(line));
  if (!previous) return 0;
  const previousTop = topOf(previous, scrollY);
  if (next && next.line > previous.line) {
    const fraction = (line - previous.line) / (next.line - previous.line);
    return Math.max(0, previousTop + fraction * (topOf(next, scrollY) - previousTop));
  }
  const height = previous.element.getBoundingClientRect().height;
  return Math.max(0, previousTop + Math.min(1, line - previous.line) * height);
}

/** The blocks around a page offset: the last block whose top is at or above it, and the next one. */
export function getLineElementsAtPageOffset(elements: readonly LineElement[], offset: number): { previous?: LineElement; next?: LineElement } {
  const scrollY = window.scrollY;
  const found = partitionPoint(elements.length, (i) => topOf(elements[i], scrollY) <= offset + 1) - 1;
  if (found === -1) return { next: elements[0] };
  return { previous: elements[found], next: elements[found + 1] };
}
