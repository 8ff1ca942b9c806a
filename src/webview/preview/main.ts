/**
 * The lecture preview webview. The host sends finished HTML (math rendered there); this script
 * only places it, keeps editor and preview scrolled to the same source line, and turns clicks on
 * TODO badges, demo buttons and links into messages. It never evaluates anything from the note.
 */
import { PREVIEW_BLOCK_CLASS, isPreviewState, isPreviewToWebview } from '../../shared/protocol';
import type { PreviewFromWebview, PreviewState, PreviewToWebview } from '../../shared/protocol';
import { getLineElementsAtPageOffset, getScrollTopForLine, type LineElement } from './scrollSync';

interface VsCodeApi {
  postMessage(message: PreviewFromWebview): void;
  getState(): unknown;
  setState(state: PreviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const content = document.getElementById('lectern-content') as HTMLElement;

let state: PreviewState | undefined = readInitialState();
let lineElements: LineElement[] = [];
/** The number of the content shown (the host's `seq`; the first HTML is 0): what a patch applies to. */
let contentSeq = 0;
/** Scroll events caused by the host's `scrollToLine` must not echo back to the editor. */
let ignoreScrollUntil = 0;

function readInitialState(): PreviewState | undefined {
  const saved = vscode.getState();
  if (isPreviewState(saved)) return saved;
  const meta = document.getElementById('lectern-preview-state');
  try {
    const parsed: unknown = JSON.parse(meta?.getAttribute('data-state') ?? 'null');
    return isPreviewState(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The CSP has no 'unsafe-inline' for styles, so style attributes in HTML would be dropped; the host
 * moves KaTeX's layout styles to `data-lectern-style` and they are applied here through the CSSOM,
 * which the CSP allows.
 */
function applyStyles(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-lectern-style]')) {
    el.style.cssText = el.getAttribute('data-lectern-style') ?? '';
    el.removeAttribute('data-lectern-style');
  }
}

function indexLines(): void {
  lineElements = [];
  for (const element of content.querySelectorAll<HTMLElement>('[data-line]')) {
    const line = Number(element.getAttribute('data-line'));
    if (Number.isFinite(line)) lineElements.push({ element, line });
  }
}

function scrollToLine(line: number): void {
  const top = getScrollTopForLine(lineElements, line, window.scrollY);
  if (top === undefined) return;
  ignoreScrollUntil = Date.now() + 150;
  window.scrollTo({ top, behavior: 'auto' });
}

function render(message: Extract<PreviewToWebview, { type: 'render' }>): void {
  const sameDocument = state?.uri === message.uri;
  const keepLine = sameDocument ? currentLine() : undefined;
  content.innerHTML = message.html;
  contentSeq = message.seq ?? 0;
  applyStyles(content);
  indexLines();
  document.title = message.title;
  document.body.classList.add('lectern-ready');
  const line = message.line ?? keepLine ?? (sameDocument ? state?.line : undefined);
  if (line !== undefined) scrollToLine(line);
  saveState(message.uri, line ?? 0);
}

/**
 * Replaces the blocks an edit re-rendered, leaving the others' DOM alone, and moves the
 * `data-line`s of the blocks below by the lines the edit added or removed. A patch for content this
 * webview does not show (it was rebuilt, or a message was lost) asks the host for the whole note.
 */
function patch(message: Extract<PreviewToWebview, { type: 'patch' }>): void {
  if (state?.uri !== message.uri || message.base !== contentSeq) {
    vscode.postMessage({ type: 'outOfSync' });
    return;
  }
  const keepLine = currentLine();
  const blocks = content.children;
  const inserted = new Set<Element>();
  for (const splice of message.splices) {
    if (splice.start + splice.deleteCount > blocks.length) {
      contentSeq = -1;
      vscode.postMessage({ type: 'outOfSync' });
      return;
    }
    const before = blocks[splice.start + splice.deleteCount] ?? null;
    for (let i = 0; i < splice.deleteCount; i++) blocks[splice.start].remove();
    for (const html of splice.html) {
      const block = document.createElement('div');
      block.className = PREVIEW_BLOCK_CLASS;
      block.innerHTML = html;
      applyStyles(block);
      content.insertBefore(block, before);
      inserted.add(block);
    }
  }
  if (message.lineDelta !== 0) {
    for (let i = message.shiftFrom; i < blocks.length; i++) {
      if (inserted.has(blocks[i])) continue;
      for (const element of blocks[i].querySelectorAll('[data-line]')) {
        element.setAttribute('data-line', String(Number(element.getAttribute('data-line')) + message.lineDelta));
      }
    }
  }
  contentSeq = message.seq;
  indexLines();
  if (keepLine !== undefined) scrollToLine(keepLine);
}

function currentLine(): number | undefined {
  if (lineElements.length === 0) return undefined;
  const { previous, next } = getLineElementsAtPageOffset(lineElements, window.scrollY);
  if (!previous) return 0;
  const top = previous.element.getBoundingClientRect().top + window.scrollY;
  if (next && next.line > previous.line) {
    const nextTop = next.element.getBoundingClientRect().top + window.scrollY;
    const fraction = nextTop > top ? (window.scrollY - top) / (nextTop - top) : 0;
    return previous.line + Math.max(0, Math.min(1, fraction)) * (next.line - previous.line);
  }
  return previous.line;
}

function saveState(uri: string, line: number): void {
  state = { uri, line: Math.max(0, line) };
  vscode.setState(state);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isPreviewToWebview(message)) return;
  switch (message.type) {
    case 'render':
      render(message);
      break;
    case 'patch':
      patch(message);
      break;
    case 'scrollToLine':
      scrollToLine(message.line);
      if (state) saveState(state.uri, message.line);
      break;
    default: {
      const unexpected: never = message;
      void unexpected;
    }
  }
});

let scrollScheduled = false;
window.addEventListener(
  'scroll',
  () => {
    if (scrollScheduled) return;
    scrollScheduled = true;
    requestAnimationFrame(() => {
      scrollScheduled = false;
      const line = currentLine();
      if (line === undefined) return;
      if (state) saveState(state.uri, line);
      if (Date.now() < ignoreScrollUntil) return;
      vscode.postMessage({ type: 'revealLine', line });
    });
  },
  { passive: true },
);

content.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const todo = target.closest<HTMLElement>('.lectern-todo-open[data-todo-id]');
  if (todo) {
    event.preventDefault();
    vscode.postMessage({ type: 'resolveTodo', todoId: todo.dataset.todoId ?? '' });
    return;
  }
  const demo = target.closest<HTMLElement>('.lectern-demo[data-demo]');
  if (demo) {
    event.preventDefault();
    vscode.postMessage({ type: 'openDemo', demo: demo.dataset.demo ?? '', sectionIndex: Number(demo.dataset.sectionIndex ?? -1) });
    return;
  }
  const link = target.closest<HTMLAnchorElement>('a[href]');
  if (link) {
    event.preventDefault();
    const href = link.getAttribute('href') ?? '';
    if (href.startsWith('#')) {
      document.getElementById(decodeURIComponent(href.slice(1)))?.scrollIntoView();
      return;
    }
    vscode.postMessage({ type: 'openLink', href });
  }
});

content.addEventListener('dblclick', (event) => {
  const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-line]') : null;
  const line = Number(target?.getAttribute('data-line'));
  if (target && Number.isFinite(line)) vscode.postMessage({ type: 'selectLine', line });
});

applyStyles(content);
indexLines();
if (state) scrollToLine(state.line);
document.body.classList.add('lectern-ready');
vscode.postMessage({ type: 'ready' });
