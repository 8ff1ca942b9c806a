/**
 * The preview's block render on the 3.2 MB bench note: how many top-level blocks, and how many
 * milliseconds, a one-character edit re-renders (IncrementalNoteRender, what the preview does on
 * an edit) against rendering the whole note (what it did before). The formula cache is warm in
 * both, as in the editor: the edit's own parse is the model's, outside the clock.
 */
import { parseNotes } from '../../src/core';
import { NotesRenderer } from '../../src/core/render/renderNotes';
import { IncrementalNoteRender } from '../../src/core/render/incrementalRender';
import { collectGarbage, median, nowMs } from './measure';

export interface PreviewBlocksResult {
  readonly noteBytes: number;
  readonly blocks: number;
  /** Blocks re-rendered by a one-character edit (median over the runs). */
  readonly blocksRenderedAfterEdit: number;
  readonly editMs: number;
  readonly fullRenderMs: number;
  /** Bytes of HTML sent to the webview after the edit against the whole note's HTML. */
  readonly patchBytes: number;
  readonly fullBytes: number;
  readonly runs: number;
}

export function benchPreviewBlocks(text: string, runs = 7): PreviewBlocksResult {
  const renderer = new NotesRenderer();
  const incremental = new IncrementalNoteRender(renderer);
  const parsed = parseNotes(text);
  const first = incremental.update(text, { parsed }, 'bench');
  if (first.kind !== 'full') throw new Error('the first render is not a full render');
  const fullBytes = first.blocks.reduce((n, b) => n + b.length, 0);
  // Edit a paragraph in the middle of the note: the first prose line after the half-way mark.
  const middle = text.indexOf('\n\n', text.length >> 1) + 2;
  const line = /^[A-Za-z][^\n]{20,}$/m.exec(text.slice(middle));
  if (!line) throw new Error('no prose line after the middle of the bench note');
  const at = middle + line.index + 5;
  const edited = text.slice(0, at) + 'x' + text.slice(at);
  const editedParse = parseNotes(edited);

  const editMs: number[] = [];
  const fullMs: number[] = [];
  const rendered: number[] = [];
  let patchBytes = 0;
  for (let run = 0; run < runs + 1; run++) {
    // Alternate the edit and its undo, so every update is a one-character edit.
    const [next, nextParse] = run % 2 === 0 ? [edited, editedParse] : [text, parsed];
    collectGarbage();
    let start = nowMs();
    const update = incremental.update(next, { parsed: nextParse }, 'bench');
    const ms = nowMs() - start;
    if (update.kind !== 'patch') throw new Error('a one-character edit was rendered whole');
    collectGarbage();
    start = nowMs();
    const whole = renderer.render(next, { parsed: nextParse });
    const wholeMs = nowMs() - start;
    if (whole.html.length === 0) throw new Error('empty render');
    if (run === 0) continue; // warm-up
    editMs.push(ms);
    fullMs.push(wholeMs);
    rendered.push(update.stats.blocksRendered);
    patchBytes = update.splices.reduce((n, s) => n + s.html.reduce((m, h) => m + h.length, 0), 0);
  }
  return {
    noteBytes: Buffer.byteLength(text),
    blocks: incremental.blockCount,
    blocksRenderedAfterEdit: median(rendered),
    editMs: Math.round(median(editMs) * 10) / 10,
    fullRenderMs: Math.round(median(fullMs) * 10) / 10,
    patchBytes,
    fullBytes,
    runs,
  };
}
