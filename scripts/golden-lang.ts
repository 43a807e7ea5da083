// Regenerates the compiler's golden listings: test/golden/NAME.cam → NAME.s (the disassembly of
// its Sense-VM image). Run `npm run golden`, then review the diff.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { disassemble } from '../src/isa/disassemble.js';
import { compile } from '../src/lang/compile.js';

const dir = new URL('../test/golden/', import.meta.url).pathname;
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.cam'))
  .sort()) {
  // The bare file name, so listings do not depend on where the repository lives.
  const result = compile(readFileSync(join(dir, name), 'utf8'), name);
  if (!result.program) {
    console.error(`${name}: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    process.exitCode = 1;
    continue;
  }
  const listing = name.replace(/\.cam$/, '.s');
  writeFileSync(join(dir, listing), disassemble(result.program));
  console.log(`wrote test/golden/${listing}`);
}
