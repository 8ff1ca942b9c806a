import type { BlockRenderUpdate } from '../../core/render/incrementalRender';
import { previewBlockHtml, type PreviewToWebview } from '../../shared/protocol';

/**
 * When a preview renders and what it sends, without `vscode`, so plain Node tests drive it with a
 * fake clock (test/unit/preview/previewScheduling.test.ts). PreviewManager wires it to panels.
 */

/** The timers the scheduler uses (the real ones, or a test's manual clock). */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Debounce and staleness of one preview's renders. `schedule` waits for a quiet `delayMs` (typing
 * renders once, after the last key); `begin` marks a render as started and returns its staleness
 * check, true once a newer render began or the scheduler was disposed — an async render checks it
 * after every await and drops its result instead of posting an old note over a newer one.
 */
export class RenderScheduler {
  private timer: unknown;
  private generation = 0;
  private disposed = false;

  constructor(
    private readonly run: () => void,
    private readonly timers: Timers = realTimers,
  ) {}

  get pending(): boolean {
    return this.timer !== undefined;
  }

  schedule(delayMs: number): void {
    if (this.disposed) return;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      if (!this.disposed) this.run();
    }, delayMs);
  }

  begin(): () => boolean {
    const generation = ++this.generation;
    return () => this.disposed || generation !== this.generation;
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }
}

/**
 * Which content the webview holds, so an update goes out as a patch only when it applies: after
 * the webview was rebuilt (hidden and shown, reloaded), reported a patch it could not apply, or
 * shows another note, the next update is the whole note.
 */
export class PreviewContentSync {
  private seq = 0;
  private inSync = false;

  /** The webview document was just set; its content is numbered 0. */
  shellSent(): void {
    this.seq = 0;
    this.inSync = true;
  }

  /** The webview's content is unknown (hidden, rebuilt, out of sync): send the whole note next. */
  lost(): void {
    this.inSync = false;
  }

  /**
   * The webview said `ready`: its document was (re)built from the shell's HTML, so it shows content 0.
   * Whether it now lags the host (content was posted since the shell): then it is out of sync.
   */
  rebuilt(): boolean {
    if (this.seq === 0) return false;
    this.inSync = false;
    return true;
  }

  get synced(): boolean {
    return this.inSync;
  }

  /**
   * The message for `update` of note `uri`. `allBlocks` gives every block's HTML as the host has it
   * now (a patch that cannot be sent becomes a whole render); `transform` is applied to each block's
   * HTML (the host moves KaTeX's inline styles).
   */
  message(
    uri: string,
    title: string,
    update: BlockRenderUpdate,
    allBlocks: () => readonly string[],
    transform: (html: string) => string = (h) => h,
  ): PreviewToWebview {
    if (update.kind === 'full' || !this.inSync) {
      this.inSync = true;
      const blocks = update.kind === 'full' ? update.blocks : allBlocks();
      return { type: 'render', uri, title, html: blocks.map((b) => previewBlockHtml(transform(b))).join(''), seq: ++this.seq };
    }
    const base = this.seq;
    return {
      type: 'patch',
      uri,
      base,
      seq: ++this.seq,
      splices: update.splices.map((s) => ({ start: s.start, deleteCount: s.deleteCount, html: s.html.map(transform) })),
      shiftFrom: update.shiftFrom,
      lineDelta: update.lineDelta,
    };
  }
}
