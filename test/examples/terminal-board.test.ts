/**
 * `sensevm run --platform node` in a real terminal (tmux): the blinker changes on the status
 * line every 500 ms of wall time, and a key press reaches a button (key 1 → button0 → led1).
 * Runs only where tmux is installed (.ci/run installs it). Wall-clock timing on a loaded CI
 * machine is noisy, so the checks are on the sequence and the rough period: a toggle is never
 * early (syncT releases are exact in logical time) and at most a generous margin late.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const CLI = resolve('bin/sensevm.js');

/** Blinks led0 every 500 ms; led1 follows button0 (key 1 on the default board). */
const PROGRAM = `
blink : Channel Int -> Int -> ()
blink led level =
  let _ = syncT 500000 0 (send led level) in
  blink led (1 - level)

follow : Channel Int -> Channel Int -> () -> ()
follow button led u =
  let _ = sync (wrap (recv button) (\\level -> sync (send led level))) in
  follow button led u

main : ()
main = let led0 = channel () in
       let led1 = channel () in
       let button = channel () in
       let _ = spawnExternal led0 1 in
       let _ = spawnExternal led1 2 in
       let _ = spawnExternal button 0 in
       let _ = spawn (follow button led1) in
       blink led0 1
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', args, { encoding: 'utf8' });
  return r.stdout ?? '';
}

interface Line {
  t: number;
  device?: string;
  dir: string;
  value?: number;
}

describe.runIf(hasTmux)('the terminal board (--platform node, in tmux)', () => {
  it('blinks led0 every 500 ms of wall time and key 1 presses button0', async () => {
    expect(existsSync(resolve('dist/sensevm.js')), 'run `npm run build` first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'sensevm-tmux-'));
    const program = join(dir, 'board.cam');
    const events = join(dir, 'events.jsonl');
    writeFileSync(program, PROGRAM);
    const session = `sensevm-test-${process.pid}`;
    const command =
      `node ${CLI} run ${program} --platform node --for 3s --events ${events}; ` +
      `echo EXIT=$?; sleep 20`;
    tmux('new-session', '-d', '-s', session, '-x', '220', '-y', '12', command);
    try {
      const glyphs: string[] = [];
      let keySent = false;
      let statusSeenAt = -1;
      const started = Date.now();
      let pane = '';
      while (Date.now() - started < 15_000) {
        pane = tmux('capture-pane', '-p', '-t', session);
        if (pane.includes('EXIT=')) break;
        const glyph = /led0 ([●○])/.exec(pane)?.[1];
        if (glyph !== undefined) {
          if (statusSeenAt < 0) statusSeenAt = Date.now();
          if (glyphs.at(-1) !== glyph) glyphs.push(glyph);
          if (!keySent && Date.now() - statusSeenAt > 1200) {
            tmux('send-keys', '-t', session, '1');
            keySent = true;
          }
        }
        await sleep(50);
      }
      expect(pane).toContain('EXIT=0');
      expect(keySent).toBe(true);
      // What a user saw: the glyph changed several times (on, off, on, …).
      expect(glyphs.length).toBeGreaterThanOrEqual(3);

      const log = readFileSync(events, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Line);
      const led0 = log.filter((e) => e.device === 'led0' && e.dir === 'out');
      // 3 s of wall time: toggles at 0.5, 1.0, … s, each never early and at most 400 ms late.
      expect(led0.length).toBeGreaterThanOrEqual(4);
      led0.forEach((e, i) => {
        expect(e.value).toBe(i % 2 === 0 ? 1 : 0);
        expect(e.t).toBeGreaterThanOrEqual((i + 1) * 500_000);
        expect(e.t).toBeLessThan((i + 1) * 500_000 + 400_000);
      });
      // The key press reached button0 (a click: press, release 200 ms later) and led1 followed.
      const button = log.filter((e) => e.device === 'button0' && e.dir === 'in');
      expect(button.map((e) => e.value)).toEqual([1, 0]);
      const led1 = log.filter((e) => e.device === 'led1' && e.dir === 'out');
      expect(led1.map((e) => e.value)).toEqual([1, 0]);
      expect(led1[0]!.t - button[0]!.t).toBeLessThan(300_000);
    } finally {
      tmux('kill-session', '-t', session);
    }
  }, 30_000);

  it('Ctrl-C stops a program that computes without ever waiting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sensevm-tmux-'));
    const program = join(dir, 'busy.cam');
    writeFileSync(program, 'loop : Int -> Int\nloop n = loop (n + 1)\nmain = loop 0\n');
    const session = `sensevm-busy-${process.pid}`;
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '220',
      '-y',
      '12',
      `node ${CLI} run ${program} --platform node; echo EXIT=$?; sleep 20`,
    );
    try {
      const started = Date.now();
      let pane = '';
      // Wait for the status line, so the terminal board is up before the key arrives.
      while (Date.now() - started < 10_000 && !/led0 [●○]/.test(pane)) {
        pane = tmux('capture-pane', '-p', '-t', session);
        await sleep(50);
      }
      tmux('send-keys', '-t', session, 'C-c');
      while (Date.now() - started < 15_000 && !pane.includes('EXIT=')) {
        pane = tmux('capture-pane', '-p', '-t', session);
        await sleep(50);
      }
      expect(pane).toContain('stopped with Ctrl-C');
      expect(pane).toContain('EXIT=130');
    } finally {
      tmux('kill-session', '-t', session);
    }
  }, 30_000);
});
