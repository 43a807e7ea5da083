/**
 * Symbolic instructions: what code generation produces. Labels are names, constants are values;
 * only the assembler (isa/assemble.ts) lays out bytes, interns constant pools and resolves
 * label offsets ("symbolic instructions first, bytes last").
 */
import type { Mnemonic } from './opcodes.js';
import type { ImageFormat, ProgramMetadata } from './program.js';

export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface SwitchArm {
  /** Constructor tag, or WILDCARD_TAG (0xFFFF). */
  readonly tag: number;
  readonly label: string;
}

/**
 * One operand, by the operand kind of the instruction's row:
 * - 'u8', 'tag': the number
 * - 'label': the label's name
 * - 'int': the 32-bit integer value; 'float': the float value; 'string': the string value
 *   (the assembler interns them in the pools)
 * - 'table': the arms, in order
 */
export type SymArg = number | string | readonly SwitchArm[];

export type SymItem =
  | { readonly kind: 'label'; readonly name: string }
  | {
      readonly kind: 'instr';
      readonly op: Mnemonic;
      readonly args: readonly SymArg[];
      /** Source position, recorded as debug info. */
      readonly loc?: SourceLoc;
    };

export interface SymProgram {
  /** Execution starts at the first item, with env = (). */
  readonly items: readonly SymItem[];
  readonly metadata?: ProgramMetadata;
}

export interface AssembleOptions {
  /** 'sensevm' (default) or 'synchronvm' (version 1; rejected if a Sense-VM-only opcode is used). */
  readonly format?: ImageFormat;
  /** Run the verifier on the result and report its errors (default true). */
  readonly verify?: boolean;
}
