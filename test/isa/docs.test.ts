import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../src/isa/disassemble.js';
import { loadImage } from '../../src/isa/image.js';
import { INSTRUCTIONS } from '../../src/isa/opcodes.js';
import { opcodesMarkdown } from '../../src/isa/opcodes-doc.js';

const root = new URL('../../', import.meta.url).pathname;

describe('generated files are up to date', () => {
  it('docs/opcodes.md is what `npm run docs` generates from the table', () => {
    const committed = readFileSync(join(root, 'docs/opcodes.md'), 'utf8');
    expect(committed).toBe(opcodesMarkdown());
    for (const r of INSTRUCTIONS) expect(committed).toContain(`| ${r.mnemonic} |`);
  });

  const dir = join(root, 'examples/bytecode');
  const images = readdirSync(dir).filter((n) => n.endsWith('.svm'));

  it('every example image has a golden listing', () => {
    expect(images.length).toBeGreaterThanOrEqual(4);
    for (const n of images)
      expect(readdirSync(dir)).toContain(n.replace(/\.svm$/, '.disasm.golden'));
  });

  it.each(images)(
    '%s disassembles to its golden listing (`npm run golden` regenerates)',
    (name) => {
      const loaded = loadImage(readFileSync(join(dir, name)));
      expect(loaded.ok).toBe(true);
      if (!loaded.ok) return;
      expect(disassemble(loaded.program)).toBe(
        readFileSync(join(dir, name.replace(/\.svm$/, '.disasm.golden')), 'utf8'),
      );
    },
  );

  it('docs/bytecode.md lists every E01xx code the isa layer uses', () => {
    const doc = readFileSync(join(root, 'docs/bytecode.md'), 'utf8');
    const sources = readdirSync(join(root, 'src/isa'))
      .map((f) => readFileSync(join(root, 'src/isa', f), 'utf8'))
      .join('\n');
    const used = new Set(sources.match(/E01\d\d/g));
    expect(used.size).toBeGreaterThan(30);
    for (const code of used) expect(doc, code).toContain(code);
  });
});
