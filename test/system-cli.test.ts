import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferIO, main } from '../src/cli/main.js';

const EXAMPLE = new URL('../examples/system/system.json', import.meta.url).pathname;

async function sensevm(...argv: string[]): Promise<{ code: number; io: BufferIO }> {
  const io = new BufferIO();
  const code = await main(argv, io);
  return { code, io };
}

function writeSystem(manifest: unknown, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sensevm-system-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const path = join(dir, 'system.json');
  writeFileSync(path, typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return path;
}

const BLINK = `
led : Channel Int
led = channel ()

blink : Int -> ()
blink v =
  let _ = syncT 500000 0 (send led v) in
  blink (1 - v)

main =
  let _ = spawnExternal led 0 in
  blink 1
`;

describe('sensevm check/run system.json', () => {
  it('check accepts the example and prints the memory budget', async () => {
    const { code, io } = await sensevm('check', EXAMPLE);
    expect(io.stderr).toContain('memory budget on stm32f4-discovery');
    expect(io.stderr).toMatch(/ok — 3 container\(s\), 1 link\(s\)/);
    expect(code).toBe(0);
  });

  it('check lists every problem at once and exits 65', async () => {
    const path = writeSystem(
      {
        board: 'stm32f4-discovery',
        containers: [
          { name: 'a', program: 'blink.cam', criticality: 2, peripherals: ['led0', 'link:x'] },
          { name: 'b', program: 'missing.cam', criticality: 1, peripherals: ['led0'] },
          { name: 'c', program: 'blink.cam', criticality: 1, memory: { heapBytes: '300KiB' } },
        ],
        links: [{ name: 'x', from: 'a', to: 'b', onFull: 'block' }],
      },
      { 'blink.cam': BLINK },
    );
    const { code, io } = await sensevm('check', path);
    expect(code).toBe(65);
    expect(io.stderr).toContain(
      'containers[1].peripherals[0]: error[E0674]: peripheral "led0" is assigned to both "a" and "b"',
    );
    expect(io.stderr).toContain('error[E0676]');
    expect(io.stderr).toContain('error[E0682]'); // b does not list link:x
    expect(io.stderr).toContain('error[E0683]'); // blocking toward lower criticality
    expect(io.stderr).toContain('containers[1].program: error[E0686]');
    expect(io.stderr).toMatch(/over +\d+ B {2}does not fit/);
    expect(io.stderr).toContain('5 error(s)');
  });

  it('check rejects malformed JSON with exit 65', async () => {
    const { code, io } = await sensevm('check', writeSystem('{ "containers": [ }'));
    expect(code).toBe(65);
    expect(io.stderr).toContain('error[E0670]: the manifest is not valid JSON');
  });

  it('check reports a program that does not compile, with its diagnostics', async () => {
    const path = writeSystem(
      { containers: [{ name: 'a', program: 'bad.cam', criticality: 1 }] },
      { 'bad.cam': 'main = 1 +\n' },
    );
    const { code, io } = await sensevm('check', path);
    expect(code).toBe(65);
    expect(io.stderr).toContain(
      'containers[0].program: error[E0687]: program "bad.cam" is rejected',
    );
  });

  it('run runs the example: UART output on stdout, summary on stderr', async () => {
    const { code, io } = await sensevm('run', EXAMPLE, '--for', '3s');
    expect(io.stdout).toBe('1'.repeat(29));
    expect(io.stderr).toMatch(/logger +1 +blocked .* 5 +5/);
    expect(io.stderr).toContain(
      'link readings sensor -> logger (drop-oldest): sent 29, delivered 29',
    );
    expect(io.stderr).toContain('heartbeats 3');
    expect(code).toBe(0);
  });

  it('run exits 70 when a fault stops a container for good', async () => {
    const path = writeSystem(
      { containers: [{ name: 'a', program: 'crash.cam', criticality: 1, restart: 'never' }] },
      { 'crash.cam': 'main = 1 / 0\n' },
    );
    const { code, io } = await sensevm('run', path, '--for', '10ms');
    expect(io.stderr).toContain('a stopped: restart policy "never" (fault: division by zero)');
    expect(code).toBe(70);
  });
});
