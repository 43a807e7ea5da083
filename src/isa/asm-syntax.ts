/**
 * Literal syntax shared by the disassembler (which prints it) and the text assembler (which
 * reads it back), so that printing then parsing reproduces every value bit for bit.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function floatFromBits(bits: number): number {
  u32[0] = bits;
  return f32[0]!;
}

export function bitsFromFloat(value: number): number {
  f32[0] = value;
  return u32[0]!;
}

export const CANONICAL_NAN_BITS = 0x7fc00000;

/**
 * The shortest decimal that reads back as the same single-precision value; `inf`, `-inf`, `-0`;
 * NaN as `nan:0x7fc00000` so its payload survives.
 */
export function formatFloatBits(bits: number): string {
  const v = floatFromBits(bits);
  if (Number.isNaN(v)) return 'nan:0x' + (bits >>> 0).toString(16).padStart(8, '0');
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  for (let precision = 1; precision <= 9; precision++) {
    const s = String(Number(v.toPrecision(precision)));
    if (Math.fround(Number(s)) === v) return s;
  }
  return String(v);
}

/** The bit pattern a float literal denotes, or undefined if it is not one. */
export function parseFloatBits(text: string): number | undefined {
  const t = text.toLowerCase();
  if (t === 'inf' || t === '+inf') return bitsFromFloat(Infinity);
  if (t === '-inf') return bitsFromFloat(-Infinity);
  if (t === 'nan') return CANONICAL_NAN_BITS;
  const nan = /^nan:0x([0-9a-f]{1,8})$/.exec(t);
  if (nan) {
    const bits = parseInt(nan[1]!, 16) >>> 0;
    return Number.isNaN(floatFromBits(bits)) ? bits : undefined;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(t)) return undefined;
  return bitsFromFloat(Number(t));
}

/** A double-quoted string literal: `\\ \" \n \r \t \0`, other control characters as `\u{..}`. */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 0) out += '\\0';
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029 || c === 0xfeff) {
      out += `\\u{${c.toString(16)}}`;
    } else out += ch;
  }
  return out + '"';
}
