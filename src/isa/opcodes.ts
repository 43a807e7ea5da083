/**
 * The instruction set: one table, the single source of truth.
 *
 * Every other view of the instruction set — opcode constants, encoder, decoder, instruction
 * length, disassembler, assembler, verifier, the CPU cost model and docs/opcodes.md — is derived
 * from `INSTRUCTIONS` below. Add an instruction by adding a row; never keep a parallel list.
 *
 * Glossary
 * - env:   the CAM environment/accumulator register of the running context.
 * - s:     a value popped from the context's stack.
 * - [a,b]: a freshly allocated heap cell with fst = a, snd = b.
 * - L:     a u16 label operand. In SynchronVM (version-1) images it is an absolute byte offset in
 *          the image file; in Sense-VM images it is a byte offset in the code section. Either way
 *          the loader records `labelBase` so that L designates code[L - labelBase].
 * - n:     a u8 operand.
 *
 * Opcodes 0–55 keep SynchronVM's numbers and meaning (reference/synchronvm.md §2.2). Sense-VM's
 * own instructions are numbered from 56.
 */

/** Operand shapes. Widths in bytes: u8 = 1, every u16 = 2 (big-endian, as in SynchronVM). */
export type OperandKind =
  | 'u8' // small immediate: ACC/REST depth, LOADB boolean, CALLRTS number, FAIL cause
  | 'label' // u16 code address
  | 'int' // u16 index into the int pool
  | 'float' // u16 index into the float pool
  | 'string' // u16 index into the string pool
  | 'tag' // u16 constructor tag (0xFFFF = wildcard in switch tables)
  | 'table'; // u8 arm count k, then k × (u16 tag, u16 label)

export const OPERAND_WIDTH = {
  u8: 1,
  label: 2,
  int: 2,
  float: 2,
  string: 2,
  tag: 2,
} as const satisfies Record<Exclude<OperandKind, 'table'>, number>;

/**
 * Cost classes of the simulated CPU model. A board maps each class to cycles (hal/ boards);
 * the class says what kind of work the instruction does on a real microcontroller.
 */
export type CostClass =
  | 'move' // register/field moves, no memory allocation
  | 'stack' // push/pop/swap
  | 'alu' // integer add/sub/compare/bitwise
  | 'mul' // integer multiply
  | 'div' // integer divide/remainder
  | 'float' // single-precision float arithmetic
  | 'fdiv' // float divide
  | 'alloc' // allocates one heap cell
  | 'branch' // jumps, calls, returns
  | 'switch' // constructor dispatch
  | 'rts'; // runtime call: its own cost is charged by the runtime

export interface InstructionRow {
  /** Opcode byte. */
  readonly opcode: number;
  /** Upper-case mnemonic as printed by the disassembler and read by the assembler. */
  readonly mnemonic: string;
  /** Operand shapes, in encoding order. */
  readonly operands: readonly OperandKind[];
  /** Effect on env/stack/pc, in the glossary's notation. */
  readonly effect: string;
  /** One-line meaning. */
  readonly meaning: string;
  readonly cost: CostClass;
  /** Values popped from / pushed onto the stack (informational; APP/CALL push a return address). */
  readonly pops: number;
  readonly pushes: number;
  /** Control flow: 'next' falls through; 'jump' never falls through; 'branch' may do either. */
  readonly flow: 'next' | 'jump' | 'branch' | 'call' | 'return' | 'stop';
  /** True for instructions that exist only in Sense-VM images (opcode >= 56). */
  readonly sensevmOnly: boolean;
}

/** Keeps each row's mnemonic as a literal type, so `Mnemonic` is derived from the table. */
const row = <const M extends string>(
  opcode: number,
  mnemonic: M,
  operands: readonly OperandKind[],
  effect: string,
  meaning: string,
  cost: CostClass,
  pops: number,
  pushes: number,
  flow: InstructionRow['flow'] = 'next',
): InstructionRow & { readonly mnemonic: M } => ({
  opcode,
  mnemonic,
  operands,
  effect,
  meaning,
  cost,
  pops,
  pushes,
  flow,
  sensevmOnly: opcode >= 56,
});

