import type { ParseResult } from '../types';
import { partitionPoint } from '../partitionPoint';
import type { FormulaPlan } from './noteMath';
import type { NotesRenderer, RenderRequest, RenderedBlock, RenderStats } from './renderNotes';

/**
 * The preview's render of one note, kept as top-level blocks so that an edit re-renders only the
 * blocks it touched (issue #14: "the preview re-renders only changed blocks").
 *
 * Why this is the whole note's HTML: markdown-it keeps no state between top-level blocks but the
 * line number, the link reference definitions and Lectern's hidden comments (the argument of
 * parse.ts's windows). So after an edit the note is re-rendered from the block before the edit
 * to the first old block boundary after it that is still a block start in the new text; the rest
 * is reused. What a reused block's HTML depends on beyond its text — its formulas' macro scope and
 * equation numbers, its TODOs' ids and states, its sections' demo buttons — is its signature; a
 * block whose signature changed (a `\label` added above it renumbers its equations) is re-rendered
 * too. Blocks below an edit that added or removed lines keep their HTML, whose `data-line`s are off
 * by `lineDelta` until the webview (or `html()`) shifts them. Notes with reference definitions, and
 * edits that may open or close a comment spanning blocks, are rendered whole.
 */
export interface BlockSplice {
  /** Index in the block list as the previous splices of the same patch left it. */
  readonly start: number;
  readonly deleteCount: number;
  readonly html: readonly string[];
}

export type BlockRenderUpdate =
  | { readonly kind: 'full'; readonly blocks: readonly string[]; readonly stats: BlockRenderStats }
  | {
      readonly kind: 'patch';
      /** Applied in order, each to the list the previous ones left. */
      readonly splices: readonly BlockSplice[];
      /** Blocks from this index on (in the patched list) not inserted by a splice move by `lineDelta` lines. */
      readonly shiftFrom: number;
      readonly lineDelta: number;
      readonly stats: BlockRenderStats;
    };

export interface BlockRenderStats extends RenderStats {
  /** Blocks whose HTML was rendered for this update. */
  readonly blocksRendered: number;
  /** Blocks of the note after it. */
  readonly blocks: number;
}

interface Block {
  startOffset: number;
  endOffset: number;
  startLine: number;
  endLine: number;
  html: string;
  /** The line the HTML's `data-line`s were rendered for (differs from `startLine` after a shift). */
  htmlLine: number;
  opensComment: boolean;
  signature: string;
}

export type BlockRequest = RenderRequest & { readonly parsed: ParseResult };

export class IncrementalNoteRender {
  private text: string | undefined;
  private blocks: Block[] = [];
  private context: string | undefined;
  /** The note defines link references: every update renders it whole. */
  private whole = false;
  /** Formula scope keys (long strings) as small numbers in signatures. */
  private keyIds = new ScopeKeyIds();

  constructor(private readonly renderer: NotesRenderer) {}

  /** How many formula scope keys are remembered (bounded: see `ScopeKeyIds.keepOnly`). */
  get scopeKeyCount(): number {
    return this.keyIds.size;
  }

  /** Forgets the note, so the next update renders it whole (after a render that failed midway). */
  reset(): void {
    this.text = undefined;
    this.blocks = [];
    this.context = undefined;
  }

  get blockCount(): number {
    return this.blocks.length;
  }

