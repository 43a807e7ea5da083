// Writes docs/opcodes.md from the instruction-set table: `npm run docs`.
import { writeFileSync } from 'node:fs';
import { opcodesMarkdown } from '../src/isa/opcodes-doc.js';

writeFileSync(new URL('../docs/opcodes.md', import.meta.url), opcodesMarkdown());
console.log('wrote docs/opcodes.md');
