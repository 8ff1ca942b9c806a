/**
 * The texts the bench measures: the real notes of `notes/`, the raw seed, and synthetic notes of a
 * given size built by repeating the real ones (so the mix of headings, TODOs and math stays real).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'lectern') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no lectern package.json above ${start}`);
    dir = parent;
  }
}

export interface NamedText {
  readonly name: string;
  readonly text: string;
}

function markdownFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return markdownFiles(p);
      return e.name.endsWith('.md') ? [p] : [];
    });
}

/** Every `.md` under `notes/`, sorted by path. Empty when the sample notes do not exist yet. */
export function loadNotes(root: string): NamedText[] {
  return markdownFiles(path.join(root, 'notes')).map((p) => ({ name: path.relative(root, p), text: fs.readFileSync(p, 'utf8') }));
}

/** The raw seed: the core's fixture copy when present, else the shared original next to the repo. */
export function loadSeed(root: string): NamedText | undefined {
  const candidates = [
    path.join(root, 'test', 'fixtures', 'seed.md'),
    path.join(root, '..', 'shared', 'seed', '000_2c48dc0d66e6265d.txt'),
  ];
  for (const p of candidates) {
    if (fs.existsSync(p)) return { name: path.relative(root, p), text: fs.readFileSync(p, 'utf8') };
  }
  return undefined;
}

/**
 * About `targetBytes` of UTF-8 built by repeating `sources` (joined by a blank line), cut at a
 * paragraph boundary so no copy ends inside a half-written block.
 */
export function synthesize(sources: readonly string[], targetBytes: number): string {
  if (sources.length === 0) throw new Error('no source text to repeat');
  const unit = sources.map((s) => s.replace(/\s+$/, '')).join('\n\n') + '\n\n';
  const unitBytes = Buffer.byteLength(unit, 'utf8');
  const copies = Math.max(1, Math.ceil(targetBytes / unitBytes));
  const full = unit.repeat(copies);
  if (Buffer.byteLength(full, 'utf8') <= targetBytes * 1.02) return full;
  // Cut near the target on a blank line, measured in bytes.
  const buf = Buffer.from(full, 'utf8').subarray(0, targetBytes);
  let cut = buf.toString('utf8');
  const lastBlank = cut.lastIndexOf('\n\n');
  if (lastBlank > cut.length / 2) cut = cut.slice(0, lastBlank + 2);
  return cut;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
