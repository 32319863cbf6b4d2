// The kernel ABI of a threaded backend: the single-threaded exports, with the kernels that pay
// replaced by wrappers built from their split declarations (splits.ts). A wrapper writes its
// arguments into the pool's argument slots once, decides how many threads the call gets, and
// either calls the export itself (below the work threshold: tiny layers do not pay a barrier) or
// launches the split and runs the caller's share — range 0, the same pointers with a smaller count.

import { GEMM_SKIP_ZEROS, type KernelAbi } from '../kernels/abi.js';
import { splitBound } from './control.js';
import type { ThreadPool } from './pool.js';
import { invoke } from './share.js';
import { NOT_SPLIT, SPLITS, type Advance, type Split, type SplitVia } from './splits.js';
import { BackendError } from '../errors.js';

export { NOT_SPLIT, SPLITS };

export interface ThreadExports extends KernelAbi {
  f32_gemm_row_quantum(): number;
  f32_gemm_col_quantum(): number;
  f32_gemm_nt_ld(xPtr: number, wPtr: number, biasPtr: number, zPtr: number, m: number, n: number, k: number, ldz: number, flags: number, workPtr: number): void;
  f32_gemm_tn_ld(aPtr: number, bPtr: number, cPtr: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, flags: number, workPtr: number): void;
  f32_gemm_nn_ld(aPtr: number, bPtr: number, cPtr: number, m: number, n: number, k: number, ldb: number, ldc: number, flags: number, workPtr: number): void;
  f32_gemm_tn_step_ld(aPtr: number, bPtr: number, cPtr: number, pPtr: number, vPtr: number, hPtr: number, m: number, n: number, k: number,
    lda: number, ldn: number, workPtr: number): void;
}

/** Split thresholds: a thread must get at least this much work. Measured on a 2-core EPYC (bench/README.md). */
export const GEMM_MIN_FLOPS_PER_THREAD = 400_000;
export const ELTWISE_MIN_PER_THREAD = 32_768;
/** GEMMs cut into pieces the threads claim one by one (per thread; absent: one share each), and a piece's least work. */
export const GEMM_PIECES_PER_THREAD: Readonly<Record<string, number>> = {};
export const GEMM_MIN_FLOPS_PER_PIECE = 2_000_000;
/** A dense backward runs dX and dW at once (denseBackward) when each has at least this many flops. */
export const GEMM_PAIR_MIN_FLOPS = 200_000;
/** Element ranges are whole multiples of this (64-byte aligned pieces for f32). */
const ELT_QUANTUM = 256;

export interface ThreadedKernels extends KernelAbi {
  /** Threads a GEMM of these dimensions would use (1: runs on the caller alone). */
  gemmThreads(m: number, n: number, k: number): number;
  readonly pool: ThreadPool;
  /** Split thresholds of this backend (tests lower them to force splits on small shapes). */
  readonly tuning: ThreadTuning;
  /**
   * A dense layer's dX = dZ·W (f32_gemm_nn, m×inSize×outSize, on the caller) and dW = dZᵀ·X (f32_gemm_tn,
   * outSize×inSize×m, on a worker) at once, each whole, overwriting dX and dW: one barrier, no operand packed
   * twice, bit-identical to the two calls. False (nothing run) below gemmPairMinFlops or with the pool not in use.
   */
  denseBackward(dzPtr: number, wPtr: number, dxPtr: number, xPtr: number, dwPtr: number, m: number, inSize: number, outSize: number, workPtr: number): boolean;
}

export interface ThreadTuning {
  /** A GEMM thread gets at least this many flops (2·m·n·k in total). */
  gemmMinFlopsPerThread: number;
  /** An element-wise thread gets at least this many elements. */
  eltwiseMinPerThread: number;
  /** GEMM split: 'auto' cuts columns when m < n (each thread then repacks the smaller operand), else rows. */
  gemmSplit: 'auto' | 'rows' | 'cols';
  /** Per GEMM export: pieces per thread that the threads claim one by one (1: one share each). Each piece packs its own
   *  copy of the operand that is not cut, so more pieces cost packing; fewer leave a thread the OS slows waiting. */
  gemmPieces: Record<string, number>;
  /** A piece gets at least this many flops. */
  gemmMinFlopsPerPiece: number;
  /** denseBackward pairs its GEMMs when each has at least this many flops. */
  gemmPairMinFlops: number;
}

type Fn = (...args: number[]) => unknown;

/** A split resolved against the exports: indices instead of names. */
interface Plan {
  op: number;
  fn: Fn;
  argc: number;
  /** For each argument of the export, the index of the kernel's argument that gives it. */
  from: Int32Array;
  countArg: number;
  /** Per export argument: bytes per unit (≥ 0), −1 − i for 4·(kernel argument i), −1000 for "4 unless 0", or
   *  −2000 − i for "4·(kernel argument i) unless 0". */
  stride: Int32Array;
  workArg: number;
}