  /**
   * Renders `text` (parsed as `request.parsed`), reusing the previous render's blocks when
   * `context` (whatever else the HTML depends on: image resolver, macros, interactivity) is unchanged.
   */
  update(text: string, request: BlockRequest, context: string): BlockRenderUpdate {
    const plans = this.renderer.formulaPlans(request.parsed);
    const old = this.text;
    if (old === undefined || context !== this.context || this.whole) return this.full(text, request, context, plans);
    const prefix = commonPrefix(old, text);
    const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
    const delta = text.length - old.length;
    const blocks = this.blocks;
    const n = blocks.length;
    const changed = prefix < old.length || prefix < text.length;

    let first = 0;
    let last = -1;
    let fresh: readonly RenderedBlock[] = [];
    let lineDelta = 0;
    let stats: RenderStats = { formulas: 0, formulasRendered: 0, mathErrors: 0, todoBadges: 0 };
    if (changed) {
      // The block before the edit too: the edit may join its first line to that block (a setext
      // underline, a lazy continuation line). Blocks start where the text before them says.
      first = Math.max(0, partitionPoint(n, (i) => blocks[i].startOffset <= prefix) - 2);
      const dirtyEnd = Math.max(prefix, old.length - suffix - 1);
      last = Math.max(first, partitionPoint(n, (i) => blocks[i].startOffset <= dirtyEnd) - 1);
      for (;;) {
        const start = blocks[first];
        const stopBlock = last + 1 < n ? blocks[last + 1] : undefined;
        // Reach through the block after the stop so markdown-it settles where the one before it ends.
        const reach = last + 2 < n ? blocks[last + 2].endOffset : old.length;
        const window = {
          startOffset: start.startOffset,
          endOffset: stopBlock ? reach + delta : text.length,
          startLine: start.startLine,
          ...(stopBlock ? { stopAt: stopBlock.startOffset + delta } : {}),
        };
        const rendered = this.renderer.renderBlocks(text, request, window, plans);
        if (rendered?.references) return this.full(text, request, context, plans);
        if (rendered) {
          fresh = rendered.blocks;
          stats = statsOf(rendered);
          if (stopBlock) lineDelta = fresh[fresh.length - 1].endLine - stopBlock.startLine;
          break;
        }
        // The edit reaches further (an opened fence swallows what follows): a larger window.
        last = Math.min(n - 1, last + Math.max(1, last - first + 1));
      }
      // A comment opened here may hide blocks below; one closed here may end one opened above.
      if (fresh.some((b) => b.opensComment)) return this.full(text, request, context, plans);
      const replacedOld = old.slice(blocks[first].startOffset, blocks[last].endOffset);
      const replacedNew = text.slice(blocks[first].startOffset, blocks[last].endOffset + delta);
      if ((replacedOld.includes('-->') || replacedNew.includes('-->')) && blocks.slice(0, first).some((b) => b.opensComment)) {
        return this.full(text, request, context, plans);
      }
    }

    // The new block list: reused blocks before, fresh ones, reused ones after (shifted).
    const next: Block[] = [];
    for (let i = 0; i < first && changed; i++) next.push(blocks[i]);
    for (const b of fresh) next.push(toBlock(b));
    const shiftFrom = next.length;
    for (let i = changed ? last + 1 : 0; i < n; i++) {
      const b = blocks[i];
      b.startOffset += delta;
      b.endOffset += delta;
      b.startLine += lineDelta;
      b.endLine += lineDelta;
      next.push(b);
    }
    const splices: BlockSplice[] = changed ? [{ start: first, deleteCount: last - first + 1, html: fresh.map((b) => b.html) }] : [];

    // Reused blocks whose context changed are rendered again.
    const signatures = blockSignatures(next, request, plans, this.keyIds);
    // Keys no block uses any more go (typing in a `\newcommand` made a new key per keystroke).
    this.keyIds.keepOnly(plans);
    let rendered = fresh.length;
    const freshEnd = changed ? first + fresh.length : 0;
    for (let i = 0; i < next.length; i++) {
      const isFresh = changed && i >= first && i < freshEnd;
      if (isFresh || next[i].signature === signatures[i]) {
        next[i].signature = signatures[i];
        continue;
      }
      const b = next[i];
      const again = this.renderer.renderBlocks(text, request, { startOffset: b.startOffset, endOffset: b.endOffset, startLine: b.startLine }, plans);
      if (!again || again.references || again.blocks.length !== 1) return this.full(text, request, context, plans);
      next[i] = { ...toBlock(again.blocks[0]), signature: signatures[i] };
      stats = addStats(stats, again);
      rendered++;
      splices.push({ start: i, deleteCount: 1, html: [next[i].html] });
    }
    this.text = text;
    this.blocks = next;
    return { kind: 'patch', splices, shiftFrom, lineDelta, stats: { ...stats, blocksRendered: rendered, blocks: next.length } };
  }

  /** Every block's HTML with its current `data-line`s (for a webview that must be sent the whole note). */
  html(): string[] {
    return this.blocks.map((b) => {
      if (b.startLine !== b.htmlLine) {
        b.html = shiftDataLines(b.html, b.startLine - b.htmlLine);
        b.htmlLine = b.startLine;
      }
      return b.html;
    });
  }

  private full(text: string, request: BlockRequest, context: string, plans: readonly FormulaPlan[]): BlockRenderUpdate {
    const rendered = this.renderer.renderBlocks(text, request, { startOffset: 0, endOffset: text.length, startLine: 0 }, plans)!;
    this.keyIds = new ScopeKeyIds();
    this.text = text;
    this.context = context;
    this.whole = rendered.references;
    this.blocks = rendered.blocks.map(toBlock);
    const signatures = blockSignatures(this.blocks, request, plans, this.keyIds);
    this.blocks.forEach((b, i) => (b.signature = signatures[i]));
    return {
      kind: 'full',
      blocks: this.blocks.map((b) => b.html),
      stats: { ...statsOf(rendered), blocksRendered: this.blocks.length, blocks: this.blocks.length },
    };
  }
}

