/**
 * Floats are IEEE-754 single precision (SynchronVM's `float`, what a Cortex-M4F computes in
 * hardware), carried in a value word as their 32-bit pattern. These helpers convert between the
 * pattern and a JS number through one shared scratch buffer, so they allocate nothing.
 */
const scratch = new ArrayBuffer(4);
const scratchFloat = new Float32Array(scratch);
const scratchInt = new Int32Array(scratch);

/** The float a 32-bit pattern denotes. */
export function bitsToFloat(bits: number): number {
  scratchInt[0] = bits;
  return scratchFloat[0] as number;
}

/** The 32-bit pattern of `x` rounded to single precision. */
export function floatToBits(x: number): number {
  scratchFloat[0] = x;
  return scratchInt[0] as number;
}

/** The float 1.0f pattern that SynchronVM's GTF..LEF return for true. */
export const FLOAT_ONE_BITS = 0x3f800000;

/** FTOI: truncate toward zero, saturate to the int32 range, NaN → 0. */
export function floatToIntSaturating(x: number): number {
  if (x !== x) return 0;
  if (x >= 2147483647) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x) | 0;
}

/**
 * The shortest decimal text that reads back to the same float32, always with a decimal point or
 * an exponent: `4.0`, `3.25`, `0.1`, `1.0e-7`, `-0.0`, `Infinity`, `NaN`.
 */
export function formatFloat32(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  let text = '';
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = x.toPrecision(digits);
    if (Math.fround(Number(candidate)) === x) {
      text = candidate;
      break;
    }
  }
  // Normalise through Number: drops trailing zeros and picks JS's fixed/exponent choice.
  let out = String(Number(text));
  if (out.includes('e')) {
    const [mantissa = '', exponent = ''] = out.split('e');
    out = `${mantissa.includes('.') ? mantissa : mantissa + '.0'}e${exponent.replace('+', '')}`;
  } else if (!out.includes('.')) {
    out += '.0';
  }
  return out;
}
