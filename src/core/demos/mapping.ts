/**
 * Which section of a lecture summary gets which demo.
 *
 * Three kinds of evidence, strongest first:
 *  1. an explicit marker in the section's own text, `<!-- lectern-demo: anchors -->` (or `none`);
 *  2. a keyword in the section's title ("Dropout", "Transposed convolution", …);
 *  3. keywords in the section's own body (text before its first subsection).
 *
 * `demoForSection` judges one section on its own. `demosForDocument` resolves the whole document:
 * for each demo, markers win over titles and titles over body mentions; among title matches only
 * the deepest sections keep the demo (a lecture-level "Regularization and dropout" heading does not
 * steal it from its "Dropout" subsection); body mentions alone give the demo to the one section that
 * mentions the topic most often, and only when no section has it by marker or title. A section shows
 * at most one demo.
 */
import type { ParseResult, Section } from '../types';

export const DEMO_IDS = ['dropout', 'batchnorm', 'transposed-conv', 'anchors'] as const;
export type DemoId = (typeof DEMO_IDS)[number];

export function isDemoId(value: unknown): value is DemoId {
  return typeof value === 'string' && (DEMO_IDS as readonly string[]).includes(value);
}

export interface DemoInfo {
  readonly id: DemoId;
  /** Human title, used in the CodeLens ("▶ Run demo: Dropout") and the panel title. */
  readonly title: string;
  /** One line on what the demo shows (quick pick detail). */
  readonly description: string;
  /** The topic's key formula in TeX (rendered with KaTeX on the extension host). */
  readonly formulaTex: string;
}

export const DEMO_INFO: Readonly<Record<DemoId, DemoInfo>> = {
  dropout: {
    id: 'dropout',
    title: 'Dropout',
    description: 'Two MLPs trained from the same weights, with and without dropout; train/eval scaling conventions',
    formulaTex: String.raw`\tilde h_j = \frac{m_j\, h_j}{1-p},\qquad m_j \sim \operatorname{Bernoulli}(1-p)`,
  },
  batchnorm: {
    id: 'batchnorm',
    title: 'Batch normalization',
    description: 'Training with and without BN at a high learning rate; μ_B, σ²_B, x̂, γ, β on the live batch',
    formulaTex: String.raw`\hat x_i = \frac{x_i - \mu_\mathcal{B}}{\sqrt{\sigma_\mathcal{B}^2 + \epsilon}},\qquad y_i = \gamma \hat x_i + \beta`,
  },
  'transposed-conv': {
    id: 'transposed-conv',
    title: 'Transposed convolution',
    description: 'One real conv2dTranspose: scatter view, zero-stretched convolution, overlap counts and checkerboards',
    formulaTex: String.raw`o = s\,(i-1) + a + k - 2p`,
  },
  anchors: {
    id: 'anchors',
    title: 'Anchors',
    description: 'RPN/FPN anchors labelled by IoU against draggable ground-truth boxes; NMS step by step',
    formulaTex: String.raw`\operatorname{IoU}(A,B) = \frac{|A \cap B|}{|A \cup B|},\qquad \text{positive: } \operatorname{IoU} \ge 0.7,\ \text{negative: } \operatorname{IoU} < 0.3`,
  },
};

/** Keyword patterns per demo. Case-insensitive except the acronyms, which must be upper case. */
const KEYWORDS: ReadonlyArray<{ readonly demo: DemoId; readonly pattern: RegExp }> = [
  { demo: 'dropout', pattern: /\bdrop[- ]?outs?\b/gi },
  { demo: 'batchnorm', pattern: /\bbatch[- ]?norm(?:ali[sz]ation|ali[sz]ed)?\b|\bbatchnorm\b|\bBN\b(?=[- ]layer)/gi },
  { demo: 'transposed-conv', pattern: /\btransposed?[- ]conv(?:olution)?s?\b|\bup[- ]?conv(?:olution)?s?\b|\bdeconv(?:olution)?s?\b|\bconv2d_?transpose\b/gi },
  { demo: 'anchors', pattern: /\banchor(?:s|[- ]box(?:es)?)?\b/gi },
  { demo: 'anchors', pattern: /\b[RF]PNs?\b/g },
];

const MARKER = /<!--\s*lectern-demo\s*:\s*([A-Za-z-]+)\s*-->/g;

export type DemoMatchReason = 'marker' | 'title' | 'body';

export interface SectionDemoMatch {
  readonly demo: DemoId;
  readonly reason: DemoMatchReason;
  /** Number of keyword hits that led to the match (1 for a marker). */
  readonly hits: number;
}

export interface SectionDemo extends SectionDemoMatch {
  readonly sectionIndex: number;
}

/** Keyword hits per demo in `text`, in order of the first hit. */
function keywordHits(text: string): Array<{ demo: DemoId; hits: number; first: number }> {
  const found = new Map<DemoId, { demo: DemoId; hits: number; first: number }>();
  for (const { demo, pattern } of KEYWORDS) {
    for (const m of text.matchAll(pattern)) {
      const entry = found.get(demo) ?? { demo, hits: 0, first: m.index ?? 0 };
      entry.hits += 1;
      entry.first = Math.min(entry.first, m.index ?? 0);
      found.set(demo, entry);
    }
  }
  return [...found.values()].sort((a, b) => a.first - b.first);
}

