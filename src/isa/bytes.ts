/** Growable byte buffer used by the image writers and the assembler. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u16be(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32be(v: number): this {
    return this.u8(v >>> 24)
      .u8(v >>> 16)
      .u8(v >>> 8)
      .u8(v);
  }
  u16le(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32le(v: number): this {
    return this.u8(v)
      .u8(v >>> 8)
      .u8(v >>> 16)
      .u8(v >>> 24);
  }
  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  /** Zero bytes up to the next multiple of `alignment`. */
  align(alignment: number): this {
    while (this.len % alignment !== 0) this.u8(0);
    return this;
  }
  /** Overwrites 4 bytes at `offset` (little-endian). */
  patchU32le(offset: number, v: number): void {
    this.buf[offset] = v & 0xff;
    this.buf[offset + 1] = (v >>> 8) & 0xff;
    this.buf[offset + 2] = (v >>> 16) & 0xff;
    this.buf[offset + 3] = (v >>> 24) & 0xff;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export function readU16be(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}
export function readU32be(b: Uint8Array, at: number): number {
  return (
    (((b[at] ?? 0) << 24) |
      ((b[at + 1] ?? 0) << 16) |
      ((b[at + 2] ?? 0) << 8) |
      (b[at + 3] ?? 0)) >>>
    0
  );
}
export function readU16le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}
export function readU32le(b: Uint8Array, at: number): number {
  return (
    ((b[at] ?? 0) |
      ((b[at + 1] ?? 0) << 8) |
      ((b[at + 2] ?? 0) << 16) |
      ((b[at + 3] ?? 0) << 24)) >>>
    0
  );
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** Strict UTF-8 decoding: undefined for invalid input. */
export function decodeUtf8(b: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(b);
  } catch {
    return undefined;
  }
}

export function encodeUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** True if the string survives UTF-8 encoding unchanged (no lone surrogates). */
export function isWellFormedString(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** The IEEE-754 single-precision bit pattern of a float, preserving NaN payloads. */
export function floatBits(pool: Float32Array, index: number): number {
  return new Uint32Array(pool.buffer, pool.byteOffset, pool.length)[index]!;
}

/** A Float32Array holding exactly the given bit patterns. */
export function floatsFromBits(bits: readonly number[]): Float32Array {
  const u = Uint32Array.from(bits, (b) => b >>> 0);
  return new Float32Array(u.buffer);
}

/** The bit patterns of a float pool. */
export function bitsOfFloats(pool: Float32Array): number[] {
  return Array.from(new Uint32Array(pool.buffer, pool.byteOffset, pool.length));
}
