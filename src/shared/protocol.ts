/**
 * The one message protocol between the extension host and Lectern's webviews.
 * Two discriminated unions per webview kind, keyed on `type`; every message crossing the boundary
 * is validated with the `is…` guards below before anything acts on it.
 * Imported by src/extension and src/webview alike; imports nothing but the pure demo registry of src/core.
 */
import { isDemoId, type DemoId } from '../core/demos/mapping';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- Preview (issue 5) ----------------------------------------------------------------------

/** The webview type of the lecture preview (also its `onWebviewPanel:` activation event). */
export const PREVIEW_VIEW_TYPE = 'lectern.preview';

/** What the preview persists through `setState` and a window reload (WebviewPanelSerializer). */
export interface PreviewState {
  /** The previewed document. */
  readonly uri: string;
  /** The source line at the top of the preview, for restoring the scroll position. */
  readonly line: number;
}

/**
 * The preview's content is a list of top-level blocks, each in a `<div class="lectern-block">`
 * (`display: contents`, so the layout is the note's). A `patch` replaces some of them.
 */
export const PREVIEW_BLOCK_CLASS = 'lectern-block';

/** One block's HTML in its wrapper, as the webview's content holds it. */
export function previewBlockHtml(html: string): string {
  return `<div class="${PREVIEW_BLOCK_CLASS}">${html}</div>`;
}

/** Replace `deleteCount` blocks from `start` (in the list the previous splices left) with `html`. */
export interface PreviewBlockSplice {
  readonly start: number;
  readonly deleteCount: number;
  readonly html: readonly string[];
}

export type PreviewToWebview =
  /**
   * New HTML for the whole note (math already rendered on the host), its blocks wrapped by
   * `previewBlockHtml`. `seq` numbers the content, so a patch can say which content it applies to.
   */
  | { readonly type: 'render'; readonly uri: string; readonly title: string; readonly html: string; readonly line?: number; readonly seq?: number }
  /**
   * An edit re-rendered some blocks: apply the splices in order to the content numbered `base`,
   * then move the `data-line`s of the blocks from `shiftFrom` on that no splice inserted by
   * `lineDelta`. The content is then numbered `seq`.
   */
  | {
      readonly type: 'patch';
      readonly uri: string;
      readonly base: number;
      readonly seq: number;
      readonly splices: readonly PreviewBlockSplice[];
      readonly shiftFrom: number;
      readonly lineDelta: number;
    }
  /** The editor scrolled: show this source line (fractional = between blocks) at the top. */
  | { readonly type: 'scrollToLine'; readonly line: number };

export type PreviewFromWebview =
  | { readonly type: 'ready' }
  /** A patch did not apply to the content shown: send the whole note. */
  | { readonly type: 'outOfSync' }
  /** The preview scrolled: this source line is now at its top. */
  | { readonly type: 'revealLine'; readonly line: number }
  /** Double-click on a block: put the editor's cursor on that line. */
  | { readonly type: 'selectLine'; readonly line: number }
  /** An open TODO badge was clicked. */
  | { readonly type: 'resolveTodo'; readonly todoId: string }
  /** A "▶ demo" button was clicked. */
  | { readonly type: 'openDemo'; readonly demo: string; readonly sectionIndex: number }
  /** A link was clicked; the host decides what it may open. */
  | { readonly type: 'openLink'; readonly href: string };

const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 10_000_000;
const isShortString = (v: unknown, max = 2048): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

export function isPreviewFromWebview(value: unknown): value is PreviewFromWebview {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'outOfSync':
      return true;
    case 'revealLine':
    case 'selectLine':
      return isLine(value.line);
    case 'resolveTodo':
      return isShortString(value.todoId, 512);
    case 'openDemo':
      return isShortString(value.demo, 128) && Number.isInteger(value.sectionIndex) && (value.sectionIndex as number) >= 0;
    case 'openLink':
      return isShortString(value.href, 4096);
    default:
      return false;
  }
}

const isSeq = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= Number.MAX_SAFE_INTEGER;

function isBlockSplice(value: unknown): value is PreviewBlockSplice {
  return isRecord(value) && isSeq(value.start) && isSeq(value.deleteCount) && Array.isArray(value.html) && value.html.every((h) => typeof h === 'string');
}

export function isPreviewToWebview(value: unknown): value is PreviewToWebview {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'render':
      return (
        typeof value.uri === 'string' &&
        typeof value.title === 'string' &&
        typeof value.html === 'string' &&
        (value.line === undefined || isLine(value.line)) &&
        (value.seq === undefined || isSeq(value.seq))
      );
    case 'patch':
      return (
        typeof value.uri === 'string' &&
        isSeq(value.base) &&
        isSeq(value.seq) &&
        Array.isArray(value.splices) &&
        value.splices.every(isBlockSplice) &&
        isSeq(value.shiftFrom) &&
        Number.isInteger(value.lineDelta) &&
        Math.abs(value.lineDelta as number) < 10_000_000
      );
    case 'scrollToLine':
      return isLine(value.line);
    default:
      return false;
  }
}

