/** `sensevm run --tier`: both tiers print the same value; an unknown tier is a usage error. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS, camSource, wrapped } from '../../bench/benchmarks.js';
import { BufferIO, main } from '../../src/cli/main.js';
import { writeImage } from '../../src/isa/image.js';
import { compile } from '../../src/lang/compile.js';

function benchmarkImage(name: string): string {
  const b = BENCHMARKS.find((x) => x.name === name)!;
  const program = compile(camSource(b, b.small), `${name}.cam`).program!;
  const written = writeImage(program);
  if (!written.ok) throw new Error('cannot write image');
  const path = join(mkdtempSync(join(tmpdir(), 'sensevm-tier-')), `${name}.svm`);
  writeFileSync(path, written.bytes);
  return path;
}

describe('sensevm run --tier', () => {
  const image = benchmarkImage('tak');

  it('prints the same value and instruction count on both tiers', async () => {
    const outputs: string[][] = [];
    for (const tier of ['compiled', 'interpreter']) {
      const io = new BufferIO();
      expect(await main(['run', image, '--tier', tier, '--stats'], io)).toBe(0);
      const instructions = /instructions: (\d+)/.exec(io.stderr)?.[1];
      outputs.push([io.stdout.trim(), instructions ?? 'missing']);
    }
    const tak = BENCHMARKS.find((b) => b.name === 'tak')!;
    expect(outputs[0]![0]).toBe(wrapped(tak.small.result));
    expect(outputs[0]).toEqual(outputs[1]);
  });

  it('rejects an unknown tier with exit 64', async () => {
    const io = new BufferIO();
    expect(await main(['run', image, '--tier', 'turbo'], io)).toBe(64);
    expect(io.stderr).toMatch(/--tier expects compiled or interpreter, got 'turbo'/);
  });
});