/** `none` suppresses every demo for the section; unknown ids are ignored (the last valid marker wins). */
function markerIn(text: string): DemoId | 'none' | undefined {
  let result: DemoId | 'none' | undefined;
  for (const m of text.matchAll(MARKER)) {
    const id = m[1].toLowerCase();
    if (id === 'none' || isDemoId(id)) result = id;
  }
  return result;
}

/** Fenced code blocks and inline code are not prose about a topic (`model.add(Dropout(0.5))`). */
function proseOnly(text: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const opener = /^[ \t]{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === undefined && opener) {
      fence = opener[1];
    } else if (fence !== undefined) {
      if (new RegExp(`^[ \\t]{0,3}${fence[0]}{${fence.length},}[ \\t]*$`).test(line)) fence = undefined;
    } else {
      out.push(line.replace(/`[^`\n]+`/g, ' '));
    }
  }
  return out.join('\n');
}

/**
 * Judges one section alone from its title and its own body text (the text between its heading and
 * its first subsection; `sectionOwnText` extracts it). Markers and keywords count only in prose, not in
 * code blocks or inline code.
 */
export function demoForSection(section: Pick<Section, 'title'>, sectionBodyText: string): SectionDemoMatch | undefined {
  const prose = proseOnly(sectionBodyText);
  const marker = markerIn(prose);
  if (marker === 'none') return undefined;
  if (marker) return { demo: marker, reason: 'marker', hits: 1 };
  const inTitle = keywordHits(section.title);
  if (inTitle.length > 0) return { demo: inTitle[0].demo, reason: 'title', hits: inTitle[0].hits };
  const markerComments = /<!--[\s\S]*?-->/g;
  const inBody = keywordHits(prose.replace(markerComments, ' '));
  if (inBody.length === 0) return undefined;
  const best = inBody.reduce((a, b) => (b.hits > a.hits ? b : a));
  return { demo: best.demo, reason: 'body', hits: best.hits };
}

/** The section's own lines: after its heading (from its first line for the root) up to its first child. */
export function sectionOwnText(parse: Pick<ParseResult, 'sections'>, lines: readonly string[], index: number): string {
  const section = parse.sections[index];
  if (!section) return '';
  const start = section.level === 0 ? section.startLine : section.startLine + 1;
  const firstChild = section.children.length > 0 ? parse.sections[section.children[0]] : undefined;
  const end = firstChild ? firstChild.startLine : section.endLine;
  return lines.slice(start, Math.max(start, end)).join('\n');
}

function isAncestor(parse: Pick<ParseResult, 'sections'>, ancestor: number, of: number): boolean {
  let current = parse.sections[of]?.parent;
  while (current !== undefined) {
    if (current === ancestor) return true;
    current = parse.sections[current]?.parent;
  }
  return false;
}

const STRENGTH: Record<DemoMatchReason, number> = { marker: 3, title: 2, body: 1 };

/**
 * The demo of every section that has one, resolved across the whole document (see the file
 * comment), ordered by section index.
 */
export function demosForDocument(parse: Pick<ParseResult, 'sections'>, text: string): SectionDemo[] {
  const lines = text.split(/\r\n|\r|\n/);
  const local: SectionDemo[] = [];
  for (const section of parse.sections) {
    const match = demoForSection(section, sectionOwnText(parse, lines, section.index));
    if (match) local.push({ ...match, sectionIndex: section.index });
  }

  const kept: SectionDemo[] = [];
  for (const demo of DEMO_IDS) {
    const candidates = local.filter((m) => m.demo === demo);
    if (candidates.length === 0) continue;
    const strongest = Math.max(...candidates.map((m) => STRENGTH[m.reason]));
    const best = candidates.filter((m) => STRENGTH[m.reason] === strongest);
    if (best[0].reason === 'marker') {
      kept.push(...best);
    } else if (best[0].reason === 'title') {
      // Deepest only: drop a title match when one of its descendants also matches by title.
      kept.push(...best.filter((m) => !best.some((o) => o !== m && isAncestor(parse, m.sectionIndex, o.sectionIndex))));
    } else {
      kept.push(best.reduce((a, b) => (b.hits > a.hits ? b : a)));
    }
  }
  return kept.sort((a, b) => a.sectionIndex - b.sectionIndex);
}

/** `demosForDocument` as a lookup: the demo id of each section index, or undefined. */
export function demoIdsBySection(parse: Pick<ParseResult, 'sections'>, text: string): Array<DemoId | undefined> {
  const ids: Array<DemoId | undefined> = parse.sections.map(() => undefined);
  for (const m of demosForDocument(parse, text)) ids[m.sectionIndex] = m.demo;
  return ids;
}
