import type { Command } from 'commander';
import { disassemble } from '../../isa/disassemble.js';
import { loadImage } from '../../isa/image.js';
import type { CliIO } from '../io.js';
import { readInput, reject } from './image-files.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('disasm')
    .summary('print a bytecode image as assembly text')
    .description(
      // One paragraph without line breaks: commander wraps it to the terminal width.
      'Print the listing of a bytecode image: format, constant pools, instructions with labels at ' +
        'jump targets, constants and source positions in comments. `sensevm asm` reads the listing ' +
        'back into the identical image. The code is not verified (use `sensevm verify`).',
    )
    .argument('<image>', 'the image file (.svm)')
    .addHelpText(
      'after',
      '\nExample:\n  $ sensevm disasm examples/bytecode/five-plus-five.svm > five.s\n  $ sensevm asm five.s -o five.svm --format synchronvm --hex\n',
    )
    .action((file: string) => {
      const loaded = loadImage(readInput(io, file));
      if (!loaded.ok) reject(io, file, loaded.errors);
      io.out(disassemble(loaded.program));
    });
}
