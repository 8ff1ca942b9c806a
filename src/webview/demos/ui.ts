/**
 * Small DOM helpers shared by the demos: labelled controls (real inputs, keyboard-accessible),
 * theme colours from VS Code's CSS variables, and a canvas grid view with numbers under the cursor.
 */
import type { DemoInstance } from './demoApi';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

let uid = 0;
export function nextId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

export interface Slider {
  readonly root: HTMLElement;
  readonly input: HTMLInputElement;
  get value(): number;
  set value(v: number);
  setRange(min: number, max: number): void;
}

/** A labelled range input with its value shown next to it; `onInput` fires on every change. */
export function slider(label: string, min: number, max: number, step: number, value: number, onInput: (v: number) => void, format = (v: number) => String(v)): Slider {
  const id = nextId('slider');
  const input = el('input', { type: 'range', id, min: String(min), max: String(max), step: String(step), value: String(value) });
  const output = el('output', { for: id, class: 'demo-slider-value' }, format(value));
  const root = el('div', { class: 'demo-control' }, el('label', { for: id }, label), input, output);
  input.addEventListener('input', () => {
    output.textContent = format(Number(input.value));
    onInput(Number(input.value));
  });
  return {
    root,
    input,
    get value() {
      return Number(input.value);
    },
    set value(v: number) {
      input.value = String(v);
      output.textContent = format(Number(input.value));
    },
    setRange(lo: number, hi: number) {
      input.min = String(lo);
      input.max = String(hi);
      if (Number(input.value) > hi) input.value = String(hi);
      if (Number(input.value) < lo) input.value = String(lo);
      output.textContent = format(Number(input.value));
    },
  };
}

export function select<T extends string>(label: string, options: ReadonlyArray<readonly [T, string]>, value: T, onChange: (v: T) => void): { root: HTMLElement; input: HTMLSelectElement } {
  const id = nextId('select');
  const input = el('select', { id });
  for (const [v, text] of options) input.append(el('option', { value: v }, text));
  input.value = value;
  input.addEventListener('change', () => onChange(input.value as T));
  return { root: el('div', { class: 'demo-control' }, el('label', { for: id }, label), input), input };
}

export function checkbox(label: string, checked: boolean, onChange: (v: boolean) => void): { root: HTMLElement; input: HTMLInputElement } {
  const id = nextId('check');
  const input = el('input', { type: 'checkbox', id });
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  return { root: el('div', { class: 'demo-control demo-check' }, input, el('label', { for: id }, label)), input };
}

export function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Theme colours, read from VS Code's CSS variables (light, dark and high-contrast themes). */
export interface Theme {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly border: string;
  readonly focus: string;
  readonly positive: string;
  readonly negative: string;
  readonly accent: string;
  readonly warning: string;
  readonly highContrast: boolean;
}

export function readTheme(): Theme {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--vscode-editor-background', '#1e1e1e'),
    foreground: v('--vscode-editor-foreground', '#d4d4d4'),
    muted: v('--vscode-descriptionForeground', '#9d9d9d'),
    border: v('--vscode-panel-border', '#80808059'),
    focus: v('--vscode-focusBorder', '#007fd4'),
    positive: v('--vscode-charts-green', '#89d185'),
    negative: v('--vscode-charts-red', '#f14c4c'),
    accent: v('--vscode-charts-blue', '#3794ff'),
    warning: v('--vscode-charts-orange', '#d18616'),
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** Parses `#rgb`, `#rrggbb(aa)` or `rgb(a)(…)` into [r, g, b]. */
export function parseColor(color: string): [number, number, number] {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1];
    if (h.length === 3 || h.length === 4) return [0, 1, 2].map((j) => parseInt(h[j] + h[j], 16)) as [number, number, number];
    return [0, 2, 4].map((j) => parseInt(h.slice(j, j + 2), 16)) as [number, number, number];
  }
  const rgb = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/i.exec(color);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return [128, 128, 128];
}

