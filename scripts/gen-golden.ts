// Regenerates the golden disassembly of every example image: `npm run golden`, then review the diff.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { disassemble } from '../src/isa/disassemble.js';
import { loadImage } from '../src/isa/image.js';

const dir = new URL('../examples/bytecode/', import.meta.url).pathname;
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.svm'))
  .sort()) {
  const loaded = loadImage(readFileSync(join(dir, name)));
  if (!loaded.ok) {
    console.error(`${name}: ${loaded.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
    process.exitCode = 1;
    continue;
  }
  const golden = name.replace(/\.svm$/, '.disasm.golden');
  writeFileSync(join(dir, golden), disassemble(loaded.program));
  console.log(`wrote ${golden}`);
}
