/**
 * TODO ids: `t-` + 8 hex digits of a hash of (tag, section path, question text, occurrence).
 * They survive edits elsewhere in the file (other sections, other TODOs, lines shifting) and
 * resolving/reopening (which keep tag, section and question). Bare TODOs with no question
 * (`Detailed Algorithm TODO`) are told apart by the few words before them on their line.
 */
export function todoIdFactory(): (tag: string, sectionPath: readonly string[], text: string, context: string) => string {
  // Per distinct key: how often it occurred and the hash of `${key}\u0000` (every id of the key
  // hashes that prefix first), so a note of 200,000 TODOs hashes each prefix once, not per TODO.
  const keys = new Map<string, { occurrences: number; prefix: number }>();
  // Ids given, as their hash (`t-` + 8 hex digits is one 32-bit number): a set of numbers, not of strings.
  const used = new Set<number>();
  return (tag, sectionPath, text, context) => {
    const key = `${tag}\u0000${sectionPath.join('\u0001')}\u0000${text === '' ? `\u0002${context}` : text}`;
    let entry = keys.get(key);
    if (!entry) {
      entry = { occurrences: 0, prefix: fnv1aUpdate(FNV_OFFSET, `${key}\u0000`) };
      keys.set(key, entry);
    }
    // The id is fnv1a(`${key}\u0000${occurrence}`), and after a collision fnv1a(`…\u0000${n}`).
    const base = fnv1aUpdate(entry.prefix, String(entry.occurrences++));
    let h = base;
    // A hash collision inside one document is improbable but must not make two TODOs one.
    for (let n = 2; used.has(h); n++) h = fnv1aUpdate(base, `\u0000${n}`);
    used.add(h);
    return `t-${hex32(h)}`;
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

/** 32-bit FNV-1a over UTF-16 code units, as 8 hex digits. */
export function fnv1a(text: string): string {
  return hex32(fnv1aUpdate(FNV_OFFSET, text));
}
