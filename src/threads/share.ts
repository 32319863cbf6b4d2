// The one share runner: share t of the call described in the control block (control.ts), run by a
// pool worker and by the caller when it takes a share no worker has claimed. These functions are
// self-contained (they call only each other: no imports, no inner closures): worker-source.ts embeds
// their source text, so the workers run exactly this code. `L` is the control block's layout (the constants of control.ts).

/**
 * The first unit of thread t among `threads` (0 is the caller; `threads` gives the end): t·total/threads
 * rounded to the nearest multiple of `quantum` (32 rows in tiles of 5: 15 + 17, not 20 + 12).
 */
export function splitBound(total: number, quantum: number, threads: number, t: number): number {
  if (t >= threads) return total;
  return Math.min(total, Math.round((t * total) / threads / quantum) * quantum);
}

/** Calls `fn` with the first `argc` values of `a` (no array is built per call). */
export function invoke(fn: (...args: number[]) => unknown, argc: number, a: ArrayLike<number>): void {
  switch (argc) {
    case 0: fn(); break;
    case 1: fn(a[0]!); break;
    case 2: fn(a[0]!, a[1]!); break;
    case 3: fn(a[0]!, a[1]!, a[2]!); break;
    case 4: fn(a[0]!, a[1]!, a[2]!, a[3]!); break;
    case 5: fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!); break;
    case 6: fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!); break;
    case 7: fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!); break;
    case 8: fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!); break;
    case 9: fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!); break;
    case 10: fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!); break;
    case 11: fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!); break;
    case 12: fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!); break;
    default: fn(...Array.from(a).slice(0, argc));
  }
}

export interface ShareLayout {
  OP: number; ARGC: number; THREADS: number; SPLIT_ARG: number; TOTAL: number; QUANTUM: number; WORK_ARG: number;
  WORK_STRIDE: number; STRIDE: number; ARGS_F64: number; WORK_BASE_F64: number; OP_NOOP: number; OP_FAIL: number;
  PIECES: number; NEXT: number; OP2: number;
}

/**
 * Runs units [lo, hi) of the current call on thread t: every argument advanced by lo·STRIDE[i]
 * bytes, the split argument set to hi − lo, the work argument pointed at thread t's scratch
 * (t ≥ 1: WORK_BASE + (t − 1)·WORK_STRIDE; the caller, t = 0, keeps the call's own).
 */
export function runRange(L: ShareLayout, i32: Int32Array, f64: Float64Array, a: Float64Array | number[],
  fns: readonly ((...args: number[]) => unknown)[], t: number, lo: number, hi: number): void {
  const argc = i32[L.ARGC]!;
  for (let i = 0; i < argc; i++) a[i] = f64[L.ARGS_F64 + i]! + lo * i32[L.STRIDE + i]!;
  a[i32[L.SPLIT_ARG]!] = hi - lo;
  const w = i32[L.WORK_ARG]!;
  if (w >= 0 && t > 0) a[w] = f64[L.WORK_BASE_F64]! + (t - 1) * i32[L.WORK_STRIDE]!;
  invoke(fns[i32[L.OP]!]!, argc, a);
}

/**
 * Runs thread t's part of the current call and returns the units it ran. One share per thread
 * (PIECES = 0): share t, units [lo, hi) of TOTAL with boundaries at t·TOTAL/THREADS rounded to
 * multiples of QUANTUM (splitBound). Pieces: claims pieces from NEXT until none is left.
 * `a` is scratch for the arguments; `fns` the exports by op index.
 */
export function runShare(L: ShareLayout, i32: Int32Array, f64: Float64Array, a: Float64Array | number[],
  fns: readonly ((...args: number[]) => unknown)[], t: number): number {
  const op = i32[L.OP]!;
  if (op === L.OP_NOOP) return 0;
  if (op === L.OP_FAIL) {
    if (t === 1) throw new Error('failed on purpose (OP_FAIL)');
    return 0;
  }
  const threads = i32[L.THREADS]!;
  if (t >= threads) return 0;
  const op2 = i32[L.OP2]!;
  if (op2 >= 0) {
    // A pair call: thread 0 runs OP on the first ARGC arguments, thread 1 OP2 on the next ARGC with its scratch.
    if (t > 1) return 0;
    const argc = i32[L.ARGC]!, at = L.ARGS_F64 + t * argc;
    for (let i = 0; i < argc; i++) a[i] = f64[at + i]!;
    if (t) a[i32[L.WORK_ARG]!] = f64[L.WORK_BASE_F64]!;
    invoke(fns[t ? op2 : op]!, argc, a);
    return 1;
  }
  const total = i32[L.TOTAL]!, quantum = i32[L.QUANTUM]!, pieces = i32[L.PIECES]!;
  if (pieces === 0) {
    const lo = splitBound(total, quantum, threads, t), hi = splitBound(total, quantum, threads, t + 1);
    if (lo < hi) runRange(L, i32, f64, a, fns, t, lo, hi);
    return hi - lo;
  }
  let units = 0;
  for (let p = Atomics.add(i32, L.NEXT, 1); p < pieces; p = Atomics.add(i32, L.NEXT, 1)) {
    const lo = splitBound(total, quantum, pieces, p), hi = splitBound(total, quantum, pieces, p + 1);
    if (lo < hi) runRange(L, i32, f64, a, fns, t, lo, hi);
    units += hi - lo;
  }
  return units;
}
