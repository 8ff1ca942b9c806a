import * as vscode from 'vscode';
import type { Services } from '../services';
import type { MathSpan } from '../../core';
import type { MacrosProvider } from './macrosProvider';
import type * as MathSvg from '../../core/render/mathSvg';
import { utf8ToBase64 } from '../../core/base64';
import { partitionPoint } from '../../core/partitionPoint';

/**
 * Hovering a formula shows it rendered. VS Code's hover drops KaTeX's HTML and CSS, so the formula
 * travels as an SVG image (data URI) built from KaTeX's MathML with the note's macros; when KaTeX
 * rejects the formula, the hover shows KaTeX's message instead. Results are cached per
 * (formula, display, macros, theme colour). The KaTeX side is loaded on the first hover only.
 */
export class MathHoverProvider implements vscode.HoverProvider {
  private readonly cache = new Map<string, vscode.MarkdownString>();
  private svgModule: Promise<typeof MathSvg> | undefined;

  constructor(
    private readonly services: Services,
    private readonly macros: MacrosProvider,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const parse = await this.services.notes.parse(document, token);
    if (!parse) return undefined;
    const spans = parse.math;
    const span = mathAt(spans, document.offsetAt(position));
    if (!span) return undefined;
    const { macros } = await this.macros.forDocument(document.uri);
    if (token.isCancellationRequested) return undefined;
    // With the macros the note defined before this formula, as the preview renders it.
    this.svgModule ??= import(/* webpackChunkName: "mathHover" */ '../../core/render/mathSvg');
    const { renderMathSvg, planNoteMath } = await this.svgModule;
    const plan = planNoteMath(spans, macros)[spans.indexOf(span)];
    const color = themeColor(vscode.window.activeColorTheme.kind);
    const cacheKey = `${plan.displayMode ? 'D' : 'I'}\u0000${color}\u0000${plan.key}\u0000${plan.tex}`;
    let contents = this.cache.get(cacheKey);
    if (!contents) {
      const result = plan.problems.length > 0 && plan.tex.trim() === '' ? { ok: false as const, error: plan.problems[0].message } : renderMathSvg(plan.tex, plan.displayMode, plan.macros, { color, fontSizePx: 16 });
      contents = new vscode.MarkdownString();
      if (result.ok) {
        const data = utf8ToBase64(result.svg);
        contents.appendMarkdown(`![Rendered formula](data:image/svg+xml;base64,${data})`);
      } else {
        contents.appendMarkdown('**KaTeX error**\n\n');
        contents.appendCodeblock(result.error, 'text');
      }
      this.cache.set(cacheKey, contents);
      if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value!);
    }
    const range = new vscode.Range(document.positionAt(span.span.startOffset), document.positionAt(span.span.endOffset));
    return new vscode.Hover(contents, range);
  }
}

export function mathAt(spans: readonly MathSpan[], offset: number): MathSpan | undefined {
  // Spans are in source order: binary search for the last one starting at or before `offset`.
  const found = spans[partitionPoint(spans.length, (i) => spans[i].span.startOffset <= offset) - 1] as MathSpan | undefined;
  return found && offset <= found.span.endOffset ? found : undefined;
}

function themeColor(kind: vscode.ColorThemeKind): string {
  switch (kind) {
    case vscode.ColorThemeKind.Dark:
      return '#e4e4e4';
    case vscode.ColorThemeKind.HighContrast:
      return '#ffffff';
    case vscode.ColorThemeKind.HighContrastLight:
      return '#000000';
    default:
      return '#1f1f1f';
  }
}
