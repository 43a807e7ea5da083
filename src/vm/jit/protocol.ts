/**
 * What generated code, the module around it and the dispatcher (compiled-tier.ts) agree on: exit
 * reasons, the nesting limit, and how the registers move between generated functions, the
 * module's transfer variables and the context record.
 */
import { CTX_ENV, CTX_ENV_KIND, CTX_SP } from '../memory.js';

/** Exit reasons written to io[0] by generated code. */
export const EXIT_DEOPT = 1;
export const EXIT_RTS = 3;
/** Returned by generated code that left through its exit: the dispatcher calls `flush()`. */
export const EXIT_PENDING = -2;

/**
 * Deepest chain of nested JavaScript calls between generated functions. Deeper CAM recursion
 * unwinds to the dispatcher (all state is in container memory) and continues from there, so the
 * host stack stays small whatever the CAM stack size.
 */
export const MAX_NATIVE_DEPTH = 200;

/** Canonical registers to the module's transfer variables and back. */
export const TO_TRANSFER = 'RE = E; RK = K; RS = S;';
/**
 * Inside a generated function the budget (and, when charged, the cycle count) lives in the
 * locals L and C; the module's `left` and `cyc` hold them only while control is elsewhere — so a
 * block's charge is register arithmetic, and only calls, returns and exits write them back.
 */
export const syncOut = (charge: boolean): string => (charge ? 'left = L; cyc = C;' : 'left = L;');
export const syncIn = (charge: boolean): string => (charge ? 'L = left; C = cyc;' : 'L = left;');
// `| 0` tells V8 the registers are int32 (not any Number), which keeps their stores unboxed.
export const FROM_TRANSFER = 'E = RE | 0; K = RK | 0; S = RS | 0;';
export const TO_RECORD = `rc[rec + ${CTX_ENV}] = E; rc[rec + ${CTX_ENV_KIND}] = K; rc[rec + ${CTX_SP}] = S;`;
