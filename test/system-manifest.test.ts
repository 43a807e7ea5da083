import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkManifest,
  checkManifestText,
  containerFootprintBytes,
  formatIssues,
  formatMemoryBudget,
  linkFootprintBytes,
  SYSTEM_OVERHEAD_BYTES,
  type ManifestIssue,
  type ManifestResult,
} from '../src/system/manifest.js';
import { manifestJsonSchemaText } from '../src/system/manifest-schema.js';
import { builtinBoardLookup } from '../src/system/boards.js';
import { layoutFor } from '../src/vm/memory.js';
import { vmConfigFor } from '../src/system/container-config.js';
import { parseDurationUs, parseSizeBytes } from '../src/system/units.js';
import { catalogueEntry } from '../src/errors/catalogue.js';

/** A valid three-container system; tests break one thing at a time. */
function goodManifest(): Record<string, unknown> & {
  containers: Record<string, unknown>[];
  links: Record<string, unknown>[];
} {
  return {
    board: 'stm32f4-discovery',
    quantumInstructions: 200,
    heartbeatMs: 1000,
    containers: [
      {
        name: 'control',
        program: 'control.cam',
        criticality: 3,
        memory: { heapBytes: 8192, stackBytes: 1024, maxContexts: 4 },
        peripherals: ['button0', 'led0', 'link:temps'],
        restart: {
          policy: 'on-failure',
          maxRestarts: 3,
          withinMs: 10000,
          backoffMs: 100,
          then: 'stop',
        },
        watchdogMs: 500,
      },
      {
        name: 'sensor',
        program: 'sensor.cam',
        criticality: 2,
        peripherals: ['link:temps', 'link:log'],
      },
      {
        name: 'logger',
        program: 'logger.cam',
        criticality: 1,
        peripherals: ['uart0', 'link:log'],
        restart: 'always',
      },
    ],
    links: [
      { name: 'temps', from: 'sensor', to: 'control', capacity: 4, maxMessageBytes: 64 },
      { name: 'log', from: 'sensor', to: 'logger', onFull: 'drop-newest' },
    ],
  };
}

function issuesOf(result: ManifestResult<unknown>): readonly ManifestIssue[] {
  if (result.ok) throw new Error('expected the manifest to be rejected');
  return result.issues;
}

function codes(result: ManifestResult<unknown>): string[] {
  return issuesOf(result).map((i) => i.code);
}

describe('units', () => {
  it('reads durations as milliseconds or with a unit, in µs', () => {
    expect(parseDurationUs(500)).toBe(500_000);
    expect(parseDurationUs('500ms')).toBe(500_000);
    expect(parseDurationUs('250us')).toBe(250);
    expect(parseDurationUs('1.5s')).toBe(1_500_000);
    expect(parseDurationUs(0.25)).toBe(250);
    expect(parseDurationUs('1min')).toBe(60_000_000);
    expect(parseDurationUs('0.0001ms')).toBeUndefined();
    expect(parseDurationUs('fast')).toBeUndefined();
    expect(parseDurationUs(-1)).toBeUndefined();
  });
  it('reads sizes as bytes or with a unit', () => {
    expect(parseSizeBytes(100)).toBe(100);
    expect(parseSizeBytes('8KiB')).toBe(8192);
    expect(parseSizeBytes('2KB')).toBe(2000);
    expect(parseSizeBytes('0.5KiB')).toBe(512);
    expect(parseSizeBytes('0.1B')).toBeUndefined();
    expect(parseSizeBytes('lots')).toBeUndefined();
  });
});

