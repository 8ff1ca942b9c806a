/**
 * Everything the CLI prints passes through here. Notes are untrusted: a heading or TODO holding
 * `ESC[2J` (clear screen), an OSC 52 sequence (write the clipboard), a carriage return (overwrite
 * the line shown) or a bidi override (reorder what is read) must not reach the terminal as such.
 * Such characters are shown as `\u001b`-style escapes, which also keeps `--json` output valid
 * JSON. Newlines and tabs are kept: they are the CLI's own layout.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's job
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
