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
 * mentions the topic most often, and only when no section has it by marker or title.
 */
import type { ParseResult, Section } from '../types';

/**
 * The demo registry: one entry per demo, keyed by its id (the name of its folder under
 * src/webview/demos/). Adding a demo is one entry here plus that folder; everything else (the
 * protocol's guards, the webview chunk, the CodeLens, the quick pick, the bench) reads this record.
 * Keyword patterns: case-insensitive except acronyms, which must be upper case (no `i` flag).
 */
interface DemoEntry {
  readonly title: string;
  readonly description: string;
  readonly formulaTex: string;
  /** Title/body keywords; each match is one hit for the demo. */
  readonly keywords: readonly RegExp[];
}

const DEMOS = {
  dropout: {
    title: 'Dropout',
    description: 'Two MLPs trained from the same weights, with and without dropout; train/eval scaling conventions',
    formulaTex: String.raw`\tilde h_j = \frac{m_j\, h_j}{1-p},\qquad m_j \sim \operatorname{Bernoulli}(1-p)`,
    keywords: [/\bdrop[- ]?outs?\b/gi],
  },
  batchnorm: {
    title: 'Batch normalization',
    description: 'Training with and without BN at a high learning rate; μ_B, σ²_B, x̂, γ, β on the live batch',
    formulaTex: String.raw`\hat x_i = \frac{x_i - \mu_\mathcal{B}}{\sqrt{\sigma_\mathcal{B}^2 + \epsilon}},\qquad y_i = \gamma \hat x_i + \beta`,
    keywords: [/\bbatch[- ]?norm(?:ali[sz]ation|ali[sz]ed)?\b|\bbatchnorm\b|\bBN\b(?=[- ]layer)/gi],
  },
  'transposed-conv': {
    title: 'Transposed convolution',
    description: 'One real conv2dTranspose: scatter view, zero-stretched convolution, overlap counts and checkerboards',
    formulaTex: String.raw`o = s\,(i-1) + a + k - 2p`,
    keywords: [/\btransposed?[- ]conv(?:olution)?s?\b|\bup[- ]?conv(?:olution)?s?\b|\bdeconv(?:olution)?s?\b|\bconv2d_?transpose\b/gi],
  },
  anchors: {
    title: 'Anchors',
    description: 'RPN/FPN anchors labelled by IoU against draggable ground-truth boxes; NMS step by step',
    formulaTex: String.raw`\operatorname{IoU}(A,B) = \frac{|A \cap B|}{|A \cup B|},\qquad \text{positive: } \operatorname{IoU} \ge 0.7,\ \text{negative: } \operatorname{IoU} < 0.3`,
    keywords: [/\banchor(?:s|[- ]box(?:es)?)?\b/gi, /\b[RF]PNs?\b/g],
  },
  'conv-arithmetic': {
    title: 'Convolution arithmetic',
    description: 'Input, kernel, stride, padding, dilation and pooling layers: output sizes checked against tf.conv2d, the receptive field of any output pixel',
    formulaTex: String.raw`o = \left\lfloor \frac{i + 2p - d\,(k-1) - 1}{s} \right\rfloor + 1,\qquad r_l = r_{l-1} + d_l (k_l - 1) \prod_{m<l} s_m`,
    // Not bare "pooling": "ROI pooling" is a detection topic.
    keywords: [/\breceptive fields?\b|\bstrides?\b|\b(?:dilated|atrous) conv(?:olution)?s?\b|\bconvolution arithmetic\b|\bmax[- ]?pooling\b/gi],
  },
  'viola-jones': {
    title: 'Viola–Jones',
    description: 'Integral image and four-lookup rectangle sums, Haar features, AdaBoost choosing decision stumps round by round',
    formulaTex: String.raw`\textstyle\sum_{\text{rect}} i = S(D) - S(B) - S(C) + S(A),\qquad \alpha_m = \tfrac12 \ln \frac{1-\varepsilon_m}{\varepsilon_m}`,
    keywords: [/\bintegral images?\b|\bviola[-–— ]?jones\b|\badaboost\b|\bhaar(?:[- ]like)? features?\b/gi],
  },
  'learning-dynamics': {
    title: 'Learning dynamics',
    description: 'Gradient descent with momentum and weight decay (the AlexNet rule) on 2-D loss surfaces, learning-rate schedules, MSE vs cross-entropy',
    formulaTex: String.raw`v_{i+1} = M v_i - \eta \left\langle \tfrac{\partial L}{\partial w} \right\rangle - \mu \eta w_i,\qquad w_{i+1} = w_i + v_{i+1}`,
    keywords: [/\bgradient descent\b|\bmomentum\b|\bweight decay\b|\bmean squared error\b|\bcross[- ]entropy\b/gi, /\bSGD\b/g],
  },
} as const satisfies Record<string, DemoEntry>;

export type DemoId = keyof typeof DEMOS;

export const DEMO_IDS = Object.keys(DEMOS) as readonly DemoId[];

export function isDemoId(value: unknown): value is DemoId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DEMOS, value);
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

export const DEMO_INFO: Readonly<Record<DemoId, DemoInfo>> = Object.fromEntries(
  DEMO_IDS.map((id) => [id, { id, title: DEMOS[id].title, description: DEMOS[id].description, formulaTex: DEMOS[id].formulaTex }]),
) as Record<DemoId, DemoInfo>;

const KEYWORDS: ReadonlyArray<{ readonly demo: DemoId; readonly pattern: RegExp }> = DEMO_IDS.flatMap((demo) =>
  DEMOS[demo].keywords.map((pattern) => ({ demo, pattern })),
);

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
  /**
   * 0-based line to show the demo at: the heading for marker and title matches, the first mention
   * for body matches (so a long heading-less section can carry several demos at their paragraphs).
   */
  readonly line: number;
}

