/**
 * docs/opcodes.md, rendered from the instruction-set table and the runtime-call table.
 * `npm run docs` writes it; a test fails when the committed file differs from this output.
 */
import { OPERAND_WIDTH, INSTRUCTIONS, type InstructionRow } from './opcodes.js';
import { RTS_CALLS } from './rts-calls.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function operandText(row: InstructionRow): string {
  if (row.operands.length === 0) return '—';
  return row.operands
    .map((k) => (k === 'table' ? 'u8 k, k × (u16 tag, u16 label)' : k === 'u8' ? 'u8' : `u16 ${k}`))
    .join(', ');
}

function lengthText(row: InstructionRow): string {
  let fixed = 1;
  let table = false;
  for (const k of row.operands) {
    if (k === 'table') table = true;
    else fixed += OPERAND_WIDTH[k];
  }
  return table ? `${fixed + 1}+4k` : String(fixed);
}

export function opcodesMarkdown(): string {
  const lines: string[] = [
    '# Sense-VM instruction set',
    '',
    '<!-- Generated from src/isa/opcodes.ts and src/isa/rts-calls.ts by `npm run docs`. Do not edit. -->',
    '',
    'Notation: `env` is the environment/accumulator register, `s` a value popped from the stack,',
    '`[a,b]` a new heap cell, `L` a u16 label, `n` a u8 operand. Operands follow the opcode byte;',
    'u16 operands are big-endian. Length is in bytes, opcode included. Opcodes 0–55 are',
    "SynchronVM's and valid in both image formats; 56 and up exist only in Sense-VM images.",
    '',
    '| Op | Hex | Mnemonic | Operands | Length | Effect | Meaning | Cost | Pops | Pushes | Flow | Formats |',
    '|---:|---|---|---|---|---|---|---|---:|---:|---|---|',
  ];
  for (const r of INSTRUCTIONS) {
    lines.push(
      `| ${r.opcode} | ${r.opcode.toString(16).padStart(2, '0').toUpperCase()} | ${r.mnemonic} | ${operandText(r)} | ${lengthText(r)} | ${cell(r.effect)} | ${cell(r.meaning)} | ${r.cost} | ${r.pops} | ${r.pushes} | ${r.flow} | ${r.sensevmOnly ? 'Sense-VM' : 'both'} |`,
    );
  }
  lines.push(
    '',
    '## Runtime calls (`CALLRTS n`)',
    '',
    "Numbers 0–8 are SynchronVM's; Sense-VM's own calls follow.",
    '',
    '| n | Name | Source | Type | Pops | Meaning |',
    '|---:|---|---|---|---:|---|',
  );
  for (const c of RTS_CALLS) {
    lines.push(
      `| ${c.n} | ${c.name} | \`${c.source}\` | \`${cell(c.type)}\` | ${c.pops} | ${cell(c.meaning)} |`,
    );
  }
  return lines.join('\n') + '\n';
}