/** Diverging colour scale: background at 0, `positive` colour at +max, `negative` at −max. */
export function colorScale(theme: Theme): (value: number, max: number) => string {
  const bg = parseColor(theme.background);
  const pos = parseColor(theme.accent);
  const neg = parseColor(theme.warning);
  return (value, max) => {
    const t = max > 0 ? Math.max(-1, Math.min(1, value / max)) : 0;
    const target = t >= 0 ? pos : neg;
    const a = Math.abs(t);
    const c = bg.map((b, j) => Math.round(b + (target[j] - b) * a));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  };
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export interface GridCell {
  readonly row: number;
  readonly col: number;
}

export interface GridOptions {
  /** Accessible name of the view. */
  readonly label: string;
  /** Largest canvas side in CSS pixels. */
  readonly maxSize?: number;
  /** Called when the cursor (pointer or arrow keys) moves to a cell, or leaves (undefined). */
  readonly onCursor?: (cell: GridCell | undefined) => void;
}

export interface GridDraw {
  readonly rows: number;
  readonly cols: number;
  readonly values: ArrayLike<number>;
  /** Colour scale maximum (default: max |value|). */
  readonly max?: number;
  /** Cells to outline, with a colour each. */
  readonly outlines?: ReadonlyArray<{ readonly cells: readonly GridCell[]; readonly color: string; readonly width?: number }>;
  /** Show numbers in cells when they fit (default true). */
  readonly numbers?: boolean;
  /** Cells drawn as "structural zero" (hatched/dimmed), e.g. inserted zeros. */
  readonly dimmed?: (row: number, col: number) => boolean;
}

/**
 * A matrix drawn on a canvas: colour per value, numbers when the cells are big enough, outlines,
 * and a cursor cell driven by the pointer or the arrow keys (the canvas is focusable).
 */
export class GridView {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private last: GridDraw | undefined;
  private cursor: GridCell | undefined;
  private theme: Theme = readTheme();

  constructor(private readonly options: GridOptions) {
    this.canvas = el('canvas', { tabindex: '0', role: 'img', 'aria-label': options.label, class: 'demo-grid' });
    this.root = el('figure', { class: 'demo-figure' }, this.canvas, el('figcaption', {}, options.label));
    this.canvas.addEventListener('pointermove', (e) => this.setCursor(this.cellAt(e.offsetX, e.offsetY)));
    this.canvas.addEventListener('pointerleave', () => this.setCursor(undefined));
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('blur', () => this.setCursor(undefined));
  }

  refreshTheme(): void {
    this.theme = readTheme();
    if (this.last) this.draw(this.last);
  }

  get cell(): GridCell | undefined {
    return this.cursor;
  }

  private cellSize(d: GridDraw): number {
    const max = this.options.maxSize ?? 320;
    return Math.max(2, Math.min(28, Math.floor(max / Math.max(d.rows, d.cols))));
  }

  private cellAt(x: number, y: number): GridCell | undefined {
    if (!this.last) return undefined;
    const size = this.cellSize(this.last);
    const col = Math.floor(x / size), row = Math.floor(y / size);
    return row >= 0 && col >= 0 && row < this.last.rows && col < this.last.cols ? { row, col } : undefined;
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.last) return;
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const c = this.cursor ?? { row: 0, col: 0 };
    this.setCursor({
      row: Math.max(0, Math.min(this.last.rows - 1, c.row + (this.cursor ? move[0] : 0))),
      col: Math.max(0, Math.min(this.last.cols - 1, c.col + (this.cursor ? move[1] : 0))),
    });
  }

  private setCursor(cell: GridCell | undefined): void {
    if (cell?.row === this.cursor?.row && cell?.col === this.cursor?.col) return;
    this.cursor = cell;
    if (this.last) this.draw(this.last);
    this.options.onCursor?.(cell);
  }

  draw(d: GridDraw): void {
    this.last = d;
    if (this.cursor && (this.cursor.row >= d.rows || this.cursor.col >= d.cols)) this.cursor = undefined;
    const size = this.cellSize(d);
    const dpr = window.devicePixelRatio || 1;
    const w = d.cols * size, h = d.rows * size;
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const ctx = context2d(this.canvas);
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const theme = this.theme;
    const scale = colorScale(theme);
    let max = d.max ?? 0;
    if (d.max === undefined) for (let j = 0; j < d.values.length; j++) max = Math.max(max, Math.abs(d.values[j]));
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, w, h);
    const numbers = (d.numbers ?? true) && size >= 18;
    ctx.font = `${Math.max(8, Math.floor(size * 0.38))}px var(--vscode-editor-font-family, monospace)`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let r = 0; r < d.rows; r++) {
      for (let c = 0; c < d.cols; c++) {
        const v = d.values[r * d.cols + c];
        const dim = d.dimmed?.(r, c) ?? false;
        ctx.fillStyle = dim ? theme.background : scale(v, max);
        ctx.fillRect(c * size, r * size, size, size);
        if (dim) {
          ctx.strokeStyle = theme.border;
          ctx.beginPath();
          ctx.moveTo(c * size + 2, (r + 1) * size - 2);
          ctx.lineTo((c + 1) * size - 2, r * size + 2);
          ctx.stroke();
        }
        if (numbers && !dim) {
          ctx.fillStyle = theme.foreground;
          ctx.fillText(formatNumber(v), c * size + size / 2, r * size + size / 2);
        }
      }
    }
    if (size >= 6) {
      ctx.strokeStyle = theme.border;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let r = 0; r <= d.rows; r++) { ctx.moveTo(0, r * size + 0.5); ctx.lineTo(w, r * size + 0.5); }
      for (let c = 0; c <= d.cols; c++) { ctx.moveTo(c * size + 0.5, 0); ctx.lineTo(c * size + 0.5, h); }
      ctx.stroke();
    }
    for (const o of d.outlines ?? []) {
      ctx.strokeStyle = o.color;
      ctx.lineWidth = o.width ?? 2;
      for (const cell of o.cells) {
        if (cell.row < 0 || cell.col < 0 || cell.row >= d.rows || cell.col >= d.cols) continue;
        ctx.strokeRect(cell.col * size + 1, cell.row * size + 1, size - 2, size - 2);
      }
    }
    if (this.cursor) {
      ctx.strokeStyle = theme.focus;
      ctx.lineWidth = 3;
      ctx.strokeRect(this.cursor.col * size + 1.5, this.cursor.row * size + 1.5, size - 3, size - 3);
    }
  }
}

