import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  boardSchema,
  builtinBoard,
  builtinBoards,
  COST_CLASSES,
  cyclesToMicros,
  defaultBoard,
  instructionCycles,
  isBoardPath,
  milliwatts,
  parseBoard,
  validateBoard,
} from '../../src/hal/boards/index.js';
import { INSTRUCTIONS } from '../../src/isa/opcodes.js';

// A mutable copy of the default board, to break on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const good = () => JSON.parse(JSON.stringify(defaultBoard())) as Record<string, any>;

function errorsOf(data: unknown): { code: string; path: string; message: string }[] {
  const r = validateBoard(data);
  if (r.ok) throw new Error('expected the board to be rejected');
  return [...r.errors];
}

describe('built-in boards', () => {
  it('stm32f4-discovery: 168 MHz, 192 KiB RAM, peripherals in the reference order', () => {
    const r = builtinBoard('stm32f4-discovery');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.cpu.clockHz).toBe(168_000_000);
    expect(r.value.memory.ramBytes).toBe(196_608);
    expect(r.value.peripherals.map((p) => p.name)).toEqual([
      'button0',
      'led0',
      'led1',
      'led2',
      'led3',
      'dac0',
      'dac1',
      'pwm0',
      'uart0',
      'temp0',
      'light0',
    ]);
    // spawnExternal c 1 is led0 on the default board, as in the reference's STM32 examples.
    expect(defaultBoard().peripherals[1]?.name).toBe('led0');
  });

  it('nrf52840-dk: 64 MHz, 256 KiB RAM, 4 buttons, 4 LEDs, uart0, temp0', () => {
    const r = builtinBoard('nrf52840-dk');
    if (!r.ok) throw new Error('missing');
    expect(r.value.cpu.clockHz).toBe(64_000_000);
    expect(r.value.memory.ramBytes).toBe(262_144);
    expect(r.value.peripherals.map((p) => `${p.name}:${p.kind}`)).toEqual([
      'button0:button',
      'button1:button',
      'button2:button',
      'button3:button',
      'led0:led',
      'led1:led',
      'led2:led',
      'led3:led',
      'uart0:uart',
      'temp0:temperature',
    ]);
  });

  it('every built-in board validates from its own JSON', () => {
    for (const b of builtinBoards())
      expect(parseBoard(JSON.stringify(b))).toEqual({ ok: true, value: b });
  });

  it('are complete Board values: the schema changes nothing, fills no default', () => {
    // They are used without parsing at run time (start-up cost), so they must be exactly what
    // parsing would give, and there must be at least two of them.
    expect(builtinBoards().length).toBeGreaterThanOrEqual(2);
    for (const b of builtinBoards()) {
      const parsed = boardSchema().parse(b);
      expect(parsed).toStrictEqual(b);
      expect(Object.keys(parsed).sort()).toEqual(Object.keys(b).sort());
    }
  });

  it('an unknown name lists the known ones', () => {
    const r = builtinBoard('arduino');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]?.code).toBe('E0642');
      expect(r.errors[0]?.message).toContain('stm32f4-discovery, nrf52840-dk');
    }
  });

  it('tells paths from names', () => {
    expect(isBoardPath('nrf52840-dk')).toBe(false);
    expect(isBoardPath('boards/my.json')).toBe(true);
    expect(isBoardPath('my.json')).toBe(true);
  });
});

describe('board validation', () => {
  it('reports each bad field with its path', () => {
    const b = good();
    b.cpu.clockHz = -1;
    delete b.cpu.cycles.alu;
    b.peripherals[2].kind = 'lamp';
    b.peripherals[0].mode = 'sometimes';
    b.peripherals[3].brightness = 3;
    b.power.sleep = { mA: 1 };
    const errors = errorsOf(b);
    const paths = errors.map((e) => e.path).sort();
    expect(paths).toEqual(
      [
        'cpu.clockHz',
        'cpu.cycles.alu',
        'peripherals[0].mode',
        'peripherals[2].kind',
        'peripherals[3].brightness',
        'power.sleep',
      ].sort(),
    );
    expect(errors.every((e) => e.code === 'E0641')).toBe(true);
    const byPath = new Map(errors.map((e) => [e.path, e.message]));
    expect(byPath.get('cpu.cycles.alu')).toBe('cpu.cycles.alu: missing (expected number)');
    expect(byPath.get('peripherals[2].kind')).toContain('led, button, dac');
    expect(byPath.get('peripherals[3].brightness')).toContain('unknown key');
    expect(byPath.get('power.sleep')).toContain('"mA": number, "V": number');
  });

  it('rejects duplicate peripheral names', () => {
    const b = good();
    b.peripherals[2].name = 'led0';
    const errors = errorsOf(b);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'E0643', path: 'peripherals[2].name' });
  });

  it('rejects bad peripheral names and an empty peripheral list', () => {
    const b = good();
    b.peripherals = [{ name: 'LED 0', kind: 'led' }];
    expect(errorsOf(b).map((e) => e.path)).toEqual(['peripherals[0].name']);
    b.peripherals = [];
    expect(errorsOf(b).map((e) => e.path)).toEqual(['peripherals']);
  });

  it('rejects text that is not JSON with E0640', () => {
    const r = parseBoard('{ name: ');
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual(['E0640']);
  });

  it('fills defaults for a minimal user board', () => {
    const r = validateBoard({
      name: 'tiny',
      cpu: { clockHz: 16_000_000, cycles: Object.fromEntries(COST_CLASSES.map((c) => [c, 4])) },
      memory: { ramBytes: 2048, flashBytes: 32768 },
      power: { active: { mW: 20 }, sleep: { mA: 0.01, V: 5 } },
      peripherals: [
        { name: 'led0', kind: 'led' },
        { name: 'dac0', kind: 'dac' },
        { name: 't', kind: 'temperature' },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.peripherals[1]).toEqual({ name: 'dac0', kind: 'dac', bits: 12, safe: 'mid' });
    expect(r.value.peripherals[2]).toMatchObject({ scale: 100, initial: 21 });
    expect(milliwatts(r.value.power.active)).toBe(20);
    expect(milliwatts(r.value.power.sleep)).toBeCloseTo(0.05);
  });
});

describe('cost model', () => {
  it('gives every instruction the cycles of its cost class', () => {
    const board = defaultBoard();
    for (const row of INSTRUCTIONS)
      expect(instructionCycles(board, row.opcode)).toBe(board.cpu.cycles[row.cost]);
    expect(instructionCycles(board, 250)).toBe(0);
  });

  it('turns cycles into device time at the board clock', () => {
    expect(cyclesToMicros(defaultBoard(), 168)).toBe(1);
    const nrf = builtinBoard('nrf52840-dk');
    if (nrf.ok) expect(cyclesToMicros(nrf.value, 64_000_000)).toBe(1_000_000);
  });
});

describe('docs/board.schema.json', () => {
  it('is the JSON Schema of boardSchema() (regenerate: npx tsx scripts/board-schema.ts)', () => {
    const onDisk = JSON.parse(readFileSync('docs/board.schema.json', 'utf8')) as unknown;
    expect(onDisk).toEqual(
      JSON.parse(JSON.stringify(z.toJSONSchema(boardSchema(), { io: 'input' }))),
    );
  });
});
