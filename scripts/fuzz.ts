// Long fuzz runs of the image loader and verifier: `npm run fuzz -- --count 1000000 [--seed 7]`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzz } from '../test/isa/image-fuzzer.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '100000' }, seed: { type: 'string' } },
});
const count = Number(values.count);
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 32;
if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- --count N [--seed S]');
  process.exit(64);
}
const dir = new URL('../examples/bytecode/', import.meta.url).pathname;
const seeds = readdirSync(dir)
  .filter((n) => n.endsWith('.svm'))
  .map((n) => new Uint8Array(readFileSync(join(dir, n))));
const started = Date.now();
const stats = fuzz(count, seed, seeds);
const codes = [...stats.codes]
  .sort()
  .map(([c, n]) => `${c}×${n}`)
  .join(' ');
console.log(
  `seed ${seed}: ${stats.cases} cases in ${Date.now() - started} ms, ${stats.accepted} accepted, ${stats.rejected} rejected`,
);
console.log(`codes: ${codes}`);
for (const f of stats.failures) console.log(`FAIL ${f}`);
process.exitCode = stats.failures.length > 0 ? 1 : 0;
