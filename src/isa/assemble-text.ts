/**
 * The text assembler: reads the listing syntax the disassembler prints (see disassemble.ts for
 * the shape), line by line. `;` starts a comment. Errors carry line:column and a code; after an
 * error the rest of that line is skipped, so one mistake gives one error.
 *
 *   line      := (name ':')* [directive | instruction] [; comment]
 *   directive := .format (sensevm|synchronvm) 1 | .int n | .float f | .string "s" | .native n
 *              | .metadata json | .debug pc length "file" line column | .byte n (, n)*
 *   operand   := n | #index | name | [ (tag|_): label , … ]
 */
import { parseFloatBits } from './asm-syntax.js';
import { floatsFromBits } from './bytes.js';
import { ErrorSink, type IsaError } from './errors.js';
import {
  errorAt,
  link,
  type LabelRef,
  type LinkArg,
  type LinkArm,
  type LinkItem,
  type LinkResult,
  type Where,
} from './link.js';
import { metadataProblem } from './metadata-schema.js';
import { rowByMnemonic, WILDCARD_TAG, Op, type OperandKind } from './opcodes.js';
import type { DebugEntry, ImageFormat, ProgramMetadata } from './program.js';
import { RtsCall } from './rts-calls.js';

/** Thrown inside one line's parse and caught at the line boundary; never escapes. */
class LineError {
  constructor(readonly error: IsaError) {}
}

const isIdentStart = (c: string): boolean => /[A-Za-z_$]/.test(c);
const isIdentChar = (c: string): boolean => /[A-Za-z0-9_$.]/.test(c);

class LineScanner {
  pos = 0;
  constructor(
    readonly text: string,
    readonly lineNo: number,
    readonly lineOffset: number,
  ) {}