function toBlock(b: RenderedBlock): Block {
  return { ...b, htmlLine: b.startLine, signature: '' };
}

function statsOf(s: RenderStats): RenderStats {
  return { formulas: s.formulas, formulasRendered: s.formulasRendered, mathErrors: s.mathErrors, todoBadges: s.todoBadges };
}

function addStats(a: RenderStats, b: RenderStats): RenderStats {
  return {
    formulas: a.formulas + b.formulas,
    formulasRendered: a.formulasRendered + b.formulasRendered,
    mathErrors: a.mathErrors + b.mathErrors,
    todoBadges: a.todoBadges + b.todoBadges,
  };
}

/** `data-line="n"` attributes moved by `by` lines (rendered text escapes quotes, so only attributes match). */
export function shiftDataLines(html: string, by: number): string {
  return by === 0 ? html : html.replace(/ data-line="(\d+)"/g, (_m, line: string) => ` data-line="${Number(line) + by}"`);
}

/**
 * Numbers for formula scope keys. Ids come from a counter, never reused: a key dropped and seen
 * again gets a new id, so the blocks that had it render again (never a stale match).
 */
class ScopeKeyIds {
  private readonly ids = new Map<string, number>();
  private next = 0;
  private keptAtLastPrune = 0;

  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.next++));
    return id;
  }

  /** Forgets the keys `plans` do not use, once there are many more than after the last time. */
  keepOnly(plans: readonly FormulaPlan[]): void {
    if (this.ids.size <= 2 * this.keptAtLastPrune + 64) return;
    const used = new Set(plans.map((plan) => plan.key));
    for (const key of this.ids.keys()) if (!used.has(key)) this.ids.delete(key);
    this.keptAtLastPrune = this.ids.size;
  }

  get size(): number {
    return this.ids.size;
  }
}

/**
 * What each block's HTML depends on besides its text: the plans of its formulas, its TODOs, the
 * demo buttons of its sections. One pass over the note's lists, which are in document order.
 */
function blockSignatures(blocks: readonly Block[], request: BlockRequest, plans: readonly FormulaPlan[], keyIds: ScopeKeyIds): string[] {
  const { math, todos, sections } = request.parsed;
  const keyId = (key: string): number => keyIds.id(key);
  const todosInOrder = isSortedByOffset(todos) ? todos : [...todos].sort((a, b) => a.span.startOffset - b.span.startOffset);
  const out: string[] = [];
  let m = 0;
  let t = 0;
  let s = 0;
  for (const block of blocks) {
    const parts: string[] = [];
    for (; m < math.length && math[m].span.startOffset < block.endOffset; m++) {
      const plan = plans[m];
      parts.push(`m${keyId(plan.key)}|${plan.anchor ?? ''}|${plan.linkTo ?? ''}|${plan.problems.map((p) => p.message).join('|')}`);
    }
    for (; t < todosInOrder.length && todosInOrder[t].span.startOffset < block.endOffset; t++) {
      const todo = todosInOrder[t];
      parts.push(`t${todo.id}|${todo.status}|${todo.tag}|${todo.text}|${todo.answer ?? ''}`);
    }
    for (; s < sections.length && sections[s].startLine < block.endLine; s++) {
      const section = sections[s];
      if (section.level === 0 || section.startLine < block.startLine) continue;
      let demo: string | undefined;
      try {
        demo = request.demoForSection?.(section);
      } catch {
        demo = undefined;
      }
      parts.push(`s${section.index}|${demo ?? ''}`);
    }
    out.push(parts.join('\u0001'));
  }
  return out;
}

function isSortedByOffset(todos: ParseResult['todos']): boolean {
  for (let i = 1; i < todos.length; i++) if (todos[i - 1].span.startOffset > todos[i].span.startOffset) return false;
  return true;
}

/** Length of the common prefix, compared a slice at a time (native comparison) before char by char. */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  for (const step of [65536, 4096, 256, 16]) {
    while (i + step <= max && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix, at most `max`. */
export function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  for (const step of [65536, 4096, 256, 16]) {
    while (i + step <= max && a.slice(a.length - i - step, a.length - i) === b.slice(b.length - i - step, b.length - i)) i += step;
  }
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}
