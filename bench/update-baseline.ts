/** `npm run bench:baseline`: re-measures the guard's counters and rewrites bench/baseline.json. */
import { writeFileSync } from 'node:fs';
import { BASELINE_PATH, measureCounters, readBaseline } from './baseline-counters.js';

let before: ReturnType<typeof readBaseline> = {};
try {
  before = readBaseline();
} catch {
  // first baseline
}
const after = measureCounters();
for (const [name, c] of Object.entries(after)) {
  const old = before[name];
  const change = (now: number, was: number | undefined): string =>
    was === undefined ? 'new' : `${(((now - was) / was) * 100).toFixed(1)} %`;
  process.stdout.write(
    `${name}: instructions ${c.instructions} (${change(c.instructions, old?.instructions)}), ` +
      `allocations ${c.allocations} (${change(c.allocations, old?.allocations)})\n`,
  );
}
writeFileSync(BASELINE_PATH, JSON.stringify(after, null, 2) + '\n');
process.stdout.write(`wrote ${BASELINE_PATH}\n`);
