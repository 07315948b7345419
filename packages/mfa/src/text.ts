// Invisible characters that change how a name is shown without being seen: C1 controls (U+0085
// is a line break in Unicode), the line and paragraph separators, and the bidirectional marks,
// embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574), which can make an
// account name in an authenticator app read as another site's.
const INVISIBLE_CONTROLS = /[\u0080-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when `text` holds a control character: C0 or DEL (what breaks keys, logs and QR apps),
 * C1, a line or paragraph separator, or a bidirectional control (what spoofs a display).
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }

  return INVISIBLE_CONTROLS.test(text);
}

/**
 * True when `text` is not well-formed UTF-16: `encodeURIComponent` throws a URIError on it
 * (a 500 at enrolment), and it cannot be written as UTF-8 into a URI or a QR code.
 */
export function hasUnpairedSurrogate(text: string): boolean {
  return UNPAIRED_SURROGATE.test(text);
}
