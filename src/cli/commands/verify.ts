import type { Command } from 'commander';
import { loadVerifiedImage } from '../../isa/image.js';
import type { CliIO } from '../io.js';
import { readInput, reject } from './image-files.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('verify')
    .summary('check a bytecode image before it runs')
    .description(
      // One paragraph without line breaks: commander wraps it to the terminal width.
      'Load a bytecode image (Sense-VM, SynchronVM version 1, or hex text of either) and run the ' +
        'verifier: magic, version, sizes, CRC, opcodes, operands, jump targets, switch tables. ' +
        'Prints `ok` (exit 0) or one line per problem (exit 65).',
    )
    .argument('<image>', 'the image file (.svm)')
    .addHelpText(
      'after',
      '\nExample:\n  $ sensevm verify examples/bytecode/five-plus-five.svm\n  ok\n',
    )
    .action((file: string) => {
      const loaded = loadVerifiedImage(readInput(io, file));
      if (!loaded.ok) reject(io, file, loaded.errors);
      io.out('ok\n');
    });
}
