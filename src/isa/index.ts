/** The isa/ layer's public API: one import for the other layers and the CLI. */
export * from './opcodes.js';
export * from './rts-calls.js';
export * from './program.js';
export * from './symbolic.js';
export * from './errors.js';
export * from './instructions.js';
export { crc32 } from './crc32.js';
export { toHexText, parseHexText, looksLikeHexText } from './hex-text.js';
export { SYNCHRONVM_MAGIC, SYNCHRONVM_VERSION, type LoadedImage } from './synchronvm-image.js';
export { SENSEVM_MAGIC, SENSEVM_VERSION, Section } from './sensevm-image.js';
export {
  loadImage,
  loadVerifiedImage,
  writeImage,
  relocate,
  labelBaseFor,
  type ImageEncoding,
  type LoadResult,
} from './image.js';
export { verify, type VerifyOptions, type VerifyResult } from './verify.js';
export { disassemble } from './disassemble.js';
export { assembleText } from './assemble-text.js';
export { assemble } from './assemble.js';