describe('system manifest', () => {
  it('accepts the issue example and normalises durations and defaults', () => {
    const result = checkManifest(goodManifest());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { manifest } = result.system;
    expect(manifest.heartbeatUs).toBe(1_000_000);
    const [control, sensor, logger] = manifest.containers;
    expect(control?.watchdogUs).toBe(500_000);
    expect(control?.restart).toEqual({
      policy: 'on-failure',
      maxRestarts: 3,
      withinUs: 10_000_000,
      backoffUs: 100_000,
      then: 'stop',
    });
    expect(control?.peripherals).toEqual(['button0', 'led0']);
    expect(control?.linkEnds).toEqual(['temps']);
    expect(sensor?.memory).toEqual({
      heapBytes: 8192,
      stackBytes: 1024,
      maxContexts: 4,
      maxChannels: 16,
    });
    expect(sensor?.restart.policy).toBe('never');
    expect(logger?.restart.policy).toBe('always');
    expect(manifest.links[1]).toMatchObject({ capacity: 4, maxMessageBytes: 64 });
    expect(manifest.links[1]?.onFull).toBe('drop-newest');
  });

  it('accepts sizes and durations with units', () => {
    const m = goodManifest();
    m.heartbeatMs = '2s';
    (m.containers[0] as { memory: unknown }).memory = { heapBytes: '16KiB', stackBytes: '2KiB' };
    (m.containers[0] as { watchdogMs: unknown }).watchdogMs = '250ms';
    const result = checkManifest(m);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.system.manifest.heartbeatUs).toBe(2_000_000);
    expect(result.system.manifest.containers[0]?.memory.heapBytes).toBe(16384);
    expect(result.system.manifest.containers[0]?.watchdogUs).toBe(250_000);
  });

  it('rejects a peripheral owned by two containers, naming both', () => {
    const m = goodManifest();
    (m.containers[2] as { peripherals: string[] }).peripherals.push('led0');
    const issues = issuesOf(checkManifest(m));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'E0674', path: 'containers[2].peripherals[2]' });
    expect(issues[0]?.message).toBe('peripheral "led0" is assigned to both "control" and "logger"');
  });

  it('rejects a peripheral the board does not have, with a suggestion', () => {
    const m = goodManifest();
    (m.containers[2] as { peripherals: string[] }).peripherals[0] = 'uart7';
    const issues = issuesOf(checkManifest(m));
    expect(issues.map((i) => i.code)).toEqual(['E0675']);
    expect(issues[0]?.message).toContain('board "stm32f4-discovery" has no peripheral "uart7"');
    expect(issues[0]?.hint).toMatch(/did you mean "uart[01]"\?/);
  });

  it('rejects memory over the board RAM and shows the budget', () => {
    const m = goodManifest();
    (m.containers[1] as { memory: unknown }).memory = { heapBytes: '190KiB' };
    const result = checkManifest(m);
    const issues = issuesOf(result);
    expect(issues.map((i) => i.code)).toEqual(['E0676']);
    if (result.ok || !result.budget) throw new Error('expected a budget');
    const small = { heapBytes: 8192, stackBytes: 1024, maxContexts: 4, maxChannels: 16 };
    const big = { ...small, heapBytes: 190 * 1024 };
    const expected =
      containerFootprintBytes({ memory: small }) * 2 +
      containerFootprintBytes({ memory: big }) +
      linkFootprintBytes({ capacity: 4, maxMessageBytes: 64 }) * 2 +
      SYSTEM_OVERHEAD_BYTES;
    expect(result.budget.totalBytes).toBe(expected);
    expect(issues[0]?.message).toBe(
      `the system needs ${expected} bytes of RAM but board "stm32f4-discovery" has 196608 (${expected - 196608} bytes over)`,
    );
    const table = formatMemoryBudget(result.budget);
    expect(table).toContain('container sensor');
    expect(table).toContain(String(containerFootprintBytes({ memory: big })));
    expect(table).toMatch(/over +\d+ B {2}does not fit/);
  });

  it('reports memory over the RAM even when another container is malformed (a lower bound)', () => {
    const m = goodManifest();
    (m.containers[1] as { memory: unknown }).memory = { heapBytes: '300KiB' };
    (m.containers[2] as { criticality: unknown }).criticality = 'high';
    const result = checkManifest(m);
    const issues = issuesOf(result);
    expect(issues.map((i) => i.code).sort()).toEqual(['E0671', 'E0676']);
    expect(issues.find((i) => i.code === 'E0676')?.hint).toContain('only the well-formed');
    // No partial table is printed as if it were the whole budget.
    expect(result.ok || result.budget).toBeFalsy();
  });

  it('rejects a dangling link end and a link end nobody lists', () => {
    const m = goodManifest();
    (m.links[0] as { from: string }).from = 'sensr';
    const issues = issuesOf(checkManifest(m));
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual([
      'E0678 links[0].from',
      'E0681 containers[1].peripherals[0]',
    ]);
    expect(issues[0]?.message).toBe(
      'link "temps" names sending container "sensr", which does not exist',
    );
    expect(issues[0]?.hint).toBe('did you mean "sensor"?');
  });

  it('rejects a link the container does not list, and a listed link that does not exist', () => {
    const m = goodManifest();
    (m.containers[0] as { peripherals: string[] }).peripherals = ['button0', 'led0', 'link:tmps'];
    expect(codes(checkManifest(m))).toEqual(['E0682', 'E0680']);
    const issues = issuesOf(checkManifest(m));
    expect(issues[0]?.message).toBe(
      'link "temps": its receiving container "control" does not list "link:temps" among its peripherals',
    );
    expect(issues[1]?.hint).toBe('did you mean "link:temps"?');
  });

  it('rejects a blocking link toward lower criticality but allows it upward', () => {
    const down = goodManifest();
    (down.links[1] as { onFull: string }).onFull = 'block';
    const issues = issuesOf(checkManifest(down));
    expect(issues.map((i) => i.code)).toEqual(['E0683']);
    expect(issues[0]?.path).toBe('links[1].onFull');
    expect(issues[0]?.message).toContain(
      '"sensor" (criticality 2) would wait for "logger" (criticality 1)',
    );
    const up = goodManifest();
    (up.links[0] as { onFull: string }).onFull = 'block';
    expect(checkManifest(up).ok).toBe(true);
  });

  it('reports every shape error at once with paths, plus a did-you-mean for unknown keys', () => {
    const m = goodManifest();
    (m.containers[0] as Record<string, unknown>).criticality = 'high';
    (m.containers[1] as Record<string, unknown>).watchdogMS = 100;
    delete (m.containers[2] as Record<string, unknown>).program;
    (m.links[0] as Record<string, unknown>).onFull = 'overwrite';
    m.quantumInstructions = 0;
    const issues = issuesOf(checkManifest(m));
    const byPath = new Map(issues.map((i) => [i.path, i]));
    expect([...byPath.keys()].sort()).toEqual(
      [
        'containers[0].criticality',
        'containers[1].watchdogMS',
        'containers[2].program',
        'links[0].onFull',
        'quantumInstructions',
      ].sort(),
    );
    expect(issues.every((i) => i.code === 'E0671')).toBe(true);
    expect(byPath.get('containers[1].watchdogMS')?.hint).toBe('did you mean "watchdogMs"?');
    expect(byPath.get('containers[2].program')?.message).toContain('missing field "program"');
    expect(byPath.get('links[0].onFull')?.message).toContain('drop-oldest');
  });

  it('keeps checking the good parts when one container is malformed', () => {
    const m = goodManifest();
    (m.containers[1] as Record<string, unknown>).criticality = -1;
    (m.containers[2] as { peripherals: string[] }).peripherals.push('button0');
    const found = codes(checkManifest(m));
    expect(found).toContain('E0671');
    expect(found).toContain('E0674');
    // The malformed container still counts as existing: no cascade about its links.
    expect(found).not.toContain('E0678');
  });

  it('a malformed container still takes part in the cross-checks with its well-formed fields', () => {
    const m = goodManifest();
    // Only its restart policy is wrong: its clash over led0, its duplicate name, its unknown
    // peripheral and its unreadable program must still be reported.
    m.containers[1] = {
      name: 'sensor',
      program: 'missing.cam',
      criticality: 2,
      peripherals: ['led0', 'lde1', 'link:temps', 'link:log'],
      restart: { policy: 'on-failur' },
    };
    m.containers.push({ name: 'sensor', program: 'control.cam', criticality: 'x' });
    const issues = issuesOf(
      checkManifest(m, {
        loadProgram: (program) =>
          program === 'missing.cam'
            ? { ok: false, kind: 'unreadable', detail: 'ENOENT' }
            : { ok: true, program },
      }),
    );
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual(
      expect.arrayContaining([
        'E0671 containers[1].restart.policy',
        'E0673 containers[3].name',
        'E0674 containers[1].peripherals[0]',
        'E0675 containers[1].peripherals[1]',
        'E0686 containers[1].program',
      ]),
    );
    const policy = issues.find((i) => i.path === 'containers[1].restart.policy');
    expect(policy?.message).toContain('"on-failure"');
    expect(policy?.hint).toBe('did you mean "on-failure"?');
    expect(issues.find((i) => i.code === 'E0675')?.hint).toBe('did you mean "led1"?');
  });

  it('says what a union accepts, without follow-on errors', () => {
    const m = goodManifest();
    (m.containers[0] as Record<string, unknown>).restart = 5;
    m.heartbeatMs = 'soon';
    (m.containers[2] as Record<string, unknown>).watchdogMs = -3;
    const issues = issuesOf(checkManifest(m));
    const at = (path: string) => issues.filter((i) => i.path === path).map((i) => i.message);
    expect(at('containers[0].restart')).toEqual([
      'expected one of "never", "on-failure", "always" or an object with the details',
    ]);
    // One message per bad duration, not also "must be whole µs" and "must be positive".
    expect(at('heartbeatMs')).toHaveLength(1);
    expect(at('heartbeatMs')[0]).toContain('"500ms"');
    expect(at('containers[2].watchdogMs')).toHaveLength(1);
  });

  it('rejects malformed JSON, unknown boards, duplicate names and over-committed budgets', () => {
    const bad = checkManifestText('{ "board": "nrf52840-dk", ');
    expect(codes(bad)).toEqual(['E0670']);
    const m = goodManifest();
    m.board = 'stm32f4-discover';
    (m.containers[2] as { name: string }).name = 'sensor';
    (m.containers[0] as { budget: unknown }).budget = { percent: 60, periodMs: 100 };
    (m.containers[1] as { budget: unknown }).budget = { percent: 50, periodMs: '100ms' };
    const issues = issuesOf(checkManifest(m));
    expect(issues.map((i) => i.code)).toEqual(expect.arrayContaining(['E0672', 'E0673', 'E0685']));
    expect(issues.find((i) => i.code === 'E0672')?.hint).toBe('did you mean "stm32f4-discovery"?');
    expect(issues.find((i) => i.code === 'E0685')?.message).toContain('110 %');
  });

  it('rejects a container listing a peripheral twice and a link to itself', () => {
    const m = goodManifest();
    (m.containers[0] as { peripherals: string[] }).peripherals.push('led0');
    m.links.push({ name: 'loop', from: 'logger', to: 'logger' });
    (m.containers[2] as { peripherals: string[] }).peripherals.push('link:loop');
    expect(codes(checkManifest(m))).toEqual(['E0684', 'E0679']);
  });

  it('loads programs through the injected loader and reports every failure', () => {
    const seen: string[] = [];
    const result = checkManifest(goodManifest(), {
      loadProgram: (program) => {
        seen.push(program);
        if (program === 'sensor.cam') return { ok: false, kind: 'unreadable', detail: 'ENOENT' };
        if (program === 'logger.cam')
          return { ok: false, kind: 'rejected', detail: 'logger.cam:3:5: type error' };
        return { ok: true, program: { code: program } };
      },
    });
    expect(seen).toEqual(['control.cam', 'sensor.cam', 'logger.cam']);
    const issues = issuesOf(result);
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual([
      'E0686 containers[1].program',
      'E0687 containers[2].program',
    ]);
    const ok = checkManifest(goodManifest(), {
      loadProgram: (program) => ({ ok: true, program: program.length }),
    });
    expect(ok.ok && ok.system.programs.get('control')).toBe('control.cam'.length);
  });

  it('formats issues one per line with file, path, code and hint', () => {
    const m = goodManifest();
    (m.containers[1] as Record<string, unknown>).watchdogMS = 100;
    const text = formatIssues('system.json', issuesOf(checkManifest(m)));
    expect(text).toBe(
      'system.json: containers[1].watchdogMS: error[E0671]: unknown field "watchdogMS"\n' +
        '  hint: did you mean "watchdogMs"?',
    );
  });

  it('uses catalogue codes that exist', () => {
    for (const code of ['E0670', 'E0676', 'E0683', 'E0687']) {
      expect(catalogueEntry(code).category).toMatch(/manifest/);
    }
  });

  it('takes boards from the HAL and counts container memory as the VM lays it out', () => {
    expect(builtinBoardLookup('stm32f4-discovery')?.ramBytes).toBe(192 * 1024);
    expect(builtinBoardLookup('nrf52840-dk')?.peripherals).toContain('button3');
    const memory = { heapBytes: 4000, stackBytes: 500, maxContexts: 3, maxChannels: 8 };
    // The VM's own layout is part of the footprint, byte for byte.
    expect(containerFootprintBytes({ memory })).toBeGreaterThan(
      layoutFor(vmConfigFor(memory)).totalBytes,
    );
    expect(layoutFor(vmConfigFor(memory)).stackBytes).toBe(3 * 500);
  });

  it('docs/manifest.schema.json is up to date (npx tsx scripts/manifest-schema.ts)', () => {
    const onDisk = readFileSync(new URL('../docs/manifest.schema.json', import.meta.url), 'utf8');
    // Compared as data: prettier may re-wrap the file.
    expect(JSON.parse(onDisk)).toEqual(JSON.parse(manifestJsonSchemaText()));
    const schema = JSON.parse(onDisk) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['board', 'containers', 'links', 'heartbeatMs']),
    );
  });
});