/** The rows, with their literal mnemonics (INSTRUCTIONS below is the same array, widened). */
const TABLE = [
  row(0, 'FST', [], 'env := fst(env)', 'first component of a pair', 'move', 0, 0),
  row(1, 'SND', [], 'env := snd(env)', 'second component of a pair', 'move', 0, 0),
  row(
    2,
    'ACC',
    ['u8'],
    'n× env := fst(env); env := snd(env)',
    'variable n levels up',
    'move',
    0,
    0,
  ),
  row(3, 'REST', ['u8'], 'n× env := fst(env)', 'environment n levels up', 'move', 0, 0),
  row(4, 'PUSH', [], 'push env', 'save env on the stack', 'stack', 0, 1),
  row(5, 'SWAP', [], 't := pop; push env; env := t', 'exchange env and stack top', 'stack', 1, 1),
  row(6, 'LOADI', ['int'], 'env := intpool[i]', 'load an int constant', 'move', 0, 0),
  row(7, 'LOADB', ['u8'], 'env := b (0/1)', 'load a boolean constant', 'move', 0, 0),
  row(8, 'CLEAR', [], 'env := ()', 'load unit', 'move', 0, 0),
  row(9, 'CONS', [], 'env := [s, env]', 'pair stack top with env', 'alloc', 1, 0),
  row(10, 'CUR', ['label'], 'env := [env, L]', 'build a closure over env', 'alloc', 0, 0),
  row(11, 'PACK', ['tag'], 'env := [t, env]', 'build a constructor value', 'alloc', 0, 0),
  row(12, 'SKIP', [], '—', 'no operation (join point)', 'move', 0, 0),
  row(13, 'STOP', [], 'end the context', 'the running context ends', 'branch', 0, 0, 'stop'),
  row(
    14,
    'APP',
    [],
    'f := env; a := pop; env := a (combinator) or [v, a] (closure [v, L]); push pc+1; pc := L',
    'apply a function value',
    'branch',
    1,
    1,
    'call',
  ),
  row(15, 'RETURN', [], 'pc := pop', 'return from a call', 'branch', 1, 0, 'return'),
  row(16, 'CALL', ['label'], 'push pc+3; pc := L', 'call a known label', 'branch', 0, 1, 'call'),
  row(17, 'GOTO', ['label'], 'pc := L', 'jump', 'branch', 0, 0, 'jump'),
  row(
    18,
    'GOTOFALSE',
    ['label'],
    'c := env; env := pop; if c&1 = 0 then pc := L',
    'branch if false, restoring the saved env',
    'branch',
    1,
    0,
    'branch',
  ),
  row(
    19,
    'SWITCH',
    ['table'],
    'x := env; e := pop; arm with tag fst(x) or 0xFFFF: env := [e, snd(x)]; pc := L',
    'constructor dispatch keeping the outer env',
    'switch',
    1,
    0,
    'jump',
  ),
  row(20, 'ABS', [], 'env := |env|', 'integer absolute value', 'alu', 0, 0),
  row(21, 'NEG', [], 'env := -env', 'integer negation', 'alu', 0, 0),
  row(22, 'NOT', [], 'env := env XOR 1', 'boolean not', 'alu', 0, 0),
  row(23, 'DEC', [], 'env := env - 1', 'integer decrement', 'alu', 0, 0),
  row(24, 'ADDI', [], 'env := s + env', 'integer add (32-bit, wraps)', 'alu', 1, 0),
  row(25, 'MULI', [], 'env := s × env', 'integer multiply (32-bit, wraps)', 'mul', 1, 0),
  row(26, 'MINI', [], 'env := s - env', 'integer subtract (32-bit, wraps)', 'alu', 1, 0),
  row(27, 'ADDF', [], 'env := s + env', 'float add', 'float', 1, 0),
  row(28, 'MULF', [], 'env := s × env', 'float multiply', 'float', 1, 0),
  row(29, 'MINF', [], 'env := s - env', 'float subtract', 'float', 1, 0),
  row(30, 'GTI', [], 'env := s > env', 'signed greater-than, 0/1', 'alu', 1, 0),
  row(31, 'LTI', [], 'env := s < env', 'signed less-than, 0/1', 'alu', 1, 0),
  row(32, 'EQI', [], 'env := s = env', 'integer (and boolean) equality, 0/1', 'alu', 1, 0),
  row(33, 'GEI', [], 'env := s ≥ env', 'signed greater-or-equal, 0/1', 'alu', 1, 0),
  row(34, 'LEI', [], 'env := s ≤ env', 'signed less-or-equal, 0/1', 'alu', 1, 0),
  row(35, 'ADDUI', [], 'env := s + env', 'unsigned add', 'alu', 1, 0),
  row(36, 'MULUI', [], 'env := s × env', 'unsigned multiply', 'mul', 1, 0),
  row(37, 'MINUI', [], 'env := s - env', 'unsigned subtract', 'alu', 1, 0),
  row(38, 'GTUI', [], 'env := s > env', 'unsigned greater-than, 0/1', 'alu', 1, 0),
  row(39, 'LTUI', [], 'env := s < env', 'unsigned less-than, 0/1', 'alu', 1, 0),
  row(40, 'EQUI', [], 'env := s = env', 'unsigned equality, 0/1', 'alu', 1, 0),
  row(41, 'GEUI', [], 'env := s ≥ env', 'unsigned greater-or-equal, 0/1', 'alu', 1, 0),
  row(42, 'LEUI', [], 'env := s ≤ env', 'unsigned less-or-equal, 0/1', 'alu', 1, 0),
  // 43–47 keep SynchronVM's observable result: the float 1.0f/0.0f bit pattern (0x3F800000 / 0),
  // so version-1 images behave as on SynchronVM. Sense-VM code uses FGT..FLE (70–74), which
  // return 0/1 like every other comparison.
  row(
    43,
    'GTF',
    [],
    'env := s > env ? 1.0f : 0.0f',
    'float greater-than (SynchronVM result)',
    'float',
    1,
    0,
  ),
  row(
    44,
    'LTF',
    [],
    'env := s < env ? 1.0f : 0.0f',
    'float less-than (SynchronVM result)',
    'float',
    1,
    0,
  ),
  row(
    45,
    'EQF',
    [],
    'env := s = env ? 1.0f : 0.0f',
    'float equality (SynchronVM result)',
    'float',
    1,
    0,
  ),
  row(
    46,
    'GEF',
    [],
    'env := s ≥ env ? 1.0f : 0.0f',
    'float greater-or-equal (SynchronVM result)',
    'float',
    1,
    0,
  ),
  row(
    47,
    'LEF',
    [],
    'env := s ≤ env ? 1.0f : 0.0f',
    'float less-or-equal (SynchronVM result)',
    'float',
    1,
    0,
  ),
  row(48, 'EQB', [], 'env := s = env', 'boolean equality, 0/1', 'alu', 1, 0),
  row(49, 'MOVE', [], 'push env; env := ()', 'save env and clear it', 'stack', 0, 1),
  row(50, 'POP', [], 'env := pop', 'restore env from the stack', 'stack', 1, 0),
  row(51, 'SNOC', [], 'env := [env, s]', 'pair env with stack top (reversed CONS)', 'alloc', 1, 0),
  row(
    52,
    'COMB',
    ['label'],
    'env := [L, COMB]',
    'build a combinator (closed function)',
    'alloc',
    0,
    0,
  ),
  row(
    53,
    'GOTOIFALSE',
    ['label'],
    'if env&1 = 0 then pc := L',
    'branch if false, keeping env',
    'branch',
    0,
    0,
    'branch',
  ),
  row(
    54,
    'SWITCHI',
    ['table'],
    'x := env; arm with tag fst(x) or 0xFFFF: env := snd(x); pc := L',
    'constructor dispatch without the outer env',
    'switch',
    0,
    0,
    'jump',
  ),
  row(
    55,
    'CALLRTS',
    ['u8'],
    'runtime call n (see rts-calls)',
    'call the container runtime',
    'rts',
    0,
    0,
  ),
  // ---- Sense-VM instructions (not in SynchronVM) ----
  row(56, 'LOADF', ['float'], 'env := floatpool[i]', 'load a float constant', 'move', 0, 0),
  row(
    57,
    'LOADS',
    ['string'],
    'env := string i',
    'load a string constant (an immediate string id)',
    'move',
    0,
    0,
  ),
  row(
    58,
    'DIVI',
    [],
    'env := s / env (truncating)',
    'integer division; faults on zero',
    'div',
    1,
    0,
  ),
  row(
    59,
    'MODI',
    [],
    'env := s % env (sign of s)',
    'integer remainder; faults on zero',
    'div',
    1,
    0,
  ),
  row(60, 'ANDI', [], 'env := s & env', 'bitwise and', 'alu', 1, 0),
  row(61, 'ORI', [], 'env := s | env', 'bitwise or', 'alu', 1, 0),
  row(62, 'XORI', [], 'env := s ^ env', 'bitwise exclusive or', 'alu', 1, 0),
  row(63, 'NOTI', [], 'env := ~env', 'bitwise complement', 'alu', 0, 0),
  row(64, 'SHLI', [], 'env := s << (env & 31)', 'shift left', 'alu', 1, 0),
  row(65, 'SHRI', [], 'env := s >> (env & 31)', 'arithmetic shift right', 'alu', 1, 0),
  row(66, 'SHRUI', [], 'env := s >>> (env & 31)', 'logical shift right', 'alu', 1, 0),
  row(67, 'ITOF', [], 'env := float(env)', 'int to float (round to nearest)', 'float', 0, 0),
  row(
    68,
    'FTOI',
    [],
    'env := trunc(env)',
    'float to int (toward zero, saturating, NaN → 0)',
    'float',
    0,
    0,
  ),
  row(69, 'DIVF', [], 'env := s / env', 'float division (IEEE-754: x/0 = ±Inf)', 'fdiv', 1, 0),
  row(70, 'FGT', [], 'env := s > env', 'float greater-than, 0/1', 'float', 1, 0),
  row(71, 'FLT', [], 'env := s < env', 'float less-than, 0/1', 'float', 1, 0),
  row(72, 'FEQ', [], 'env := s = env', 'float equality, 0/1', 'float', 1, 0),
  row(73, 'FGE', [], 'env := s ≥ env', 'float greater-or-equal, 0/1', 'float', 1, 0),
  row(74, 'FLE', [], 'env := s ≤ env', 'float less-or-equal, 0/1', 'float', 1, 0),
  row(75, 'NEGF', [], 'env := -env', 'float negation', 'float', 0, 0),
  row(
    76,
    'FAIL',
    ['u8'],
    'fault with cause n',
    'raise a fault (0 = match failure)',
    'branch',
    0,
    0,
    'stop',
  ),
  row(
    77,
    'TAPP',
    [],
    'f := env; a := pop; env := a (combinator) or [v, a] (closure [v, L]); pc := L',
    'tail application: APP without pushing a return address (APP; RETURN)',
    'branch',
    1,
    0,
    'jump',
  ),
  // Operations with a constant operand k (an int-pool entry): `MOVE; LOADI k; op` in one
  // instruction, same result, stack untouched. The mnemonic is the operation's plus K
  // (CONSTANT_OPERAND_BASE relies on it).
  row(78, 'ADDIK', ['int'], 'env := env + k', 'add a constant (MOVE; LOADI k; ADDI)', 'alu', 0, 0),
  row(
    79,
    'MINIK',
    ['int'],
    'env := env - k',
    'subtract a constant (MOVE; LOADI k; MINI)',
    'alu',
    0,
    0,
  ),
  row(
    80,
    'MULIK',
    ['int'],
    'env := env × k',
    'multiply by a constant (MOVE; LOADI k; MULI)',
    'mul',
    0,
    0,
  ),
  row(
    81,
    'GTIK',
    ['int'],
    'env := env > k',
    'signed greater-than a constant, 0/1 (MOVE; LOADI k; GTI)',
    'alu',
    0,
    0,
  ),
  row(
    82,
    'LTIK',
    ['int'],
    'env := env < k',
    'signed less-than a constant, 0/1 (MOVE; LOADI k; LTI)',
    'alu',
    0,
    0,
  ),
  row(
    83,
    'EQIK',
    ['int'],
    'env := env = k',
    'equality with a constant, 0/1 (MOVE; LOADI k; EQI)',
    'alu',
    0,
    0,
  ),
  row(
    84,
    'GEIK',
    ['int'],
    'env := env ≥ k',
    'signed greater-or-equal a constant, 0/1 (MOVE; LOADI k; GEI)',
    'alu',
    0,
    0,
  ),
  row(
    85,
    'LEIK',
    ['int'],
    'env := env ≤ k',
    'signed less-or-equal a constant, 0/1 (MOVE; LOADI k; LEI)',
    'alu',
    0,
    0,
  ),
] as const;

