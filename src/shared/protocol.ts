/**
 * The one message protocol between the extension host and Lectern's webviews.
 * Two discriminated unions per webview kind, keyed on `type`; every message crossing the boundary
 * is validated with the `is…` guards below before anything acts on it.
 * Imported by src/extension and src/webview alike; imports nothing but src/core types.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- Preview (issue 5) ----------------------------------------------------------------------

// ---- Demos (issue 6) ------------------------------------------------------------------------
