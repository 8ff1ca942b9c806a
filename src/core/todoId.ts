/**
 * TODO ids: `t-` + 8 hex digits of a hash of (tag, section path, question text, occurrence).
 * They survive edits elsewhere in the file (other sections, other TODOs, lines shifting) and
 * resolving/reopening (which keep tag, section and question). Bare TODOs with no question
 * (`Detailed Algorithm TODO`) are told apart by the few words before them on their line.
 */
export function todoIdFactory(): (tag: string, sectionPath: readonly string[], text: string, context: string) => string {
  const occurrences = new Map<string, number>();
  const used = new Set<string>();
  return (tag, sectionPath, text, context) => {
    const key = [tag, sectionPath.join('\u0001'), text === '' ? `\u0002${context}` : text].join('\u0000');
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    let id = `t-${fnv1a(`${key}\u0000${occurrence}`)}`;
    // A hash collision inside one document is improbable but must not make two TODOs one.
    for (let n = 2; used.has(id); n++) id = `t-${fnv1a(`${key}\u0000${occurrence}\u0000${n}`)}`;
    used.add(id);
    return id;
  };
}

/** 32-bit FNV-1a over UTF-16 code units, as 8 hex digits. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
