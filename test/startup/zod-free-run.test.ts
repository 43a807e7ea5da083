/**
 * Start-up: zod is bundled apart (dist/zod.cjs, required on first use) and the common run paths
 * must not need it — evaluating it costs ≈ 27 ms per start (docs/performance.md, "Start-up").
 * The bundle is copied without zod.cjs: a one-line program still runs from source and from an
 * image, while a path that does validate a user file with zod fails loudly (proving the copy
 * really lacks zod, so the passes above mean something).
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DIST = resolve('dist');
let dir = '';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'sensevm.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SENSEVM_STRESS_GC: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  expect(existsSync(join(DIST, 'sensevm.js')), 'run `npm run build` first').toBe(true);
  expect(existsSync(join(DIST, 'zod.cjs')), 'the build writes zod apart').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'sensevm-nozod-'));
  // The same layout as the package: bin/sensevm.js imports ../dist/sensevm.js.
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(resolve('bin/sensevm.js'), join(dir, 'bin', 'sensevm.js'));
  for (const f of readdirSync(DIST))
    if (f.endsWith('.js')) copyFileSync(join(DIST, f), join(dir, 'dist', f));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'one.cam'), 'main = 1 + 2\n');
  writeFileSync(join(dir, 'board.json'), '{ "name": "x" }\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the run path without zod', () => {
  it('runs a .cam program', () => {
    const r = run('run', 'one.cam');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('3');
    expect(r.status).toBe(0);
  });

  it('compiles to an image with metadata and runs it', () => {
    expect(run('compile', 'one.cam', '-o', 'one.svm').status).toBe(0);
    const r = run('run', 'one.svm');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('3');
    expect(r.status).toBe(0);
  });

  it('needs zod only to validate a user file (here a board file), so that fails in the copy', () => {
    const r = run('run', 'one.cam', '--board', 'board.json');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/zod\.cjs/);
  });
});
