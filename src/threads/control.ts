// The control block the pool's threads share: CONTROL_BYTES in the arena (shared linear memory),
// read as Int32 (counters, op description) and Float64 (call arguments: pointers, sizes and
// floats all fit a double exactly). Workers do not post messages per call.
//
// One call = one generation g. The caller writes the call, marks each worker's share available
// (CLAIM[t] = g), bumps GEN and notifies. A worker that wakes claims its share by
// compareExchange(CLAIM[t], g → −1), runs it and stores FIN[t] = g. The caller runs share 0,
// then takes every share still unclaimed (g → −2) and runs it too, then waits only for the shares
// workers claimed. So a worker the OS has not scheduled (a loaded machine) costs the caller its
// share's time, never a stall; and no worker touches a call it did not claim.
//
// A call describes a split generically, so the worker code knows no kernel: export OP, ARGC
// arguments, the argument SPLIT_ARG holds a count of TOTAL units cut into QUANTUM-sized pieces;
// share t of THREADS gets [lo, hi) and calls the export with that argument set to hi − lo and
// every argument i advanced by lo·STRIDE[i] bytes (0: unchanged). WORK_ARG, if ≥ 0, gets share
// t's own scratch region: WORK_BASE + (t − 1)·WORK_STRIDE.
//
// A call may instead be cut into PIECES pieces (PIECES > THREADS): every thread taking part
// (the caller, and each worker that claimed its share) claims pieces from the NEXT counter until
// none is left, so a thread the OS slows down for a moment computes fewer pieces instead of
// keeping the others waiting. Which thread computes a piece changes nothing in its result.
//
// A pair call (OP2 ≥ 0) runs two independent kernels at once, each whole: thread 0 (the caller)
// OP on the first ARGC arguments, thread 1 OP2 on the next ARGC with its scratch. The caller takes
// thread 1's part over like any share.

import { splitBound, type ShareLayout } from './share.js';

/** Int32 slots. */
export const GEN = 0;
/** Test hook (internal): 1 + the thread id of a worker that fails, as FAULT_KIND says, when it claims its next share. */
export const FAULT = 1;
export const READY = 2;
/** 0, or 1 + the thread id of the first worker that failed (its message is in the ERROR_TEXT slots). */
export const ERROR = 3;
export const OP = 4;
export const ARGC = 5;
export const THREADS = 6;
export const SPLIT_ARG = 7;
export const TOTAL = 8;
export const QUANTUM = 9;
export const WORK_ARG = 10;
export const WORK_STRIDE = 11;
/** Microseconds a parked worker polls before sleeping in Atomics.wait (0: sleep at once). */
export const SPIN = 12;
/** Workers that have left their loop (after OP_EXIT). */
export const EXITED = 13;
/** 0, or 1 + the thread id of a worker that died (left without OP_EXIT); its exit code is in LOST_CODE. */
export const LOST = 14;
export const LOST_CODE = 15;
export const STRIDE = 16; // 16 slots: bytes per unit for argument i
export const MAX_ARGS = 16;
/** Float64 slots. */
export const ARGS_F64 = 16; // 16 doubles at byte 128
export const WORK_BASE_F64 = 32; // byte 256
/** Test hook (internal): how the FAULT worker fails (the FAULT_* values). */
export const FAULT_KIND = 66;
/** 0: one share per thread (thread t runs share t). Else the call is cut into PIECES pieces that the
 *  threads taking part claim one by one from NEXT (Atomics.add), until none is left. */
export const PIECES = 67;
export const NEXT = 68;
/** A pair call (OP2 ≥ 0): thread 0 runs export OP on the first ARGC arguments whole, thread 1 export OP2 on the
 *  next ARGC (its WORK_ARG-th pointed at its scratch): two independent kernels at once. −1: an ordinary call. */
export const OP2 = 69;
/** Int32 slots holding the UTF-16 code units of a worker's error message. */
export const ERROR_LEN = 80;
export const ERROR_TEXT = 81;
export const ERROR_MAX = 300;
/** Per-thread slots (index t): share claims and finished generations. */
export const CLAIM = 384;
export const FIN = 448;
/** Per-thread slots: the last generation worker t woke up for (its heartbeat, read when the caller takes its shares). */
export const SEEN = 512;
/** Threads per pool at most, the caller included. */
export const MAX_THREADS = 64;
export const CONTROL_BYTES = 2304;
/** CLAIM values besides a generation: taken by its worker, or by the caller. */
export const CLAIMED_BY_WORKER = -1;
export const CLAIMED_BY_CALLER = -2;

/** FAULT_KIND values: leave saying so (process.exit: the exit handler marks LOST), leave without a
 *  word (as a thread terminated from outside: no code runs after), stay in the share forever, or
 *  finish the share and then leave without a word (terminated between calls). */
export const FAULT_EXIT = 0;
export const FAULT_VANISH = 1;
export const FAULT_HANG = 2;
export const FAULT_QUIT = 3;

/** OP value that makes the workers leave their loop. */
export const OP_EXIT = -1;
/** OP value for a barrier without work (tests, start-up). */
export const OP_NOOP = -2;
/** OP value whose share 1 throws (tests of error surfacing). */
export const OP_FAIL = -3;

export { splitBound };

/** The layout the share runner reads (share.ts). */
export const SHARE_LAYOUT: ShareLayout = {
  OP, ARGC, THREADS, SPLIT_ARG, TOTAL, QUANTUM, WORK_ARG, WORK_STRIDE, STRIDE, ARGS_F64, WORK_BASE_F64, OP_NOOP, OP_FAIL, PIECES, NEXT, OP2,
};
