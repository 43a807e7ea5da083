/**
 * The disassembler: a canonical listing that the text assembler (assemble-text.ts) reads back,
 * so that writeImage(assembleText(disassemble(p))) reproduces p's image byte for byte.
 *
 * Listing shape (`;` starts a comment; comments are for people and ignored by the assembler):
 *
 *   .format synchronvm 1        image format and version
 *   .int 5                      int pool entry #0, #1, … in order (also .float, .string, .native)
 *   .metadata {…}               metadata JSON (Sense-VM images)
 *   L23:                        a label at every jump target, named after its address
 *       LOADI #0                ; @23 = 5
 *   .byte 0xff                  code bytes that do not decode
 *   .debug 0 5 "main.cam" 3 7   debug entries: pc, length, file, line, column
 */
import { bitsOfFloats } from './bytes.js';
import { formatFloatBits, quoteString } from './asm-syntax.js';
import { decodeAt, labelsOf, type DecodedInstruction, type TableArm } from './instructions.js';
import { FAIL_CAUSES, Op, WILDCARD_TAG } from './opcodes.js';
import type { DebugEntry, Program } from './program.js';
import { rtsCallName } from './rts-calls.js';

const COMMENT_COLUMN = 32;

type Line =
  { kind: 'instr'; instr: DecodedInstruction } | { kind: 'bytes'; pc: number; bytes: number[] };

function sweep(code: Uint8Array): Line[] {
  const lines: Line[] = [];
  let pc = 0;
  let pending: { pc: number; bytes: number[] } | undefined;
  const flush = (): void => {
    if (pending) lines.push({ kind: 'bytes', ...pending });
    pending = undefined;
  };
  while (pc < code.length) {
    const r = decodeAt(code, pc);
    if (r.ok) {
      flush();
      lines.push({ kind: 'instr', instr: r.instruction });
      pc += r.instruction.length;
      continue;
    }
    // Unknown opcode: one raw byte, then try again after it. Truncated: the rest is raw.
    const end = r.failure.kind === 'unknown-opcode' ? pc + 1 : code.length;
    for (; pc < end; pc++) {
      if (!pending || pending.bytes.length === 16) {
        flush();
        pending = { pc, bytes: [] };
      }
      pending.bytes.push(code[pc]!);
    }
  }
  flush();
  return lines;
}

/** The innermost debug entry covering each pc (the smallest range wins, as in sourceAt). */
function sourceByPc(program: Program): (DebugEntry | undefined)[] {
  const byPc: (DebugEntry | undefined)[] = new Array<DebugEntry | undefined>(program.code.length);
  const entries = [...program.debug].sort((a, b) => b.length - a.length);
  for (const e of entries) {
    const end = Math.min(e.pc + e.length, program.code.length);
    for (let pc = e.pc; pc < end; pc++) byPc[pc] = e;
  }
  return byPc;
}

function constructorNames(program: Program): Map<number, string> {
  const names = new Map<number, string>();
  for (const dt of program.metadata?.dataTypes ?? []) {
    for (const c of dt.constructors) {
      const prev = names.get(c.tag);
      names.set(c.tag, prev ? `${prev}/${c.name}` : c.name);
    }
  }
  return names;
}

const withComment = (text: string, comment: string): string =>
  comment ? `${text.padEnd(COMMENT_COLUMN - 1)} ; ${comment}` : text;