export function isPreviewState(value: unknown): value is PreviewState {
  return isRecord(value) && isShortString(value.uri, 8192) && isLine(value.line);
}

// ---- Demos (issue 6) ------------------------------------------------------------------------

/** The webview type of demo panels (also its `onWebviewPanel:` activation event). */
export const DEMO_VIEW_TYPE = 'lectern.demo';

/** Demo ids come from the one registry in src/core/demos/mapping.ts (a pure module, safe in every bundle). */
export type DemoPanelId = DemoId;

export type DemoBackendSetting = 'auto' | 'webgl' | 'cpu';

/** Longest answer text a demo may offer (a paragraph, not a document). */
export const DEMO_ANSWER_MAX = 4000;

export interface DemoTodoRef {
  readonly id: string;
  readonly text: string;
}

/** The section a panel was opened from; what the serializer restores after a reload. */
export interface DemoSectionRef {
  readonly uri: string;
  readonly sectionIndex: number;
  readonly title: string;
}

/** What a demo panel persists with `setState` (host part; the demo's own state sits in `demoState`). */
export interface DemoPanelState {
  readonly demo: DemoPanelId;
  readonly section?: DemoSectionRef;
  readonly demoState?: unknown;
}

export type DemoToWebview =
  /** The panel's section or its open TODOs changed (reused for another section, a TODO was resolved). */
  | { readonly type: 'todos'; readonly section?: DemoSectionRef; readonly todos: readonly DemoTodoRef[] }
  /** The panel was hidden or shown: pause or resume animation. */
  | { readonly type: 'visibility'; readonly visible: boolean }
  /** Outcome of a `useAnswer` request. */
  | { readonly type: 'answerResult'; readonly todoId: string; readonly ok: boolean; readonly message: string };

export type DemoFromWebview =
  /** The demo computed its first result (or changed it) with these key numbers. */
  | { readonly type: 'ready'; readonly backend: 'webgl' | 'cpu'; readonly summary: Readonly<Record<string, number | string | boolean>> }
  /** WebGL failed or its context was lost; the demo now runs on the CPU. */
  | { readonly type: 'backendFallback'; readonly reason: string }
  /** "Use as answer": resolve this TODO of the section with this text. */
  | { readonly type: 'useAnswer'; readonly todoId: string; readonly answer: string }
  /** Something failed inside the webview; the host logs it. */
  | { readonly type: 'error'; readonly message: string };

const isDemoText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isNonEmptyDemoText = (v: unknown, max: number): v is string => isDemoText(v, max) && v.length > 0;
const isSectionIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 1_000_000;

export function isDemoPanelId(value: unknown): value is DemoPanelId {
  return isDemoId(value);
}

export function isDemoBackendSetting(value: unknown): value is DemoBackendSetting {
  return value === 'auto' || value === 'webgl' || value === 'cpu';
}

function isDemoTodoRef(value: unknown): value is DemoTodoRef {
  return isRecord(value) && isNonEmptyDemoText(value.id, 512) && isDemoText(value.text, 4096);
}

function isDemoSummary(value: unknown): value is Record<string, number | string | boolean> {
  if (!isRecord(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= 64 &&
    entries.every(([k, v]) => k.length <= 64 && ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || isDemoText(v, 512)))
  );
}

export function isDemoSectionRef(value: unknown): value is DemoSectionRef {
  return isRecord(value) && isNonEmptyDemoText(value.uri, 8192) && isSectionIndex(value.sectionIndex) && isDemoText(value.title, 1024);
}

export function isDemoPanelState(value: unknown): value is DemoPanelState {
  return isRecord(value) && isDemoPanelId(value.demo) && (value.section === undefined || isDemoSectionRef(value.section));
}

export function isDemoToWebview(value: unknown): value is DemoToWebview {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'todos':
      return (
        Array.isArray(value.todos) && value.todos.length <= 1000 && value.todos.every(isDemoTodoRef) &&
        (value.section === undefined || isDemoSectionRef(value.section))
      );
    case 'visibility':
      return typeof value.visible === 'boolean';
    case 'answerResult':
      return isNonEmptyDemoText(value.todoId, 512) && typeof value.ok === 'boolean' && isDemoText(value.message, 2048);
    default:
      return false;
  }
}

export function isDemoFromWebview(value: unknown): value is DemoFromWebview {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return (value.backend === 'webgl' || value.backend === 'cpu') && isDemoSummary(value.summary);
    case 'backendFallback':
      return isDemoText(value.reason, 2048);
    case 'useAnswer':
      return isNonEmptyDemoText(value.todoId, 512) && isNonEmptyDemoText(value.answer, DEMO_ANSWER_MAX) && value.answer.trim().length > 0;
    case 'error':
      return isDemoText(value.message, 4096);
    default:
      return false;
  }
}