  where(pos = this.pos): Where {
    return { offset: this.lineOffset + pos, line: this.lineNo, column: pos + 1 };
  }
  fail(code: string, args: Record<string, string | number>, pos = this.pos): never {
    throw new LineError(errorAt(code, this.where(pos), args));
  }
  syntax(detail: string, pos = this.pos): never {
    return this.fail('E0140', { detail }, pos);
  }
  skipSpace(): void {
    while (this.pos < this.text.length && /[ \t\r]/.test(this.text[this.pos]!)) this.pos++;
  }
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length || this.text[this.pos] === ';';
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  expect(ch: string): void {
    this.skipSpace();
    if (this.peek() !== ch) this.syntax(`expected \`${ch}\``);
    this.pos++;
  }
  ident(what: string): string {
    this.skipSpace();
    const start = this.pos;
    if (!isIdentStart(this.peek())) this.syntax(`expected ${what}`);
    while (this.pos < this.text.length && isIdentChar(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }
  /** A word ending at whitespace or `;`, and also at `,` `]` `:` unless `loose`. */
  word(what: string, loose = false): string {
    this.skipSpace();
    const start = this.pos;
    const end = loose ? /[\s;]/ : /[\s,\]:;]/;
    while (this.pos < this.text.length && !end.test(this.text[this.pos]!)) this.pos++;
    if (this.pos === start) this.syntax(`expected ${what}`);
    return this.text.slice(start, this.pos);
  }
  /** An integer literal (decimal or 0x hex, optional sign) within [min, max]. */
  integer(what: string, min: number, max: number): number {
    this.skipSpace();
    const start = this.pos;
    const w = this.word(what);
    const m = /^([-+]?)(0[xX][0-9a-fA-F]+|\d+)$/.exec(w);
    if (!m) this.syntax(`expected ${what}, found \`${w}\``, start);
    const magnitude = Number(m[2]!.toLowerCase().startsWith('0x') ? BigInt(m[2]!) : m[2]!);
    const value = m[1] === '-' ? -magnitude : magnitude;
    if (!(value >= min && value <= max))
      this.fail('E0143', { what, value: w, range: `${min}..${max}` }, start);
    return value;
  }
  string(): string {
    this.skipSpace();
    if (this.peek() !== '"') this.syntax('expected a string in double quotes');
    const start = this.pos;
    this.pos++;
    let out = '';
    while (true) {
      const c = this.text[this.pos];
      if (c === undefined) this.syntax('unterminated string', start);
      this.pos++;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      if (e === 'n') out += '\n';
      else if (e === 'r') out += '\r';
      else if (e === 't') out += '\t';
      else if (e === '0') out += '\0';
      else if (e === '"' || e === '\\') out += e;
      else if (e === 'u' && this.peek() === '{') {
        const close = this.text.indexOf('}', this.pos);
        const digits = close < 0 ? '' : this.text.slice(this.pos + 1, close);
        const cp = /^[0-9a-fA-F]{1,6}$/.test(digits) ? parseInt(digits, 16) : -1;
        if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
          this.syntax('bad \\u{…} escape', this.pos - 2);
        out += String.fromCodePoint(cp);
        this.pos = close + 1;
      } else this.syntax(`unknown escape \\${e ?? ''}`, this.pos - 2);
    }
  }
  rest(): string {
    const r = this.text.slice(this.pos);
    this.pos = this.text.length;
    return r;
  }
}

interface ParseState {
  format?: ImageFormat;
  /** A `.format` line was seen, valid or not (an invalid one is not also "missing"). */
  formatDirectiveSeen?: boolean;
  version: number;
  ints: number[];
  floatBits: number[];
  strings: string[];
  natives: number[];
  items: LinkItem[];
  debug: DebugEntry[];
  metadata?: ProgramMetadata;
}

const U16 = 0xffff;
const U32 = 0xffffffff;

function parseDirective(s: LineScanner, st: ParseState): void {
  const start = s.pos;
  s.pos++; // '.'
  const name = s.ident('a directive name');
  switch (name) {
    case 'format': {
      if (st.format) s.syntax('a second `.format` directive', start);
      st.formatDirectiveSeen = true;
      s.skipSpace();
      const formatAt = s.pos;
      const f = s.ident('`sensevm` or `synchronvm`');
      if (f !== 'sensevm' && f !== 'synchronvm')
        s.syntax(`unknown format \`${f}\` (sensevm or synchronvm)`, formatAt);
      const v = s.integer('format version', 0, U16);
      if (v !== 1)
        s.syntax(`unsupported ${f} format version ${v} (this assembler writes version 1)`);
      st.format = f;
      st.version = v;
      break;
    }
    case 'int':
      st.ints.push(s.integer('int constant', -0x80000000, U32) | 0);
      break;
    case 'float': {
      const at = s.pos;
      const w = s.word('a float constant', true);
      const bits = parseFloatBits(w);
      if (bits === undefined) s.syntax(`\`${w}\` is not a float constant`, at);
      st.floatBits.push(bits);
      break;
    }
    case 'string':
      st.strings.push(s.string());
      break;
    case 'native':
      st.natives.push(s.integer('native entry', 0, U32));
      break;
    case 'metadata': {
      if (st.metadata) s.syntax('a second `.metadata` directive', start);
      s.skipSpace();
      const at = s.pos;
      let value: unknown;
      try {
        value = JSON.parse(s.rest());
      } catch (e) {
        s.fail('E0112', { detail: e instanceof Error ? e.message : 'not JSON' }, at);
      }
      const problem = metadataProblem(value);
      if (problem !== undefined) s.fail('E0112', { detail: problem }, at);
      st.metadata = value as ProgramMetadata;
      return;
    }
    case 'debug': {
      const pc = s.integer('debug pc', 0, U32);
      const length = s.integer('debug length', 0, U32);
      const file = s.string();
      const line = s.integer('debug line', 0, U32);
      const column = s.integer('debug column', 0, U32);
      st.debug.push({ pc, length, file, line, column });
      break;
    }
    case 'byte': {
      const where = s.where(start);
      const bytes = [s.integer('byte', 0, 0xff)];
      while (!s.atEnd()) {
        s.expect(',');
        bytes.push(s.integer('byte', 0, 0xff));
      }
      st.items.push({ kind: 'bytes', bytes, where });
      break;
    }
    default:
      s.syntax(`unknown directive \`.${name}\``, start);
  }
}

function parseLabelRef(s: LineScanner): LabelRef {
  s.skipSpace();
  const at = s.pos;
  if (isIdentStart(s.peek())) return { name: s.ident('a label'), where: s.where(at) };
  return { value: s.integer('label', 0, U16) };
}

function parseOperand(s: LineScanner, kind: OperandKind, opcode: number): LinkArg {
  s.skipSpace();
  switch (kind) {
    case 'u8':
      if (opcode === Op.CALLRTS && isIdentStart(s.peek())) {
        const at = s.pos;
        const name = s.ident('a runtime call');
        const n = RtsCall[name];
        if (n === undefined) s.syntax(`unknown runtime call \`${name}\``, at);
        return n;
      }
      return s.integer('u8 operand', 0, 0xff);
    case 'int':
    case 'float':
    case 'string':
      if (s.peek() !== '#') s.syntax(`expected a ${kind} pool index like #0`);
      s.pos++;
      return s.integer(`${kind} pool index`, 0, U16);
    case 'tag':
      return s.integer('constructor tag', 0, U16);
    case 'label':
      return parseLabelRef(s);
    case 'table': {
      s.expect('[');
      const arms: LinkArm[] = [];
      s.skipSpace();
      if (s.peek() === ']') {
        s.pos++;
        return arms;
      }
      while (true) {
        s.skipSpace();
        let tag: number;
        if (s.peek() === '_' && !isIdentChar(s.text[s.pos + 1] ?? ' ')) {
          s.pos++;
          tag = WILDCARD_TAG;
        } else tag = s.integer('constructor tag', 0, U16);
        s.expect(':');
        arms.push({ tag, label: parseLabelRef(s) });
        s.skipSpace();
        if (s.peek() === ']') {
          s.pos++;
          break;
        }
        s.expect(',');
      }
      if (arms.length > 255) s.syntax('a switch table has at most 255 arms');
      return arms;
    }
  }
}

function parseLine(s: LineScanner, st: ParseState): void {
  while (!s.atEnd()) {
    if (s.peek() === '.') {
      parseDirective(s, st);
      break;
    }
    const at = s.pos;
    const name = s.ident('a label, directive or instruction');
    if (s.peek() === ':') {
      s.pos++;
      st.items.push({ kind: 'label', name, where: s.where(at) });
      continue;
    }
    const row = rowByMnemonic(name);
    if (!row) s.fail('E0141', { name }, at);
    const args = row.operands.map((kind) => parseOperand(s, kind, row.opcode));
    st.items.push({ kind: 'instr', row, args, where: s.where(at) });
    break;
  }
  if (!s.atEnd()) s.syntax(`unexpected \`${s.text.slice(s.pos).trim().split(/\s/)[0]}\``);
}

/** Assembles listing text into a Program (not verified: run `verify` before executing it). */
export function assembleText(text: string): LinkResult {
  const st: ParseState = {
    version: 1,
    ints: [],
    floatBits: [],
    strings: [],
    natives: [],
    items: [],
    debug: [],
  };
  const sink = new ErrorSink();
  let offset = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && !sink.full; i++) {
    const line = lines[i]!;
    try {
      parseLine(new LineScanner(line, i + 1, offset), st);
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      sink.add(e.error);
    }
    offset += line.length + 1;
  }
  if (!st.format && !st.formatDirectiveSeen)
    sink.add(errorAt('E0149', { offset: 0, line: 1, column: 1 }));
  if (!sink.empty || !st.format) return { ok: false, errors: sink.errors };
  return link({
    format: st.format,
    version: st.version,
    ints: Int32Array.from(st.ints),
    floats: floatsFromBits(st.floatBits),
    strings: st.strings,
    natives: Uint32Array.from(st.natives),
    items: st.items,
    debug: st.debug,
    ...(st.metadata ? { metadata: st.metadata } : {}),
  });
}