/** The instruction-set table. Row i has opcode i (checked by a test). */
export const INSTRUCTIONS: readonly InstructionRow[] = TABLE;

/** Number of defined opcodes; every byte >= OPCODE_COUNT is an unknown opcode. */
export const OPCODE_COUNT = INSTRUCTIONS.length;

/** Opcode constants by mnemonic, derived from the table: `Op.PUSH === 4`. */
export const Op = Object.freeze(
  Object.fromEntries(INSTRUCTIONS.map((r) => [r.mnemonic, r.opcode])),
) as Readonly<Record<Mnemonic, number>>;

/** Every mnemonic of the table, derived from it (no hand-kept list to drift). */
export type Mnemonic = (typeof TABLE)[number]['mnemonic'];

const BY_MNEMONIC = new Map(INSTRUCTIONS.map((r) => [r.mnemonic, r]));

export function rowOf(opcode: number): InstructionRow | undefined {
  return INSTRUCTIONS[opcode];
}

export function rowByMnemonic(mnemonic: string): InstructionRow | undefined {
  return BY_MNEMONIC.get(mnemonic.toUpperCase());
}

/** The wildcard tag of SWITCH/SWITCHI tables. */
export const WILDCARD_TAG = 0xffff;
/** Cause numbers of the FAIL instruction. */
export const FAIL_CAUSES = ['match failure'] as const;
/**
 * For each constant-operand instruction (ADDIK …), the opcode of its two-operand form (ADDI …):
 * `opK k` computes exactly what `op` computes with s = env and env = k.
 */
export const CONSTANT_OPERAND_BASE: ReadonlyMap<number, number> = new Map(
  INSTRUCTIONS.filter(
    (r) => r.opcode >= 78 && r.operands.length === 1 && r.operands[0] === 'int',
  ).map((r) => [r.opcode, BY_MNEMONIC.get(r.mnemonic.slice(0, -1))!.opcode]),
);

/** The first opcode that SynchronVM does not have. */
export const FIRST_SENSEVM_OPCODE = 56;

/**
 * Byte length of the instruction at `code[offset]`, or -1 if the opcode is unknown or the
 * instruction's fixed part runs past `code.length` (the verifier reports which).
 */
export function instructionLength(code: Uint8Array, offset: number): number {
  const op = code[offset];
  if (op === undefined) return -1;
  const r = INSTRUCTIONS[op];
  if (!r) return -1;
  let len = 1;
  for (const kind of r.operands) {
    if (kind === 'table') {
      const k = code[offset + len];
      if (k === undefined) return -1;
      len += 1 + 4 * k;
    } else {
      len += OPERAND_WIDTH[kind];
    }
  }
  return len;
}
