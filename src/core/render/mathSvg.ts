import type { KatexMacros } from './noteMath';
import { MAX_FORMULA_LENGTH } from './mathCache';
import { katexHtmlTree, renderKatex } from './katexGuard';
import { errorMessage } from '../errors';

/** The hover loads this module lazily and plans the note's formulas with it. */
export { planNoteMath } from './noteMath';

/**
 * A formula as a self-contained SVG image, for editor hovers: VS Code's hover strips KaTeX's HTML
 * and CSS, but shows `data:` images. KaTeX's MathML output (same parser, same macros, same bounds as
 * the preview) sits in a `<foreignObject>`; Chromium lays MathML out natively, so no fonts are
 * embedded and the image stays small. An SVG image needs its size up front: it is estimated from
 * KaTeX's own layout (its font metrics), with a margin for the browser's math font.
 */
export interface MathSvgOptions {
  /** CSS colour of the formula (the host picks one that reads on the current theme). */
  readonly color?: string;
  /** Font size of the surrounding text, in px. */
  readonly fontSizePx?: number;
}

export type MathSvgResult =
  | { readonly ok: true; readonly svg: string; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly error: string };

/** Hover images must stay small: VS Code truncates hover Markdown past 100 000 characters. */
export const MAX_SVG_LENGTH = 60_000;

export function renderMathSvg(tex: string, displayMode: boolean, macros: KatexMacros, options: MathSvgOptions = {}): MathSvgResult {
  if (tex.length > MAX_FORMULA_LENGTH) return { ok: false, error: `Formula is too long (${tex.length} characters, limit ${MAX_FORMULA_LENGTH})` };
  const fontSize = options.fontSizePx ?? 16;
  const color = /^#[0-9a-fA-F]{3,8}$|^[a-z]+$/.test(options.color ?? '') ? options.color! : '#333333';
  let mathml: string;
  let size: { width: number; height: number; depth: number };
  try {
    mathml = renderKatex(tex, { displayMode, macros, output: 'mathml' });
    size = estimateSize(tex, displayMode, macros);
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
  // KaTeX sizes are in em of its own font, which is 1.21× the surrounding text.
  const em = fontSize * 1.21;
  const pad = Math.round(fontSize * 0.5);
  const width = Math.ceil(size.width * em * 1.12) + 2 * pad;
  const height = Math.ceil((size.height + size.depth) * em * 1.1) + 2 * pad;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<foreignObject x="0" y="0" width="${width}" height="${height}">` +
    `<div xmlns="http://www.w3.org/1999/xhtml" style="margin:0;padding:${pad}px;color:${color};font-size:${em.toFixed(2)}px;` +
    `line-height:1;white-space:nowrap;font-family:'Latin Modern Math','STIX Two Math','Cambria Math',math,serif">` +
    mathElement(mathml, displayMode) +
    `</div></foreignObject></svg>`;
  if (svg.length > MAX_SVG_LENGTH) return { ok: false, error: `Formula too large to preview in a hover (${svg.length} characters of SVG)` };
  return { ok: true, svg, width, height };
}

/** KaTeX wraps its MathML in spans; the image needs the bare `<math>` element, with one `display`. */
function mathElement(markup: string, displayMode: boolean): string {
  const start = markup.indexOf('<math');
  const end = markup.lastIndexOf('</math>');
  if (start === -1 || end === -1) return '';
  const math = markup.slice(start, end + '</math>'.length).replace(/^<math([^>]*?) display="[^"]*"/, '<math$1');
  return math.replace(/^<math/, `<math display="${displayMode ? 'block' : 'inline'}"`);
}

// ---- size estimate from KaTeX's layout tree --------------------------------------------------

interface LayoutNode {
  readonly classes?: readonly string[];
  readonly children?: readonly LayoutNode[];
  readonly style?: Readonly<Record<string, string | undefined>>;
  readonly width?: number;
  readonly italic?: number;
  readonly text?: string;
  readonly height?: number;
  readonly depth?: number;
}

/** KaTeX's size multipliers for `\tiny` … `\Huge` (the `sizeN` classes). */
const SIZES = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.2, 1.44, 1.728, 2.074, 2.488];

function estimateSize(tex: string, displayMode: boolean, macros: KatexMacros): { width: number; height: number; depth: number } {
  const tree = katexHtmlTree<LayoutNode>(tex, { displayMode, macros });
  if (!tree) return { width: tex.length * 0.6, height: 1, depth: 0.3 };
  return { width: widthOf(tree, 0), height: Math.max(tree.height ?? 0.8, 0.8), depth: Math.max(tree.depth ?? 0.2, 0.2) };
}

function emOf(value: string | undefined): number {
  if (!value) return 0;
  const m = /^(-?[\d.]+)em$/.exec(value);
  return m ? Number(m[1]) : 0;
}

function widthOf(node: LayoutNode, depth: number): number {
  if (depth > 200) return 0;
  const style = node.style ?? {};
  const extra = emOf(style.marginLeft) + emOf(style.marginRight) + emOf(style.paddingLeft) + emOf(style.paddingRight);
  if (typeof node.text === 'string' && typeof node.width === 'number') return node.width + (node.italic ?? 0) + extra;
  const classes = node.classes ?? [];
  const children = node.children ?? [];
  let scale = 1;
  if (classes.includes('sizing') || classes.includes('fontsize-ensurer')) {
    const from = classes.find((c) => c.startsWith('reset-size'));
    const to = classes.find((c) => /^size\d+$/.test(c));
    if (from && to) scale = (SIZES[Number(to.slice(4)) - 1] ?? 1) / (SIZES[Number(from.slice(10)) - 1] ?? 1);
  }
  // vlists stack rows vertically: the widest row counts. Everything else sits side by side.
  const stacked = classes.includes('vlist') || classes.includes('vlist-t');
  let inner = 0;
  for (const child of children) {
    const w = widthOf(child, depth + 1);
    inner = stacked ? Math.max(inner, w) : inner + w;
  }
  inner = Math.max(inner, emOf(style.minWidth), emOf(style.width));
  return inner * scale + extra;
}
