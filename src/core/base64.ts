/**
 * Base64 of a string's UTF-8 bytes with only what every host has (`TextEncoder`, `btoa`): no
 * `Buffer`, which the browser's extension host lacks. Chunked so a large SVG never overflows the
 * argument list of `String.fromCharCode`.
 */
export function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
