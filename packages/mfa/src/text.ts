/** True when `text` holds a C0 control character or DEL (what breaks keys, logs and QR apps). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }

  return false;
}