const IF_PRESENT = -1000;
const OF_IF_PRESENT = -2000;

function plan(pool: ThreadPool, base: Record<string, Fn>, kernel: string, kernelArgs: readonly string[], via: SplitVia, workName?: string): Plan {
  const name = via.export ?? kernel;
  const fn = base[name];
  if (typeof fn !== 'function') throw new BackendError(`threads: the binary has no export ${name} (split of ${kernel})`);
  if (fn.length !== via.args.length) throw new BackendError(`threads: ${name} takes ${fn.length} arguments, its split names ${via.args.length}`);
  const index = (arg: string): number => {
    const i = kernelArgs.indexOf(via.set?.[arg] ?? arg);
    if (i < 0) throw new BackendError(`threads: split of ${kernel}: argument ${arg} of ${name} is not an argument of ${kernel}`);
    return i;
  };
  const stride = new Int32Array(via.args.length);
  via.args.forEach((arg, i) => {
    const adv: Advance | undefined = via.advance[arg];
    if (adv === undefined) stride[i] = 0;
    else if (adv === 'floatIfPresent') stride[i] = IF_PRESENT;
    else if ('floats' in adv) stride[i] = 4 * adv.floats;
    else stride[i] = (adv.ifPresent ? OF_IF_PRESENT : -1) - index(adv.floatsOf);
  });
  return {
    op: pool.op(name), fn, argc: via.args.length, from: Int32Array.from(via.args, index), countArg: via.args.indexOf(via.count),
    stride, workArg: workName === undefined ? -1 : via.args.indexOf(workName),
  };
}

