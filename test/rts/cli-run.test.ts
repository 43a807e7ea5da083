/** `sensevm run prog.cam` with the container runtime: exit codes, --for, --stimulus, --events. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferIO, main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'sensevm-rts-'));
let n = 0;
function file(text: string, ext = '.cam'): string {
  const path = join(dir, `p${n++}${ext}`);
  writeFileSync(path, text);
  return path;
}

async function run(...args: string[]) {
  const io = new BufferIO();
  const code = await main(['run', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('sensevm run with the container runtime', () => {
  it('prints main’s value and exits 0 when the other contexts can never run again', async () => {
    const r = await run(
      file(`
main : Int
main = let c = channel () in
       let _ = spawn (\\_ -> sync (send c 21)) in
       let _ = spawn (\\_ -> let _ = sync (recv c) in ()) in
       sync (recv c) * 2
`),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('42\n');
  });

  it('a deadlocked program exits 70 with the word deadlock and the blocked contexts', async () => {
    const r = await run(
      file(`
main : Int
main = let c = channel () in
       let d = channel () in
       let _ = spawn (\\_ -> sync (send d 1)) in
       sync (recv c)
`),
    );
    expect(r.code).toBe(70);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('deadlock');
    expect(r.stderr).toMatch(
      /context 0 \(main\): blocked in sync waiting to recv on channel 0 at .*p\d+\.cam:6:8/,
    );
    expect(r.stderr).toMatch(/context 1: blocked in sync waiting to send on channel 1/);
  });

  it('--for ends an endless blinker normally and --events writes the device log', async () => {
    const events = join(dir, 'events.jsonl');
    const r = await run(
      file(`
blink : Channel Int -> Int -> ()
blink led v = let _ = syncT 500000 0 (send led v) in blink led (1 - v)
main : ()
main = let led = channel () in
       let _ = spawnExternal led 1 in
       blink led 1
`),
      '--for',
      '2.2s',
      '--events',
      events,
    );
    expect(r.code).toBe(0);
    const lines = readFileSync(events, 'utf8').trim().split('\n');
    expect(lines).toEqual([
      '{"t":500000,"container":"main","device":"led0","dir":"out","value":1}',
      '{"t":1000000,"container":"main","device":"led0","dir":"out","value":0}',
      '{"t":1500000,"container":"main","device":"led0","dir":"out","value":1}',
      '{"t":2000000,"container":"main","device":"led0","dir":"out","value":0}',
    ]);
  });

  it('--stimulus presses a button that drives the LED; the same run twice is identical', async () => {
    const program = file(`
loop : Channel Int -> Channel Int -> ()
loop b l = let _ = sync (wrap (recv b) (\\v -> sync (send l v))) in loop b l
main : ()
main = let b = channel () in
       let l = channel () in
       let _ = spawnExternal b 0 in
       let _ = spawnExternal l 1 in
       loop b l
`);
    const stimulus = file(
      JSON.stringify([
        { at: '10ms', device: 'button0', value: 1 },
        { at: '30ms', device: 'button0', value: 0 },
      ]),
      '.json',
    );
    const logs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const events = join(dir, `button${i}.jsonl`);
      const r = await run(program, '--stimulus', stimulus, '--events', events);
      // No --for: the run ends when no input is left and main can never be woken: a deadlock.
      expect(r.code).toBe(70);
      expect(r.stderr).toContain('deadlock');
      logs.push(readFileSync(events, 'utf8'));
    }
    expect(logs[1]).toBe(logs[0]);
    const leds = logs[0]!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number; device: string; dir: string; value: number })
      .filter((e) => e.device === 'led0');
    expect(leds.map((e) => e.value)).toEqual([1, 0]);
    expect(leds[0]!.t).toBeGreaterThanOrEqual(10_000);
    expect(leds[0]!.t).toBeLessThan(10_050);
  });

  it('reports a deadline miss on stderr', async () => {
    const r = await run(
      file(`
spin : Int -> Int
spin n = if n == 0 then 0 else spin (n - 1)
main : Int
main = let led = channel () in
       let _ = spawnExternal led 1 in
       let _ = spawn (\\_ -> syncT 100 5 (send led 1)) in
       spin 10000
`),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0\n');
    expect(r.stderr).toMatch(/deadline missed by context 1/);
    expect(r.stderr).toMatch(/1 deadline miss\(es\) in 1 timed syncs/);
  });

  it('a fault of a spawned context is reported and makes the exit code 70', async () => {
    const r = await run(
      file(`
main : Int
main = let _ = spawn (\\_ -> let x = 1 / 0 in ()) in 5
`),
    );
    expect(r.stdout).toBe('5\n');
    expect(r.stderr).toContain('division by zero');
    expect(r.code).toBe(70);
  });
});