/**
 * A 2-D context kept in main memory (`willReadFrequently`): the demos' drawings are small, and on a
 * software-GL machine a GPU-backed canvas competes with tfjs's WebGL work in the same GPU process
 * (measured: anchor updates went from ~40 ms to over a second).
 */
export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  return canvas.getContext('2d', { willReadFrequently: true });
}

/**
 * The median of the last `n` timings (ms): robust to the one-off spikes of WebGL shader
 * compilation when a shape is seen for the first time.
 */
export class Timing {
  private readonly samples: number[] = [];
  constructor(private readonly n = 15) {}
  add(ms: number): number {
    this.samples.push(ms);
    if (this.samples.length > this.n) this.samples.shift();
    return this.median;
  }
  get median(): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}

/**
 * Runs an async update at most once at a time: a request while one runs marks it dirty, and
 * exactly one more run follows (slider drags coalesce instead of queueing a readback each).
 */
export class UpdateQueue {
  private busy = false;
  private dirty = false;
  constructor(private readonly update: () => Promise<void>) {}

  request(): void {
    if (this.busy) {
      this.dirty = true;
      return;
    }
    void this.run();
  }

  private async run(): Promise<void> {
    this.busy = true;
    this.dirty = false;
    try {
      await this.update();
    } finally {
      this.busy = false;
      if (this.dirty) this.request();
    }
  }
}

/**
 * The instance of a demo that computes only on input (nothing animates, so nothing to pause):
 * redraws when the theme changes (the body's class: light, dark, high contrast) and on dispose
 * stops that, calls `release` and empties the root.
 */
export function inputDrivenInstance(root: HTMLElement, redraw: () => void, release: () => void): DemoInstance {
  const onTheme = new MutationObserver(() => redraw());
  onTheme.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return {
    pause() { /* updates run only on input */ },
    resume() { /* idem */ },
    dispose() {
      release();
      onTheme.disconnect();
      root.replaceChildren();
    },
  };
}