export function threadedKernels(base: ThreadExports, pool: ThreadPool): ThreadedKernels {
  const size = pool.size;
  const q = base.f32_gemm_row_quantum();
  const nq = base.f32_gemm_col_quantum();
  const a = pool.args;
  const s = pool.strides;
  /** The kernel's own arguments of the current call. */
  const callArgs = new Float64Array(16);
  const exports = base as unknown as Record<string, Fn>;

  const tuning: ThreadTuning = {
    gemmMinFlopsPerThread: GEMM_MIN_FLOPS_PER_THREAD, eltwiseMinPerThread: ELTWISE_MIN_PER_THREAD, gemmSplit: 'auto',
    gemmPieces: { ...GEMM_PIECES_PER_THREAD }, gemmMinFlopsPerPiece: GEMM_MIN_FLOPS_PER_PIECE, gemmPairMinFlops: GEMM_PAIR_MIN_FLOPS,
  };
  let byCols = false;
  const gemmThreads = (m: number, n: number, k: number): number => {
    if (!pool.alive || pool.degraded) return 1;
    byCols = tuning.gemmSplit === 'cols' || (tuning.gemmSplit === 'auto' && m < n);
    const units = byCols ? Math.ceil(n / nq) : Math.ceil(m / q);
    const byWork = Math.floor((2 * m * n * k) / tuning.gemmMinFlopsPerThread);
    return Math.max(1, Math.min(size, byWork, units));
  };
  const eltThreads = (n: number): number => pool.alive && !pool.degraded ? Math.max(1, Math.min(size, Math.floor(n / tuning.eltwiseMinPerThread))) : 1;
  /** Rows whose floats fill whole 64-byte pieces. */
  const lanesQuantum = (cols: number): number => { let g = 16; while (cols % g !== 0) g >>= 1; return 16 / g; };
  /** Scratch for the largest worker share (threads 1..t−1), or with pieces (p > 0) the largest piece. */
  const largestShare = (total: number, quantum: number, t: number, p = 0): number => {
    let most = 0;
    if (p > 0) for (let i = 0; i < p; i++) most = Math.max(most, splitBound(total, quantum, p, i + 1) - splitBound(total, quantum, p, i));
    else for (let i = 1; i < t; i++) most = Math.max(most, splitBound(total, quantum, t, i + 1) - splitBound(total, quantum, t, i));
    return most;
  };
  /** Pieces of a GEMM split over t threads (0: one share each): whole units, at least gemmMinFlopsPerPiece each. */
  const gemmPieces = (name: string, flops: number, units: number, t: number): number => {
    const per = tuning.gemmPieces[name] ?? 1;
    if (per <= 1) return 0;
    const p = Math.min(t * per, units, Math.floor(flops / tuning.gemmMinFlopsPerPiece));
    return p > t ? p : 0;
  };

  /** Launches plan p for the kernel arguments in callArgs over `t` threads in pieces of `quantum`, runs the caller's share, waits. */
  const run = (p: Plan, t: number, quantum: number, workBytes: number, pieces = 0): void => {
    pool.prepare(p.op, p.argc);
    for (let i = 0; i < p.argc; i++) {
      const v = callArgs[p.from[i]!]!;
      a[i] = v;
      const st = p.stride[i]!;
      s[i] = st >= 0 ? st : st === IF_PRESENT ? (v ? 4 : 0) : st <= OF_IF_PRESENT ? (v ? 4 * callArgs[OF_IF_PRESENT - st]! : 0) : 4 * callArgs[-1 - st]!;
    }
    pool.launch(p.countArg, a[p.countArg]!, quantum, t, p.workArg, workBytes, pieces);
    try {
      pool.runOwn();
    } finally {
      pool.finish();
    }
  };

  const nnOp = pool.op('f32_gemm_nn'), tnOp = pool.op('f32_gemm_tn');
  const denseBackward = (dzPtr: number, wPtr: number, dxPtr: number, xPtr: number, dwPtr: number, m: number, inSize: number, outSize: number, workPtr: number): boolean => {
    if (!pool.alive || pool.degraded || 2 * m * inSize * outSize < tuning.gemmPairMinFlops) return false;
    pool.prepare(nnOp, 8);
    a[0] = dzPtr; a[1] = wPtr; a[2] = dxPtr; a[3] = m; a[4] = inSize; a[5] = outSize; a[6] = GEMM_SKIP_ZEROS; a[7] = workPtr;
    a[8] = dzPtr; a[9] = xPtr; a[10] = dwPtr; a[11] = outSize; a[12] = inSize; a[13] = m; a[14] = GEMM_SKIP_ZEROS; // a[15]: the worker's scratch
    pool.launch(0, 2, 1, 2, 7, base.f32_gemm_work_bytes(outSize, inSize, m), 0, tnOp);
    try {
      pool.runOwn();
    } finally {
      pool.finish();
    }
    return true;
  };

  const k: ThreadedKernels = { ...base, gemmThreads, pool, tuning, denseBackward } as ThreadedKernels;
  const wrappers = k as unknown as Record<string, Fn>;

  for (const [name, split] of Object.entries(SPLITS) as [string, Split][]) {
    const fn = exports[name];
    if (typeof fn !== 'function') throw new BackendError(`threads: the binary has no export ${name}`);
    const argc = split.args.length;
    if (fn.length !== argc) throw new BackendError(`threads: ${name} takes ${fn.length} arguments, its split names ${argc}`);
    const at = (arg: string): number => split.args.indexOf(arg);
    // Every wrapper takes up to 12 numbers; the unused ones arrive undefined and are never read.
    const take = (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number, a9: number, a10: number, a11: number): void => {
      callArgs[0] = a0; callArgs[1] = a1; callArgs[2] = a2; callArgs[3] = a3; callArgs[4] = a4; callArgs[5] = a5;
      callArgs[6] = a6; callArgs[7] = a7; callArgs[8] = a8; callArgs[9] = a9; callArgs[10] = a10; callArgs[11] = a11;
    };
    if (split.kind === 'gemm') {
      const [mi, ni, ki] = [at(split.m), at(split.n), at(split.k)];
      const rows = plan(pool, exports, name, split.args, split.rows, split.work);
      const cols = plan(pool, exports, name, split.args, split.cols, split.work);
      wrappers[name] = (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number, a9: number, a10: number, a11: number) => {
        take(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
        const m = callArgs[mi]!, n = callArgs[ni]!, kk = callArgs[ki]!;
        const t = gemmThreads(m, n, kk);
        if (t < 2) { invoke(fn, argc, callArgs); return; }
        const units = byCols ? Math.ceil(n / nq) : Math.ceil(m / q);
        const pieces = gemmPieces(name, 2 * m * n * kk, units, t);
        if (byCols) run(cols, t, nq, base.f32_gemm_work_bytes(m, largestShare(n, nq, t, pieces), kk), pieces);
        else run(rows, t, q, base.f32_gemm_work_bytes(largestShare(m, q, t, pieces), n, kk), pieces);
      };
    } else if (split.kind === 'rows') {
      const p = plan(pool, exports, name, split.args, split);
      const [ri, ci] = [at(split.count), at(split.cols)];
      const lanes = split.quantum === 'lanes';
      wrappers[name] = (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number, a9: number, a10: number, a11: number) => {
        take(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
        const rowsN = callArgs[ri]!, colsN = callArgs[ci]!;
        const t = Math.min(eltThreads(rowsN * colsN), rowsN);
        if (t < 2) { invoke(fn, argc, callArgs); return; }
        run(p, t, lanes ? lanesQuantum(colsN) : 1, 0);
      };
    } else {
      const p = plan(pool, exports, name, split.args, split);
      const ni = at(split.count);
      wrappers[name] = (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number, a9: number, a10: number, a11: number) => {
        take(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
        const t = eltThreads(callArgs[ni]!);
        if (t < 2) { invoke(fn, argc, callArgs); return; }
        run(p, t, ELT_QUANTUM, 0);
      };
    }
  }
  return k;
}

/** The exports a pool worker may be asked to run (the op table sent once at start-up). */
export function poolOpNames(exports: object): string[] {
  return Object.keys(exports).filter((name) => typeof (exports as Record<string, unknown>)[name] === 'function').sort();
}
