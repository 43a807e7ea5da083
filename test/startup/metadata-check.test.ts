/**
 * The hand-written metadata check that keeps zod off the start-up path (src/isa/metadata-schema.ts)
 * must never accept what the zod schema rejects, and must accept what the compiler writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  metadataProblem,
  programMetadataSchema,
  surelyValidMetadata,
} from '../../src/isa/metadata-schema.js';
import { compile } from '../../src/lang/compile.js';

function schemaProblem(value: unknown): string | undefined {
  const r = programMetadataSchema().safeParse(value);
  if (r.success) return undefined;
  const issue = r.error.issues[0];
  if (!issue) return 'invalid';
  return (issue.path.length > 0 ? issue.path.join('.') + ': ' : '') + issue.message;
}

// Values shaped like metadata, with wrong types and edge cases mixed in at every level.
const scalar = fc.oneof(
  fc.constantFrom('int', 'float', 'bool', 'unit', 'string', 'tuple', 'fun', 'var', 'con', 'x', ''),
  fc.constantFrom(0, -0, 1, -1, 0xfffe, 0xffff, 1.5, 2 ** 53, NaN, Infinity),
  fc.constantFrom(null, true, undefined),
);
const { typeDesc } = fc.letrec((tie) => ({
  typeDesc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constantFrom('int', 'float', 'bool', 'unit', 'string') }),
    fc.record({ kind: fc.constant('tuple'), items: fc.array(tie('typeDesc'), { maxLength: 3 }) }),
    fc.record({ kind: fc.constant('fun'), from: tie('typeDesc'), to: tie('typeDesc') }),
    fc.record({ kind: fc.constant('var'), name: fc.oneof(fc.string(), scalar) }),
    fc.record(
      { kind: fc.constant('con'), name: fc.string(), args: fc.array(tie('typeDesc')) },
      { requiredKeys: ['kind'] },
    ),
    fc.record({ kind: scalar, items: fc.constant([]), name: scalar }, { requiredKeys: [] }),
    scalar,
    fc.array(scalar, { maxLength: 2 }),
  ),
}));
const constructorDesc = fc.record(
  {
    name: fc.oneof(fc.string(), scalar),
    tag: fc.oneof(fc.integer({ min: -2, max: 0x10000 }), scalar),
    fields: fc.oneof(fc.array(typeDesc, { maxLength: 3 }), scalar),
  },
  { requiredKeys: [] },
);
const dataTypeDesc = fc.record(
  {
    name: fc.oneof(fc.string(), scalar),
    params: fc.oneof(fc.array(fc.oneof(fc.string(), scalar), { maxLength: 3 }), scalar),
    constructors: fc.oneof(fc.array(constructorDesc, { maxLength: 3 }), scalar),
  },
  { requiredKeys: [] },
);
// Well-formed values, so that the accepting side is exercised too.
const { validType } = fc.letrec((tie) => ({
  validType: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constantFrom('int', 'float', 'bool', 'unit', 'string') }),
    fc.record({ kind: fc.constant('tuple'), items: fc.array(tie('validType'), { maxLength: 3 }) }),
    fc.record({ kind: fc.constant('fun'), from: tie('validType'), to: tie('validType') }),
    fc.record({ kind: fc.constant('var'), name: fc.string() }),
    fc.record({
      kind: fc.constant('con'),
      name: fc.string(),
      args: fc.array(tie('validType'), { maxLength: 2 }),
    }),
  ),
}));
const validMetadata = fc.record(
  {
    mainType: validType,
    dataTypes: fc.array(
      fc.record({
        name: fc.string(),
        params: fc.array(fc.string(), { maxLength: 2 }),
        constructors: fc.array(
          fc.record({
            name: fc.string(),
            tag: fc.integer({ min: 0, max: 0xfffe }),
            fields: fc.array(validType, { maxLength: 2 }),
          }),
          { maxLength: 3 },
        ),
      }),
      { maxLength: 3 },
    ),
    source: fc.string(),
    externalChannels: fc.array(fc.record({ driver: fc.integer(), element: validType }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: ['dataTypes'] },
);

const metadata = fc.oneof(
  validMetadata,
  fc.record(
    {
      mainType: typeDesc,
      dataTypes: fc.oneof(fc.array(dataTypeDesc, { maxLength: 3 }), scalar),
      source: fc.oneof(fc.string(), scalar),
      externalChannels: fc.oneof(
        fc.array(
          fc.record(
            { driver: fc.oneof(fc.integer(), scalar), element: typeDesc },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        scalar,
      ),
      extra: scalar,
    },
    { requiredKeys: ['dataTypes'] },
  ),
  scalar,
  fc.array(scalar, { maxLength: 2 }),
);

describe('surelyValidMetadata (the schema-free fast path)', () => {
  it('accepts only what the zod schema accepts, and metadataProblem reports as the schema does', () => {
    let accepted = 0;
    fc.assert(
      fc.property(metadata, (value) => {
        const fast = surelyValidMetadata(value);
        const expected = schemaProblem(value);
        if (fast) {
          accepted++;
          expect(expected).toBeUndefined();
        }
        expect(metadataProblem(value)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the accepting side, or the property says nothing.
    expect(accepted).toBeGreaterThan(300);
  });

  it('rejects a few near misses (the schema then reports them)', () => {
    const ok = { dataTypes: [] };
    expect(surelyValidMetadata(ok)).toBe(true);
    for (const bad of [
      null,
      [],
      {},
      { dataTypes: 3 },
      { dataTypes: [], mainType: { kind: 'list' } },
      {
        dataTypes: [{ name: 'T', params: [], constructors: [{ name: 'A', tag: -1, fields: [] }] }],
      },
      {
        dataTypes: [{ name: 'T', params: [], constructors: [{ name: 'A', tag: 1.5, fields: [] }] }],
      },
      { dataTypes: [], source: 1 },
      { dataTypes: [], externalChannels: [{ driver: 0 }] },
    ]) {
      expect(surelyValidMetadata(bad), JSON.stringify(bad)).toBe(false);
      expect(metadataProblem(bad), JSON.stringify(bad)).toBe(schemaProblem(bad));
    }
  });

  it('accepts the metadata of every compiled program in the corpus and the examples', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.name.endsWith('.cam')) files.push(path);
      }
    };
    walk('test/corpus');
    walk('examples');
    let checked = 0;
    for (const file of files) {
      const program = compile(readFileSync(file, 'utf8'), file).program;
      if (!program?.metadata) continue;
      // As stored in an image: through JSON.
      const stored: unknown = JSON.parse(JSON.stringify(program.metadata));
      expect(surelyValidMetadata(stored), file).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});
