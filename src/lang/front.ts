/**
 * The back end's view of the front end (lang/analyze.ts): one call that parses, resolves and
 * type-checks a source file. A thin adapter so the driver depends only on what it uses.
 */
import type { DataTypeDesc, ExternalChannelDesc, TypeDesc } from '../isa/program.js';
import { analyze } from './analyze.js';
import type { Module } from './ast.js';
import type { Diagnostic } from './diagnostic.js';

export interface FrontEndResult {
  /** Present only when there is no error: fully annotated (`resolved`, `binding`). */
  readonly module?: Module;
  readonly mainType?: TypeDesc;
  readonly dataTypes?: readonly DataTypeDesc[];
  readonly externalChannels?: readonly ExternalChannelDesc[];
  readonly diagnostics: readonly Diagnostic[];
}

export function frontEnd(source: string, file: string): FrontEndResult {
  const result = analyze(source, file);
  if (!result.info) return { diagnostics: result.diagnostics };
  return {
    module: result.module,
    mainType: result.info.mainType,
    dataTypes: result.info.dataTypes,
    externalChannels: result.info.externalChannels,
    diagnostics: result.diagnostics,
  };
}
