import * as vscode from 'vscode';
import type { Services } from '../services';
import { KeyedDebouncer } from '../model/debounce';
import { checkMath } from '../../core';
import type { MathSpan, ParseResult } from '../../core';
import { MAX_FORMULA_LENGTH, type MathRenderCache } from '../../core/render/mathCache';
import { warmFormulas } from './warmFormulas';
import type { MacrosProvider } from './macrosProvider';
import { DIAGNOSTIC_SOURCE } from '../diagnosticSource';
import { Disposable } from '../model/lifecycle';

export const MATH_DIAGNOSTICS_COLLECTION = 'lectern-math';

/**
 * KaTeX errors of open Markdown notes in the Problems panel, at the exact offending range (the
 * core's `checkMath`, the same code `lectern check` runs). Updated on open, debounced while typing,
 * cleared on close, off when `lectern.math.diagnostics` is false.
 *
 * A keystroke should not re-run KaTeX on every formula: formulas already known to render (the
 * shared formula cache, keyed by source, display mode and macros) are skipped, and only the rest
 * go through `checkMath` for exact positions. A cold note is warmed in slices (`warmFormulas`) so
 * the extension host never blocks on a note's worth of KaTeX.
 */
export class MathDiagnostics extends Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(MATH_DIAGNOSTICS_COLLECTION);
  private readonly timers = new KeyedDebouncer();
  /** The parse each document's diagnostics were computed from. */
  private readonly checked = new Map<string, ParseResult>();

  constructor(
    private readonly services: Services,
    private readonly macros: MacrosProvider,
    private readonly cache: MathRenderCache,
  ) {
    super();
    this._registerAll(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      services.config.onDidChange((change) => {
        if (change.affects('lectern.math')) this.refreshAll();
      }),
      // A note parsed again at the same version (the TODO tags changed): check it again.
      services.notes.onDidChange((keys) => {
        for (const document of vscode.workspace.textDocuments) {
          const key = document.uri.toString();
          const checked = this.checked.get(key);
          const note = keys.has(key) ? services.notes.model.get(key) : undefined;
          if (checked && note && note.version === document.version && note.parse !== checked) this.schedule(document, 0);
        }
      }),
      macros.onDidChange(() => this.refreshAll()),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  private schedule(document: vscode.TextDocument, delay = this.services.config.previewDebounceMs(document.uri)): void {
    if (document.languageId !== 'markdown') return;
    this.timers.schedule(document.uri.toString(), delay, () => {
      void this.update(document).catch((e: unknown) => this.services.log.error(e instanceof Error ? e : String(e)));
    });
  }

  private clear(uri: vscode.Uri): void {
    this.timers.cancel(uri.toString());
    this.checked.delete(uri.toString());
    this.collection.delete(uri);
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    if (!this.services.config.mathDiagnostics(document.uri)) {
      this.collection.delete(document.uri);
      return;
    }
    const version = document.version;
    const { macros } = await this.macros.forDocument(document.uri);
    if (document.isClosed || document.version !== version) return; // A newer update is scheduled.
    const parse = await this.services.notes.parse(document);
    if (!parse || document.version !== version) return; // Closed, or a newer update is scheduled.
    this.checked.set(document.uri.toString(), parse);
    const diagnostics: vscode.Diagnostic[] = [];
    const failed = await warmFormulas(parse.math, this.cache, macros, () => document.isClosed || document.version !== version);
    if (!failed) return; // The note changed meanwhile; a newer update is scheduled.
    const suspects = new Set<MathSpan>();
    for (const span of failed) {
      if (span.content.length > MAX_FORMULA_LENGTH) {
        diagnostics.push(this.diagnostic(spanRange(document, span), `Formula is too long to check (${span.content.length} characters, limit ${MAX_FORMULA_LENGTH})`));
      } else suspects.add(span);
    }
    if (suspects.size > 0) {
      // The whole note, so each formula sees the macros defined before it; only suspects reach KaTeX.
      for (const error of checkMath({ text: document.getText(), parse }, { macros, only: (span) => suspects.has(span) })) {
        const range = new vscode.Range(error.range.start.line, error.range.start.character, error.range.end.line, error.range.end.character);
        const diagnostic = this.diagnostic(range, error.message);
        // `undefined-macro` carries the quick fix that defines it in `.lectern/macros.tex` (defineMacroFix.ts).
        if (error.code) diagnostic.code = error.code;
        diagnostics.push(diagnostic);
      }
    }
    this.collection.set(document.uri, diagnostics);
  }

  private diagnostic(range: vscode.Range, message: string): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    return diagnostic;
  }

  override dispose(): void {
    this.timers.dispose();
    super.dispose();
  }
}

function spanRange(document: vscode.TextDocument, span: MathSpan): vscode.Range {
  return new vscode.Range(document.positionAt(span.span.startOffset), document.positionAt(span.span.endOffset));
}
