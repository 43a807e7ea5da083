/**
 * The board description: what a `--board file.json` contains, validated with zod so that every
 * mistake is reported with its path (`peripherals[3].mode: …`). docs/board.schema.json is
 * exported from `boardSchema()` (scripts/board-schema.ts) for editors.
 */
import { z } from 'zod';
import type { CostClass } from '../../isa/opcodes.js';

/** Every cost class of the instruction table; the compile-time check below keeps it complete. */
export const COST_CLASSES = [
  'move',
  'stack',
  'alu',
  'mul',
  'div',
  'float',
  'fdiv',
  'alloc',
  'branch',
  'switch',
  'rts',
] as const satisfies readonly CostClass[];
type MissingCostClass = Exclude<CostClass, (typeof COST_CLASSES)[number]>;
const _everyCostClassListed: MissingCostClass extends never ? true : never = true;
void _everyCostClassListed;

const PERIPHERAL_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * The schemas are built on first use, not at module load: every run would otherwise pay for
 * building them and evaluating zod, although the built-in boards need no validation
 * (docs/performance.md, "Start-up").
 */
function buildBoardSchemas() {
  const positiveInt = z.number().int().positive();

  const CycleTable = z
    .strictObject(
      Object.fromEntries(
        COST_CLASSES.map((c) => [c, positiveInt.describe(`CPU cycles of a \`${c}\` instruction`)]),
      ) as Record<CostClass, typeof positiveInt>,
    )
    .describe('cycles per instruction cost class; every class of the instruction table');

  /** A power figure: milliwatts, or milliamperes at a supply voltage. */
  const PowerFigure = z.union(
    [
      z.strictObject({ mW: z.number().nonnegative() }),
      z.strictObject({ mA: z.number().nonnegative(), V: z.number().positive() }),
    ],
    { error: 'a power figure is { "mW": number } or { "mA": number, "V": number }' },
  );

  const name = z
    .string()
    .regex(PERIPHERAL_NAME, 'peripheral names are lower case letters, digits and _ (`led0`)');

  const Led = z.strictObject({
    name,
    kind: z.literal('led'),
    /** Colour of the glyph on the terminal board. */
    color: z.enum(['red', 'green', 'yellow', 'blue', 'white']).default('green'),
  });
  const Button = z.strictObject({
    name,
    kind: z.literal('button'),
    /** Which edges raise an interrupt (Zephyr's BUTTON_n_MODE). */
    mode: z.enum(['both', 'to-active', 'to-inactive']).default('both'),
    /** Key that presses it on the terminal board. */
    key: z.string().length(1).optional(),
  });
  const Dac = z.strictObject({
    name,
    kind: z.literal('dac'),
    bits: z.number().int().min(1).max(16).default(12),
    /** Output after the owning container dies: mid-scale (audio silence) or 0. */
    safe: z.enum(['mid', 'zero']).default('mid'),
  });
  const Pwm = z.strictObject({
    name,
    kind: z.literal('pwm'),
    frequencyHz: positiveInt.default(1000),
  });
  const Uart = z.strictObject({
    name,
    kind: z.literal('uart'),
    baud: positiveInt.default(115200),
  });
  const Sensor = <K extends 'temperature' | 'light'>(
    kind: K,
    unit: string,
    scale: number,
    initial: number,
  ) =>
    z.strictObject({
      name,
      kind: z.literal(kind),
      /** `read()` returns round(value × scale): the Int unit programs see. */
      scale: z.number().positive().default(scale).describe(`Int units per ${unit}`),
      /** The value when no stimulus signal drives it. */
      initial: z.number().default(initial).describe(`reading in ${unit} without a signal`),
    });

  const PeripheralSchema = z.discriminatedUnion(
    'kind',
    [
      Led,
      Button,
      Dac,
      Pwm,
      Uart,
      Sensor('temperature', '°C', 100, 21),
      Sensor('light', 'lux', 1, 300),
    ],
    { error: 'kind must be one of led, button, dac, pwm, uart, temperature, light' },
  );

  const BoardSchema = z
    .strictObject({
      $schema: z.string().optional(),
      name: z.string().min(1),
      description: z.string().optional(),
      cpu: z.strictObject({
        clockHz: positiveInt.describe('CPU clock rate'),
        cycles: CycleTable,
        /** Cost of a container switch (saving one VM's registers, restoring another's). */
        containerSwitchCycles: positiveInt.default(300),
      }),
      memory: z.strictObject({
        ramBytes: positiveInt,
        flashBytes: positiveInt,
      }),
      power: z.strictObject({
        active: PowerFigure,
        sleep: PowerFigure,
        /** A deeper sleep state, used for sleeps of at least `deepSleepAfterUs`. */
        deepSleep: PowerFigure.optional(),
        deepSleepAfterUs: positiveInt.optional(),
      }),
      /** In order: the default driver numbering of a container (`spawnExternal c 1` = second). */
      peripherals: z.array(PeripheralSchema).min(1),
    })
    .describe('A Sense-VM board description');

  return { BoardSchema, PowerFigure };
}

type BoardSchemas = ReturnType<typeof buildBoardSchemas>;
let schemas: BoardSchemas | undefined;

/** The board file schema (built once, on first use). */
export function boardSchema(): BoardSchemas['BoardSchema'] {
  return (schemas ??= buildBoardSchemas()).BoardSchema;
}

export type Board = z.output<BoardSchemas['BoardSchema']>;
export type BoardInput = z.input<BoardSchemas['BoardSchema']>;
export type Peripheral = Board['peripherals'][number];
export type PowerFigure = z.output<BoardSchemas['PowerFigure']>;
export type PeripheralOf<K extends Peripheral['kind']> = Extract<Peripheral, { kind: K }>;

/** A power figure in milliwatts. */
export function milliwatts(figure: PowerFigure): number {
  return 'mW' in figure ? figure.mW : figure.mA * figure.V;
}
