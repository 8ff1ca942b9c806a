/**
 * The contract between the demo host (src/webview/demos/main.ts) and each demo module
 * (src/webview/demos/<id>/index.ts). The host owns tfjs loading, backend selection, the message
 * protocol, state persistence and pause/resume; a demo owns its DOM subtree and its tensors.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { DemoId } from '../../core/demos/mapping';

export type Tf = typeof tfc;
export type BackendName = 'webgl' | 'cpu';

export interface DemoStats {
  /** Training demos: optimisation steps per second. */
  readonly stepsPerSecond?: number;
  /** Interactive demos: milliseconds per update (recompute + readback) after the last change. */
  readonly msPerUpdate?: number;
}

export interface DemoContext {
  readonly tf: Tf;
  readonly backend: BackendName;
  /** The element the demo renders into (already empty). */
  readonly root: HTMLElement;
  /** The demo's state as last saved with `saveState` (after a reload), or undefined. */
  readonly initialState: unknown;
  /** Persist the demo's own state (sliders, seed) through the webview state API. */
  saveState(state: unknown): void;
  /** Shown in the panel's status line (backend + speed). Call at most once per frame. */
  reportStats(stats: DemoStats): void;
  /**
   * Tell the host (and the end-to-end tests) the demo has computed its first result, with the
   * key numbers it shows, e.g. `{ outputSize: 8, inputSize: 4, factor: 2 }`. Called again on change.
   */
  reportReady(summary: Readonly<Record<string, number | string | boolean>>): void;
  /** Offer text as the answer to an open TODO of the demo's section ("Use as answer"). */
  offerAnswer(answer: string): void;
  /** Open TODOs of the section the demo was opened from, as sent by the host. */
  readonly sectionTodos: ReadonlyArray<{ readonly id: string; readonly text: string }>;
}

export interface DemoInstance {
  /** Stop animation frames and timers (panel hidden). */
  pause(): void;
  /** Restart animation after `pause`. */
  resume(): void;
  /** Release every tensor and listener. */
  dispose(): void;
}

export interface DemoModule {
  readonly id: DemoId;
  mount(ctx: DemoContext): DemoInstance | Promise<DemoInstance>;
}
