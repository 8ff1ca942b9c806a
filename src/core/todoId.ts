/** One key's occurrences so far and the hash of its prefix. */
interface KeyEntry {
  occurrences: number;
  readonly prefix: number;
}

/**
 * TODO ids: `t-` + 8 hex digits of a hash of (tag, section path, question text, occurrence).
 * They survive edits elsewhere in the file (other sections, other TODOs, lines shifting) and
 * resolving/reopening (which keep tag, section and question). Bare TODOs with no question
 * (`Detailed Algorithm TODO`) are told apart by the few words before them on their line.
 */
export function todoIdFactory(): (tag: string, sectionPath: readonly string[], text: string, context: string) => string {
  // Per distinct key: how often it occurred and the hash of `${key}\u0000` (every id of the key
  // hashes that prefix first), so a note of 200,000 TODOs hashes each prefix once, not per TODO.
  // Looked up by section path, tag, then question: no key string is built per TODO, only per
  // distinct key. Two sections with the same path share their keys (their ids count on), so a path
  // array (one per section, shared by its TODOs) is first turned into its joined text.
  const keys = new Map<string, Map<string, Map<string, KeyEntry>>>();
  const joined = new Map<readonly string[], string>();
  // Ids given, as their hash (`t-` + 8 hex digits is one 32-bit number): a set of numbers, not of strings.
  const used = new HashSet32();
  return (tag, sectionPath, text, context) => {
    let path = joined.get(sectionPath);
    if (path === undefined) joined.set(sectionPath, (path = sectionPath.join('\u0001')));
    let byTag = keys.get(path);
    if (!byTag) keys.set(path, (byTag = new Map<string, Map<string, KeyEntry>>()));
    let byQuestion = byTag.get(tag);
    if (!byQuestion) byTag.set(tag, (byQuestion = new Map<string, KeyEntry>()));
    const question = text === '' ? `\u0002${context}` : text;
    let entry = byQuestion.get(question);
    if (!entry) {
      const key = `${tag}\u0000${path}\u0000${question}`;
      entry = { occurrences: 0, prefix: fnv1aUpdate(FNV_OFFSET, `${key}\u0000`) };
      byQuestion.set(question, entry);
    }
    // The id is fnv1a(`${key}\u0000${occurrence}`), and after a collision fnv1a(`…\u0000${n}`).
    const base = fnv1aUpdate(entry.prefix, String(entry.occurrences++));
    let h = base;
    // A hash collision inside one document is improbable but must not make two TODOs one.
    for (let n = 2; !used.add(h); n++) h = fnv1aUpdate(base, `\u0000${n}`);
    return idOf(h);
  };
}

const FNV_OFFSET = 0x811c9dc5 | 0;

/** FNV-1a's state `h` (an int32) after hashing `text`'s UTF-16 code units too. */
function fnv1aUpdate(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

function hex32(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}

const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** `t-${hex32(h)}` in one flat string (a TODO-dense note makes 200,000 of them). */
function idOf(h: number): string {
  return String.fromCharCode(
    116, // t
    45, // -
    HEX[(h >>> 28) & 15],
    HEX[(h >>> 24) & 15],
    HEX[(h >>> 20) & 15],
    HEX[(h >>> 16) & 15],
    HEX[(h >>> 12) & 15],
    HEX[(h >>> 8) & 15],
    HEX[(h >>> 4) & 15],
    HEX[h & 15],
  );
}

/** A set of int32s: open addressing in typed arrays (a `Set` of 200,000 numbers cost 60 ms). */
class HashSet32 {
  private keys = new Int32Array(1024);
  private filled = new Uint8Array(1024);
  private size = 0;

  /** Adds `h`; false if it was there already. */
  add(h: number): boolean {
    const mask = this.keys.length - 1;
    let i = (Math.imul(h, 0x9e3779b1) >>> 0) & mask;
    while (this.filled[i]) {
      if (this.keys[i] === h) return false;
      i = (i + 1) & mask;
    }
    this.keys[i] = h;
    this.filled[i] = 1;
    if (++this.size * 2 > this.keys.length) this.grow();
    return true;
  }

  private grow(): void {
    const { keys, filled } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.filled = new Uint8Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (filled[i]) this.add(keys[i]);
  }
}

/** 32-bit FNV-1a over UTF-16 code units, as 8 hex digits. */
export function fnv1a(text: string): string {
  return hex32(fnv1aUpdate(FNV_OFFSET, text));
}
