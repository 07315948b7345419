// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `text` holds a C0 control character or DEL (what breaks keys, logs and QR apps). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }

  return false;
}

/**
 * True when `text` is not well-formed UTF-16: `encodeURIComponent` throws a URIError on it
 * (a 500 at enrolment), and it cannot be written as UTF-8 into a URI or a QR code.
 */
export function hasUnpairedSurrogate(text: string): boolean {
  return UNPAIRED_SURROGATE.test(text);
}
