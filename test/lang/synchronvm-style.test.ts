/**
 * Programs written in SynchronVM's CamIoT style (blinky, button-blinky, mutrec, data with case,
 * letrec, comments in the places the reference's layout pass breaks on) must be accepted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lang/analyze.js';
import { renderDiagnostics } from '../../src/lang/render.js';
import type { TypeDesc } from '../../src/isa/program.js';

const DIR = new URL('./synchronvm/', import.meta.url).pathname;
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.cam'))
  .sort();

const INT: TypeDesc = { kind: 'int' };
const UNIT: TypeDesc = { kind: 'unit' };
const EXPECTED_MAIN: Readonly<Record<string, TypeDesc>> = {
  'blinky.cam': UNIT,
  'button-blinky.cam': UNIT,
  'even-odd.cam': { kind: 'bool' },
  'list-maybe.cam': INT,
  'letrec.cam': INT,
  'channels.cam': INT,
  'forward-references.cam': INT,
  'comments-everywhere.cam': INT,
  'case-in-parens.cam': INT,
  'explicit-braces.cam': INT,
  'floats-and-ops.cam': {
    kind: 'tuple',
    items: [
      { kind: 'float' },
      INT,
      { kind: 'bool' },
      { kind: 'bool' },
      { kind: 'float' },
      { kind: 'float' },
    ],
  },
};

describe('SynchronVM-style programs', () => {
  it('there are at least a dozen', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  it.each(files)('%s type-checks', (name) => {
    const source = readFileSync(join(DIR, name), 'utf8');
    const result = analyze(source, name);
    expect(renderDiagnostics(result.diagnostics, source)).toBe('');
    expect(result.info).toBeDefined();
    const expected = EXPECTED_MAIN[name];
    if (expected) expect(result.info?.mainType).toEqual(expected);
  });
});