export function disassemble(program: Program): string {
  const out: string[] = [];
  const isV1 = program.format === 'synchronvm';
  out.push(
    isV1
      ? `; SynchronVM image, version ${program.version}: labels are file offsets, code starts at ${program.labelBase}`
      : `; Sense-VM image, format version ${program.version}: labels are code offsets`,
  );
  out.push(`.format ${program.format} ${program.version}`);
  program.ints.forEach((v, i) => out.push(withComment(`.int ${v}`, `#${i}`)));
  bitsOfFloats(program.floats).forEach((b, i) =>
    out.push(withComment(`.float ${formatFloatBits(b)}`, `#${i}`)),
  );
  program.strings.forEach((s, i) => out.push(withComment(`.string ${quoteString(s)}`, `#${i}`)));
  program.natives.forEach((v, i) =>
    out.push(withComment(`.native 0x${v.toString(16).padStart(8, '0')}`, `#${i}`)),
  );
  if (program.metadata) out.push(`.metadata ${JSON.stringify(program.metadata)}`);
  out.push('');

  const lines = sweep(program.code);
  const starts = new Set<number>();
  for (const l of lines) if (l.kind === 'instr') starts.add(l.instr.pc);
  const targets = new Set<number>();
  for (const l of lines) {
    if (l.kind !== 'instr') continue;
    for (const label of labelsOf(l.instr))
      if (starts.has(label - program.labelBase)) targets.add(label);
  }
  const labelText = (label: number): string => (targets.has(label) ? `L${label}` : String(label));
  const sources = sourceByPc(program);
  const tagNames = constructorNames(program);
  const floatBits = bitsOfFloats(program.floats);
  let lastSource: DebugEntry | undefined;

  for (const l of lines) {
    if (l.kind === 'bytes') {
      const text =
        '    .byte ' + l.bytes.map((b) => '0x' + b.toString(16).padStart(2, '0')).join(', ');
      out.push(withComment(text, `@${l.pc + program.labelBase} does not decode`));
      continue;
    }
    const { instr } = l;
    const address = instr.pc + program.labelBase;
    if (targets.has(address)) out.push(`L${address}:`);
    const operands: string[] = [];
    const notes: string[] = [`@${address}`];
    instr.row.operands.forEach((kind, i) => {
      const a = instr.args[i]!;
      switch (kind) {
        case 'label':
          operands.push(labelText(a as number));
          break;
        case 'int': {
          operands.push(`#${a as number}`);
          const v = program.ints[a as number];
          if (v !== undefined) notes.push(`= ${v}`);
          break;
        }
        case 'float': {
          operands.push(`#${a as number}`);
          const bits = floatBits[a as number];
          if (bits !== undefined) notes.push(`= ${formatFloatBits(bits)}`);
          break;
        }
        case 'string': {
          operands.push(`#${a as number}`);
          const s = program.strings[a as number];
          if (s !== undefined)
            notes.push(`= ${quoteString(s.length > 40 ? s.slice(0, 40) + '…' : s)}`);
          break;
        }
        case 'tag': {
          operands.push(String(a));
          const name = tagNames.get(a as number);
          if (name) notes.push(name);
          break;
        }
        case 'u8': {
          operands.push(String(a));
          if (instr.row.opcode === Op.CALLRTS)
            notes.push(rtsCallName(a as number) ?? 'unknown runtime call');
          if (instr.row.opcode === Op.FAIL) notes.push(FAIL_CAUSES[a as number] ?? 'unknown cause');
          break;
        }
        case 'table': {
          const arms = a as readonly TableArm[];
          operands.push(
            '[' +
              arms
                .map(
                  (arm) => `${arm.tag === WILDCARD_TAG ? '_' : arm.tag}: ${labelText(arm.label)}`,
                )
                .join(', ') +
              ']',
          );
          const named = arms
            .filter((arm) => tagNames.has(arm.tag))
            .map((arm) => `${arm.tag}=${tagNames.get(arm.tag)}`);
          if (named.length > 0) notes.push(named.join(' '));
          break;
        }
      }
    });
    const source = sources[instr.pc];
    if (source && source !== lastSource)
      notes.push(`${source.file}:${source.line}:${source.column}`);
    lastSource = source;
    const text = `    ${instr.row.mnemonic}${operands.length > 0 ? ' ' + operands.join(' ') : ''}`;
    out.push(withComment(text, notes.join('  ')));
  }

  if (program.debug.length > 0) {
    out.push('');
    for (const e of program.debug)
      out.push(`.debug ${e.pc} ${e.length} ${quoteString(e.file)} ${e.line} ${e.column}`);
  }
  return out.join('\n') + '\n';
}
