import type { Section } from '../types';
import { DEMO_INFO, type DemoId } from './mapping';

/**
 * The tab title of a demo panel: the demo once, then where in the notes it belongs, e.g.
 * "Dropout · Lecture 9 › Dropout". Tabs of several demos sit side by side in one column, so the
 * title must tell them apart at a glance and stay short: the note's own title (a lone `#` heading
 * above everything) is left out, a deep section keeps only its outermost chapter and itself, and the
 * chapter is cut at its subtitle ("Lecture 9 — Convolutional neural networks" → "Lecture 9").
 * Pure, so the same title comes out for every demo, including ones added later.
 */

const TITLE_SEPARATOR = ' · ';
const PATH_SEPARATOR = ' › ';
const MAX_PART = 48;

export function demoPanelTitle(demo: DemoId, sectionLabel?: string): string {
  const title = DEMO_INFO[demo].title;
  return sectionLabel ? `${title}${TITLE_SEPARATOR}${sectionLabel}` : title;
}

/** "Lecture 9 › Dropout" for the section at `index`; '' for the root (text before any heading). */
export function demoSectionLabel(sections: readonly Pick<Section, 'level' | 'path'>[], index: number): string {
  const section = sections[index];
  if (!section || section.level === 0 || section.path.length === 0) return '';
  let path = section.path;
  const documentTitle = sections.filter((s) => s.level === 1).length === 1 && sections.some((s) => s.level === 1 && s.path[0] === path[0]);
  if (documentTitle && path.length > 1) path = path.slice(1);
  if (path.length === 1) return clip(path[0]);
  return `${clip(chapterName(path[0]))}${PATH_SEPARATOR}${clip(path[path.length - 1])}`;
}

/** The chapter's name without its subtitle: the part before " — ", " – ", ": " or " - ". */
function chapterName(title: string): string {
  const cut = /\s+[—–-]\s+|:\s+/.exec(title);
  return cut && cut.index > 0 ? title.slice(0, cut.index) : title;
}

function clip(text: string): string {
  const chars = [...text.trim()];
  return chars.length <= MAX_PART ? chars.join('') : `${chars.slice(0, MAX_PART - 1).join('').trimEnd()}…`;
}