interface Hit {
  demo: DemoId;
  hits: number;
  /** Offset of the first hit. */
  first: number;
}

/** Keyword hits per demo in `text`, in order of the first hit. */
function keywordHits(text: string): Hit[] {
  const found = new Map<DemoId, Hit>();
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

/**
 * Fenced code blocks and inline code are not prose about a topic (`model.add(Dropout(0.5))`).
 * Code is blanked, not removed, so offsets still map to the same lines.
 */
function proseOnly(text: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const opener = /^[ \t]{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === undefined && opener) {
      fence = opener[1];
      out.push('');
    } else if (fence !== undefined) {
      if (new RegExp(`^[ \\t]{0,3}${fence[0]}{${fence.length},}[ \\t]*$`).test(line)) fence = undefined;
      out.push('');
    } else {
      out.push(line.replace(/`[^`\n]+`/g, (m) => ' '.repeat(m.length)));
    }
  }
  return out.join('\n');
}

/** Everything one section says about demos, from its title and its own prose. */
interface Evidence {
  readonly marker: DemoId | 'none' | undefined;
  readonly title: Hit[];
  readonly body: Hit[];
  /** The prose the body offsets refer to. */
  readonly prose: string;
}

function evidence(title: string, sectionBodyText: string): Evidence {
  const prose = proseOnly(sectionBodyText);
  const marker = markerIn(prose);
  const withoutComments = prose.replace(/<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, ' '));
  return { marker, title: keywordHits(title), body: keywordHits(withoutComments), prose };
}

/**
 * Judges one section alone from its title and its own body text (the text between its heading and
 * its first subsection; `sectionOwnText` extracts it): the marker, else the first keyword of the
 * title, else the most mentioned topic of the body. Markers and keywords count only in prose, not
 * in code blocks or inline code.
 */
export function demoForSection(section: Pick<Section, 'title'>, sectionBodyText: string): SectionDemoMatch | undefined {
  const e = evidence(section.title, sectionBodyText);
  if (e.marker === 'none') return undefined;
  if (e.marker) return { demo: e.marker, reason: 'marker', hits: 1 };
  if (e.title.length > 0) return { demo: e.title[0].demo, reason: 'title', hits: e.title[0].hits };
  if (e.body.length === 0) return undefined;
  const best = e.body.reduce((a, b) => (b.hits > a.hits ? b : a));
  return { demo: best.demo, reason: 'body', hits: best.hits };
}

/** The 0-based line of the section's own text (see `sectionOwnText`). */
function ownTextStart(section: Pick<Section, 'level' | 'startLine'>): number {
  return section.level === 0 ? section.startLine : section.startLine + 1;
}

/** The section's own lines: after its heading (from its first line for the root) up to its first child. */
export function sectionOwnText(parse: Pick<ParseResult, 'sections'>, lines: readonly string[], index: number): string {
  const section = parse.sections[index];
  if (!section) return '';
  const start = ownTextStart(section);
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
 * Every (section, demo) pair of the document, resolved as the file comment describes, ordered by
 * line. For each demo: sections with its marker; else the deepest sections with it in the title;
 * else the one section (without a marker) that mentions it most in its own prose. A section can
 * carry several demos only through body mentions (a long section covering several topics).
 */
export function demosForDocument(parse: Pick<ParseResult, 'sections'>, text: string): SectionDemo[] {
  const lines = text.split(/\r\n|\r|\n/);
  const all = parse.sections.map((section) => ({ section, e: evidence(section.title, sectionOwnText(parse, lines, section.index)) }));
  const kept: SectionDemo[] = [];
  for (const demo of DEMO_IDS) {
    const marked = all.filter(({ e }) => e.marker === demo);
    if (marked.length > 0) {
      for (const { section } of marked) kept.push({ demo, reason: 'marker', hits: 1, sectionIndex: section.index, line: section.startLine });
      continue;
    }
    const titled = all.filter(({ e }) => e.marker === undefined && e.title.some((h) => h.demo === demo));
    if (titled.length > 0) {
      for (const { section, e } of titled) {
        if (titled.some((o) => o.section !== section && isAncestor(parse, section.index, o.section.index))) continue;
        kept.push({ demo, reason: 'title', hits: e.title.find((h) => h.demo === demo)!.hits, sectionIndex: section.index, line: section.startLine });
      }
      continue;
    }
    let best: { section: Section; hit: Hit; prose: string } | undefined;
    for (const { section, e } of all) {
      if (e.marker !== undefined) continue;
      const hit = e.body.find((h) => h.demo === demo);
      if (hit && (!best || hit.hits > best.hit.hits)) best = { section, hit, prose: e.prose };
    }
    if (best) {
      const line = ownTextStart(best.section) + (best.prose.slice(0, best.hit.first).match(/\n/g)?.length ?? 0);
      kept.push({ demo, reason: 'body', hits: best.hit.hits, sectionIndex: best.section.index, line });
    }
  }
  return kept.sort((a, b) => a.line - b.line || a.sectionIndex - b.sectionIndex);
}

/**
 * One demo id per section (what `lectern sections --json` reports as `demo`): the strongest of
 * the section's demos (marker, then title, then most mentioned), or undefined.
 */
export function demoIdsBySection(parse: Pick<ParseResult, 'sections'>, text: string): Array<DemoId | undefined> {
  const best: Array<SectionDemo | undefined> = parse.sections.map(() => undefined);
  for (const m of demosForDocument(parse, text)) {
    const current = best[m.sectionIndex];
    if (!current || STRENGTH[m.reason] > STRENGTH[current.reason] || (m.reason === current.reason && m.hits > current.hits)) best[m.sectionIndex] = m;
  }
  return best.map((m) => m?.demo);
}
