/**
 * The hex-text form of an image, as SynchronVM's compiler writes it to be `#include`d in a C
 * array initialiser: every byte as lowercase `0x..` without padding, separated by ", ", no
 * trailing newline. Reading tolerates whitespace and newlines anywhere between tokens, a
 * trailing comma, upper case and zero padding.
 */
import { isaError, type IsaError, type IsaResult } from './errors.js';

/** The canonical hex text of `bytes` (SynchronVM camiotc's exact spelling). */
export function toHexText(bytes: Uint8Array): string {
  const parts: string[] = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = '0x' + bytes[i]!.toString(16);
  return parts.join(', ');
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** True if the file starts (after whitespace) with `0x`: the hex-text form, not a binary image. */
export function looksLikeHexText(file: Uint8Array): boolean {
  let i = 0;
  while (i < file.length && isSpace(file[i]!)) i++;
  return file[i] === 0x30 && (file[i + 1] === 0x78 || file[i + 1] === 0x58);
}

/** Decodes hex text given as raw file bytes (ASCII). Offsets in errors are byte offsets in the text. */
export function parseHexText(text: Uint8Array): IsaResult<{ bytes: Uint8Array }> {
  const out = new Uint8Array(Math.ceil(text.length / 4) + 1);
  let n = 0;
  let i = 0;
  const fail = (offset: number, detail: string): { ok: false; errors: IsaError[] } => ({
    ok: false,
    errors: [isaError('E0105', offset, { detail: `${detail} at text offset ${offset}` })],
  });
  const skipSpace = (): void => {
    while (i < text.length && isSpace(text[i]!)) i++;
  };
  skipSpace();
  while (i < text.length) {
    const start = i;
    if (!(text[i] === 0x30 && (text[i + 1] === 0x78 || text[i + 1] === 0x58))) {
      return fail(start, 'expected a byte like 0x1f');
    }
    i += 2;
    let value = 0;
    let digits = 0;
    while (i < text.length && hexDigit(text[i]!) >= 0) {
      value = value * 16 + hexDigit(text[i]!);
      digits++;
      i++;
      if (value > 0xff) return fail(start, 'byte value above 0xff');
    }
    if (digits === 0) return fail(start, 'no hex digits after 0x');
    out[n++] = value;
    skipSpace();
    if (i >= text.length) break;
    if (text[i] !== 0x2c) return fail(i, 'expected `,` between bytes');
    i++;
    skipSpace();
  }
  if (n === 0) return fail(0, 'no bytes');
  return { ok: true, bytes: out.slice(0, n) };
}
