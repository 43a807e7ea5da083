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
  // Valid metadata (every image the compiler writes) is recognised without zod; only a
  // rejected value goes through the schema, whose verdict and message are the ones reported.
  if (surelyValidMetadata(value)) return undefined;
  const r = programMetadataSchema().safeParse(value);
  if (r.success) return undefined;
  const issue = r.error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length > 0 ? issue.path.join('.') + ': ' : '';
  return path + issue.message;
}

/**
 * A hand-written acceptance check that keeps zod off the start-up path of running an image. It
 * may reject more than the schema does (the schema then decides), never less: whenever it
 * accepts, the schema accepts too (a property test checks this).
 */
export function surelyValidMetadata(value: unknown): boolean {
  try {
    if (!isObject(value)) return false;
    if (value.mainType !== undefined && !isTypeDesc(value.mainType)) return false;
    if (!everyItem(value.dataTypes, isDataTypeDesc)) return false;
    if (value.source !== undefined && typeof value.source !== 'string') return false;
    return value.externalChannels === undefined || everyItem(value.externalChannels, isChannel);
  } catch {
    return false; // absurdly deep nesting (RangeError): let the schema decide
  }
}

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const everyItem = (v: unknown, ok: (item: unknown) => boolean): boolean =>
  Array.isArray(v) && v.every(ok);
const isString = (v: unknown): boolean => typeof v === 'string';

const SIMPLE_KINDS: ReadonlySet<unknown> = new Set(['int', 'float', 'bool', 'unit', 'string']);

function isTypeDesc(v: unknown): boolean {
  if (!isObject(v)) return false;
  if (SIMPLE_KINDS.has(v.kind)) return true;
  switch (v.kind) {
    case 'tuple':
      return everyItem(v.items, isTypeDesc);
    case 'fun':
      return isTypeDesc(v.from) && isTypeDesc(v.to);
    case 'var':
      return isString(v.name);
    case 'con':
      return isString(v.name) && everyItem(v.args, isTypeDesc);
    default:
      return false;
  }
}

const isConstructorDesc = (v: unknown): boolean =>
  isObject(v) &&
  isString(v.name) &&
  Number.isSafeInteger(v.tag) &&
  (v.tag as number) >= 0 &&
  (v.tag as number) <= 0xfffe &&
  everyItem(v.fields, isTypeDesc);

const isDataTypeDesc = (v: unknown): boolean =>
  isObject(v) &&
  isString(v.name) &&
  everyItem(v.params, isString) &&
  everyItem(v.constructors, isConstructorDesc);

const isChannel = (v: unknown): boolean =>
  isObject(v) && Number.isSafeInteger(v.driver) && isTypeDesc(v.element);
