import { Option, type Command } from 'commander';
import { assembleText } from '../../isa/assemble-text.js';
import { decodeUtf8 } from '../../isa/bytes.js';
import { loadImage, loadVerifiedImage, writeImage } from '../../isa/image.js';
import type { Where } from '../../isa/link.js';
import type { ImageFormat } from '../../isa/program.js';
import { isaError, type IsaError } from '../../isa/errors.js';
import type { CliIO } from '../io.js';
import { readInput, reject, writeOutput } from './image-files.js';

interface AsmOptions {
  output?: string;
  format?: ImageFormat;
  hex?: boolean;
  verify: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('asm')
    .summary('assemble assembly text into a bytecode image')
    .description(
      // One paragraph without line breaks: commander wraps it to the terminal width.
      'Assemble a listing (the text `sensevm disasm` prints) into a bytecode image. The image ' +
        'format comes from the `.format` directive unless --format converts it. The result is ' +
        'verified before it is written.',
    )
    .argument('<source>', 'assembly text (.s)')
    .option('-o, --output <image>', 'output image (default: <source> with extension .svm)')
    .addOption(
      new Option('--format <format>', 'image format to write').choices(['sensevm', 'synchronvm']),
    )
    .option('--hex', 'write the hex-text form (`0xfe, 0xed, …`) instead of binary')
    .option('--no-verify', 'write the image even if the verifier rejects it (for tests)')
    .addHelpText(
      'after',
      '\nExample:\n  $ sensevm asm prog.s -o prog.svm\n  $ sensevm asm prog.s -o prog.svm --format synchronvm --hex\n',
    )
    .action((source: string, opts: AsmOptions) => {
      const bytes = readInput(io, source);
      const text = decodeUtf8(bytes);
      if (text === undefined) reject(io, source, [notUtf8(bytes)]);
      const assembled = assembleText(text);
      if (!assembled.ok) reject(io, source, assembled.errors);
      const output = opts.output ?? source.replace(/(\.[^./\\]*)?$/, '.svm');
      const written = writeImage(assembled.program, opts.format, opts.hex ? 'hex' : 'binary');
      if (!written.ok) reject(io, source, written.errors);
      if (opts.verify) {
        const checked = loadVerifiedImage(written.bytes);
        // The image was never written: point at the source, at the offending line if known.
        if (!checked.ok)
          reject(io, source, atSourceLines(checked.errors, written.bytes, assembled));
      }
      writeOutput(io, output, written.bytes);
    });
}

/**
 * Verifier errors carry byte offsets into the image that would have been written; the user wrote
 * the `.s` file, so give each the line and column of the instruction at that offset (the image's
 * code starts at the loader's code offset). Errors outside the code keep no line.
 */
function atSourceLines(
  errors: readonly IsaError[],
  image: Uint8Array,
  assembled: {
    readonly program: { readonly code: Uint8Array };
    readonly whereAt: ReadonlyMap<number, Where>;
  },
): IsaError[] {
  const loaded = loadImage(image);
  const codeOffset = loaded.ok ? loaded.codeOffset : 0;
  return errors.map((e) => {
    const where = assembled.whereAt.get(e.offset - codeOffset);
    if (where?.line === undefined) return e;
    return { ...e, line: where.line, column: where.column ?? 1 };
  });
}

/** E0140 at the first line of `bytes` that is not UTF-8 (the assembler reads UTF-8 text). */
function notUtf8(bytes: Uint8Array): IsaError {
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    if (decodeUtf8(bytes.subarray(lineStart, i)) === undefined) break;
    lineStart = i + 1;
    line++;
  }
  return isaError(
    'E0140',
    lineStart,
    { detail: 'the line is not UTF-8 text' },
    { line, column: 1 },
  );
}
