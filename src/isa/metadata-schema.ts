/**
 * Shape check of image metadata (the METADATA section's JSON), matching ProgramMetadata. The
 * schema is built on first use, not at module load: building it (and evaluating zod) would cost
 * start-up time on every run, also the many that never read an image (docs/performance.md,
 * "Start-up").
 */
import { z } from 'zod';
import type { TypeDesc } from './program.js';

function buildProgramMetadataSchema() {
  const typeDesc: z.ZodType<TypeDesc> = z.lazy(() =>
    z.union([
      z.object({ kind: z.enum(['int', 'float', 'bool', 'unit', 'string']) }),
      z.object({ kind: z.literal('tuple'), items: z.array(typeDesc) }),
      z.object({ kind: z.literal('fun'), from: typeDesc, to: typeDesc }),
      z.object({ kind: z.literal('var'), name: z.string() }),
      z.object({ kind: z.literal('con'), name: z.string(), args: z.array(typeDesc) }),
    ]),
  ) as z.ZodType<TypeDesc>;

  const constructorDesc = z.object({
    name: z.string(),
    tag: z.number().int().min(0).max(0xfffe),
    fields: z.array(typeDesc),
  });

  const dataTypeDesc = z.object({
    name: z.string(),
    params: z.array(z.string()),
    constructors: z.array(constructorDesc),
  });

  return z.looseObject({
    mainType: typeDesc.optional(),
    dataTypes: z.array(dataTypeDesc),
    source: z.string().optional(),
    externalChannels: z.array(z.object({ driver: z.number().int(), element: typeDesc })).optional(),
  });
}

let metadataSchema: ReturnType<typeof buildProgramMetadataSchema> | undefined;

/** The metadata schema (built once, on first use). */
export function programMetadataSchema(): ReturnType<typeof buildProgramMetadataSchema> {
  return (metadataSchema ??= buildProgramMetadataSchema());
}

/** Undefined if `value` is valid metadata, else a one-line description of the first problem. */
export function metadataProblem(value: unknown): string | undefined {
  const r = programMetadataSchema().safeParse(value);
  if (r.success) return undefined;
  const issue = r.error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length > 0 ? issue.path.join('.') + ': ' : '';
  return path + issue.message;
}
