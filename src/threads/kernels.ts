// The kernel ABI of a threaded backend: the single-threaded exports, with the kernels that pay
// replaced by wrappers that split the work over the pool. The caller (thread 0) always takes the
// first range, so its share is the same call on the same pointers with a smaller count.
//   GEMM nt, nn, tn: blocks of output rows (whole MR-row tiles) or of output columns (whole
//     8-column panels) when m < n, through the leading-dimension variants (assembly/threads/)
//     where a block is not contiguous. Same blocking and micro-kernel: bit-identical to one thread.
//   Optimizer steps, activations, softmax, element-wise ops, row gathers: contiguous ranges.
// Below a work threshold a call runs on the caller alone, so tiny layers do not pay a barrier.

import { ACTIVATION_KERNELS, type ActBwd, type ActFwd, type KernelAbi } from '../kernels/abi.js';
import { splitBound } from './control.js';
import type { ThreadPool } from './pool.js';

export interface ThreadExports extends KernelAbi {
  f32_gemm_row_quantum(): number;
  f32_gemm_col_quantum(): number;
  f32_gemm_nt_ld(xPtr: number, wPtr: number, biasPtr: number, zPtr: number, m: number, n: number, k: number, ldz: number, flags: number, workPtr: number): void;
  f32_gemm_tn_ld(aPtr: number, bPtr: number, cPtr: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, flags: number, workPtr: number): void;
  f32_gemm_nn_ld(aPtr: number, bPtr: number, cPtr: number, m: number, n: number, k: number, ldb: number, ldc: number, flags: number, workPtr: number): void;
}

/** Split thresholds: a thread must get at least this much work. Measured on a 2-core EPYC (bench/README.md). */
export const GEMM_MIN_FLOPS_PER_THREAD = 400_000;
export const ELTWISE_MIN_PER_THREAD = 32_768;
/** Element ranges are whole multiples of this (64-byte aligned pieces for f32). */
const ELT_QUANTUM = 256;

export interface ThreadedKernels extends KernelAbi {
  /** Threads a GEMM of these dimensions would use (1: runs on the caller alone). */
  gemmThreads(m: number, n: number, k: number): number;
  readonly pool: ThreadPool;
  /** Split thresholds of this backend (tests lower them to force splits on small shapes). */
  readonly tuning: ThreadTuning;
}

export interface ThreadTuning {
  /** A GEMM thread gets at least this many flops (2·m·n·k in total). */
  gemmMinFlopsPerThread: number;
  /** An element-wise thread gets at least this many elements. */
  eltwiseMinPerThread: number;
  /** GEMM split: 'auto' cuts columns when m < n (each thread then repacks the smaller operand), else rows. */
  gemmSplit: 'auto' | 'rows' | 'cols';
}

export function threadedKernels(base: ThreadExports, pool: ThreadPool): ThreadedKernels {
  const size = pool.size;
  const q = base.f32_gemm_row_quantum();
  const nq = base.f32_gemm_col_quantum();
  const a = pool.args;
  const s = pool.strides;
  const range = pool.range;

  const tuning: ThreadTuning = { gemmMinFlopsPerThread: GEMM_MIN_FLOPS_PER_THREAD, eltwiseMinPerThread: ELTWISE_MIN_PER_THREAD, gemmSplit: 'auto' };
  let byCols = false;
  const gemmThreads = (m: number, n: number, k: number): number => {
    if (!pool.alive || pool.degraded) return 1;
    byCols = tuning.gemmSplit === 'cols' || (tuning.gemmSplit === 'auto' && m < n);
    const units = byCols ? Math.ceil(n / nq) : Math.ceil(m / q);
    const byWork = Math.floor((2 * m * n * k) / tuning.gemmMinFlopsPerThread);
    return Math.max(1, Math.min(size, byWork, units));
  };
  const eltThreads = (n: number): number => pool.alive && !pool.degraded ? Math.max(1, Math.min(size, Math.floor(n / tuning.eltwiseMinPerThread))) : 1;
  /** Rows per thread so that each gets ≥ ELTWISE_MIN_PER_THREAD elements. */
  const rowThreads = (rows: number, cols: number): number => Math.min(eltThreads(rows * cols), rows);
  /** Rows whose floats fill whole 64-byte pieces: a split never moves an element between a
   *  kernel's SIMD body and its scalar tail, so results stay bit-identical. */
  const rowQuantum = (cols: number): number => { let g = 16; while (cols % g !== 0) g >>= 1; return 16 / g; };
  const flatArgs4 = (x0: number, x1: number, x2: number, x3: number) => { a[0] = x0; a[1] = x1; a[2] = x2; a[3] = x3; };
  /** Scratch for the largest worker share (threads 1..t−1) of a row or a column split. */
  const largestShare = (total: number, quantum: number, t: number): number => {
    let most = 0;
    for (let i = 1; i < t; i++) most = Math.max(most, splitBound(total, quantum, t, i + 1) - splitBound(total, quantum, t, i));
    return most;
  };
  const rowWorkBytes = (m: number, t: number, n: number, k: number): number => base.f32_gemm_work_bytes(largestShare(m, q, t), n, k);
  const colWorkBytes = (m: number, n: number, t: number, k: number): number => base.f32_gemm_work_bytes(m, largestShare(n, nq, t), k);

  const opNt = pool.op('f32_gemm_nt');
  const opNn = pool.op('f32_gemm_nn');
  const opNtLd = pool.op('f32_gemm_nt_ld');
  const opNnLd = pool.op('f32_gemm_nn_ld');
  const opTnLd = pool.op('f32_gemm_tn_ld');
  const k: ThreadedKernels = { ...base, gemmThreads, pool, tuning } as ThreadedKernels;
  const anyK = k as unknown as Record<string, unknown>;

  // Rows split: every thread packs all of B (n·k floats); columns: all of A (m·k). Take the
  // split that repacks less. gemmThreads() leaves its choice in byCols.
  k.f32_gemm_nt = (xPtr, wPtr, biasPtr, zPtr, m, n, kk, flags, workPtr) => {
    const t = gemmThreads(m, n, kk);
    if (t < 2) { base.f32_gemm_nt(xPtr, wPtr, biasPtr, zPtr, m, n, kk, flags, workPtr); return; }
    if (byCols) {
      pool.prepare(opNtLd, 10);
      a[0] = xPtr; a[1] = wPtr; a[2] = biasPtr; a[3] = zPtr; a[4] = m; a[5] = n; a[6] = kk; a[7] = n; a[8] = flags; a[9] = workPtr;
      s[1] = kk * 4; s[2] = biasPtr ? 4 : 0; s[3] = 4;
      pool.launch(5, n, nq, t, 9, colWorkBytes(m, n, t, kk));
      try { base.f32_gemm_nt_ld(xPtr, wPtr, biasPtr, zPtr, m, range[1]!, kk, n, flags, workPtr); } finally { pool.finish(); }
      return;
    }
    pool.prepare(opNt, 9);
    a[0] = xPtr; a[1] = wPtr; a[2] = biasPtr; a[3] = zPtr; a[4] = m; a[5] = n; a[6] = kk; a[7] = flags; a[8] = workPtr;
    s[0] = kk * 4; s[3] = n * 4;
    pool.launch(4, m, q, t, 8, rowWorkBytes(m, t, n, kk));
    try { base.f32_gemm_nt(xPtr, wPtr, biasPtr, zPtr, range[1]!, n, kk, flags, workPtr); } finally { pool.finish(); }
  };

  k.f32_gemm_nn = (aPtr, bPtr, cPtr, m, n, kk, flags, workPtr) => {
    const t = gemmThreads(m, n, kk);
    if (t < 2) { base.f32_gemm_nn(aPtr, bPtr, cPtr, m, n, kk, flags, workPtr); return; }
    if (byCols) {
      pool.prepare(opNnLd, 10);
      a[0] = aPtr; a[1] = bPtr; a[2] = cPtr; a[3] = m; a[4] = n; a[5] = kk; a[6] = n; a[7] = n; a[8] = flags; a[9] = workPtr;
      s[1] = 4; s[2] = 4;
      pool.launch(4, n, nq, t, 9, colWorkBytes(m, n, t, kk));
      try { base.f32_gemm_nn_ld(aPtr, bPtr, cPtr, m, range[1]!, kk, n, n, flags, workPtr); } finally { pool.finish(); }
      return;
    }
    pool.prepare(opNn, 8);
    a[0] = aPtr; a[1] = bPtr; a[2] = cPtr; a[3] = m; a[4] = n; a[5] = kk; a[6] = flags; a[7] = workPtr;
    s[0] = kk * 4; s[2] = n * 4;
    pool.launch(3, m, q, t, 7, rowWorkBytes(m, t, n, kk));
    try { base.f32_gemm_nn(aPtr, bPtr, cPtr, range[1]!, n, kk, flags, workPtr); } finally { pool.finish(); }
  };

  k.f32_gemm_tn = (aPtr, bPtr, cPtr, m, n, kk, flags, workPtr) => {
    const t = gemmThreads(m, n, kk);
    if (t < 2) { base.f32_gemm_tn(aPtr, bPtr, cPtr, m, n, kk, flags, workPtr); return; }
    pool.prepare(opTnLd, 11);
    a[0] = aPtr; a[1] = bPtr; a[2] = cPtr; a[3] = m; a[4] = n; a[5] = kk; a[6] = m; a[7] = n; a[8] = n; a[9] = flags; a[10] = workPtr;
    if (byCols) {
      s[1] = 4; s[2] = 4;
      pool.launch(4, n, nq, t, 10, colWorkBytes(m, n, t, kk));
      try { base.f32_gemm_tn_ld(aPtr, bPtr, cPtr, m, range[1]!, kk, m, n, n, flags, workPtr); } finally { pool.finish(); }
      return;
    }
    s[0] = 4; s[2] = n * 4;
    pool.launch(3, m, q, t, 10, rowWorkBytes(m, t, n, kk));
    try { base.f32_gemm_tn_ld(aPtr, bPtr, cPtr, range[1]!, n, kk, m, n, n, flags, workPtr); } finally { pool.finish(); }
  };

  /** Launches a flat split of argument nArg (n elements) over pointer arguments with 4-byte strides. */
  const flat = (op: number, argc: number, nArg: number, n: number, t: number, ptrArgs: number): void => {
    pool.prepare(op, argc);
    for (let i = 0; i < ptrArgs; i++) s[i] = 4;
    pool.launch(nArg, n, ELT_QUANTUM, t, -1, 0);
  };

  const opSgd = pool.op('f32_sgd_step');
  k.f32_sgd_step = (pPtr, gPtr, n, lr) => {
    const t = eltThreads(n);
    if (t < 2) { base.f32_sgd_step(pPtr, gPtr, n, lr); return; }
    flatArgs4(pPtr, gPtr, n, lr);
    flat(opSgd, 4, 2, n, t, 2);
    try { base.f32_sgd_step(pPtr, gPtr, range[1]!, lr); } finally { pool.finish(); }
  };

  for (const name of ['f32_momentum_step', 'f32_nesterov_step'] as const) {
    const fn = base[name];
    const op = pool.op(name);
    k[name] = (pPtr, gPtr, vPtr, n, lr, mu) => {
      const t = eltThreads(n);
      if (t < 2) { fn(pPtr, gPtr, vPtr, n, lr, mu); return; }
      a[0] = pPtr; a[1] = gPtr; a[2] = vPtr; a[3] = n; a[4] = lr; a[5] = mu;
      flat(op, 6, 3, n, t, 3);
      try { fn(pPtr, gPtr, vPtr, range[1]!, lr, mu); } finally { pool.finish(); }
    };
  }

  const opAdam = pool.op('f32_adam_step');
  k.f32_adam_step = (pPtr, gPtr, mPtr, vPtr, n, lr, b1, b2, eps, c1, c2, wd) => {
    const t = eltThreads(n);
    if (t < 2) { base.f32_adam_step(pPtr, gPtr, mPtr, vPtr, n, lr, b1, b2, eps, c1, c2, wd); return; }
    a[0] = pPtr; a[1] = gPtr; a[2] = mPtr; a[3] = vPtr; a[4] = n; a[5] = lr; a[6] = b1; a[7] = b2; a[8] = eps; a[9] = c1; a[10] = c2; a[11] = wd;
    flat(opAdam, 12, 4, n, t, 4);
    try { base.f32_adam_step(pPtr, gPtr, mPtr, vPtr, range[1]!, lr, b1, b2, eps, c1, c2, wd); } finally { pool.finish(); }
  };

  const opRms = pool.op('f32_rmsprop_step');
  k.f32_rmsprop_step = (pPtr, gPtr, vPtr, n, lr, rho, eps) => {
    const t = eltThreads(n);
    if (t < 2) { base.f32_rmsprop_step(pPtr, gPtr, vPtr, n, lr, rho, eps); return; }
    a[0] = pPtr; a[1] = gPtr; a[2] = vPtr; a[3] = n; a[4] = lr; a[5] = rho; a[6] = eps;
    flat(opRms, 7, 3, n, t, 3);
    try { base.f32_rmsprop_step(pPtr, gPtr, vPtr, range[1]!, lr, rho, eps); } finally { pool.finish(); }
  };

  const opAdagrad = pool.op('f32_adagrad_step');
  k.f32_adagrad_step = (pPtr, gPtr, sPtr, n, lr, eps) => {
    const t = eltThreads(n);
    if (t < 2) { base.f32_adagrad_step(pPtr, gPtr, sPtr, n, lr, eps); return; }
    a[0] = pPtr; a[1] = gPtr; a[2] = sPtr; a[3] = n; a[4] = lr; a[5] = eps;
    flat(opAdagrad, 6, 3, n, t, 3);
    try { base.f32_adagrad_step(pPtr, gPtr, sPtr, range[1]!, lr, eps); } finally { pool.finish(); }
  };

  for (const name of ['f32_add', 'f32_mul'] as const) {
    const fn = base[name];
    const op = pool.op(name);
    k[name] = (aPtr, bPtr, outPtr, n) => {
      const t = eltThreads(n);
      if (t < 2) { fn(aPtr, bPtr, outPtr, n); return; }
      flatArgs4(aPtr, bPtr, outPtr, n);
      flat(op, 4, 3, n, t, 3);
      try { fn(aPtr, bPtr, outPtr, range[1]!); } finally { pool.finish(); }
    };
  }

  const opScale = pool.op('f32_scale');
  k.f32_scale = (xPtr, outPtr, n, alpha) => {
    const t = eltThreads(n);
    if (t < 2) { base.f32_scale(xPtr, outPtr, n, alpha); return; }
    flatArgs4(xPtr, outPtr, n, alpha);
    flat(opScale, 4, 2, n, t, 2);
    try { base.f32_scale(xPtr, outPtr, range[1]!, alpha); } finally { pool.finish(); }
  };

  const opAxpy = pool.op('f32_axpy');
  k.f32_axpy = (xPtr, yPtr, n, alpha) => {
    const t = eltThreads(n);
    if (t < 2) { base.f32_axpy(xPtr, yPtr, n, alpha); return; }
    flatArgs4(xPtr, yPtr, n, alpha);
    flat(opAxpy, 4, 2, n, t, 2);
    try { base.f32_axpy(xPtr, yPtr, range[1]!, alpha); } finally { pool.finish(); }
  };

  const opCopy = pool.op('f32_copy');
  k.f32_copy = (dstPtr, srcPtr, n) => {
    const t = eltThreads(n);
    if (t < 2) { base.f32_copy(dstPtr, srcPtr, n); return; }
    a[0] = dstPtr; a[1] = srcPtr; a[2] = n;
    flat(opCopy, 3, 2, n, t, 2);
    try { base.f32_copy(dstPtr, srcPtr, range[1]!); } finally { pool.finish(); }
  };

  const opGather = pool.op('f32_gather_rows');
  k.f32_gather_rows = (srcPtr, idxPtr, dstPtr, rows, cols) => {
    const t = rowThreads(rows, cols);
    if (t < 2) { base.f32_gather_rows(srcPtr, idxPtr, dstPtr, rows, cols); return; }
    pool.prepare(opGather, 5);
    a[0] = srcPtr; a[1] = idxPtr; a[2] = dstPtr; a[3] = rows; a[4] = cols;
    s[1] = 4; s[2] = cols * 4;
    pool.launch(3, rows, 1, t, -1, 0);
    try { base.f32_gather_rows(srcPtr, idxPtr, dstPtr, range[1]!, cols); } finally { pool.finish(); }
  };

  const opSoftmax = pool.op('f32_softmax_fwd');
  k.f32_softmax_fwd = (zPtr, pPtr, m, n) => {
    const t = rowThreads(m, n);
    if (t < 2) { base.f32_softmax_fwd(zPtr, pPtr, m, n); return; }
    pool.prepare(opSoftmax, 4);
    a[0] = zPtr; a[1] = pPtr; a[2] = m; a[3] = n;
    s[0] = n * 4; s[1] = n * 4;
    pool.launch(2, m, 1, t, -1, 0);
    try { base.f32_softmax_fwd(zPtr, pPtr, range[1]!, n); } finally { pool.finish(); }
  };

  for (const act of ACTIVATION_KERNELS) {
    const fwdName = `f32_${act}_fwd` as const;
    const bwdName = `f32_${act}_bwd` as const;
    const fwd = base[fwdName] as ActFwd;
    const bwd = base[bwdName] as ActBwd;
    const opF = pool.op(fwdName);
    const opB = pool.op(bwdName);
    const f: ActFwd = (xPtr, yPtr, rows, cols, alpha, beta) => {
      const t = rowThreads(rows, cols);
      if (t < 2) { fwd(xPtr, yPtr, rows, cols, alpha, beta); return; }
      pool.prepare(opF, 6);
      a[0] = xPtr; a[1] = yPtr; a[2] = rows; a[3] = cols; a[4] = alpha; a[5] = beta;
      s[0] = cols * 4; s[1] = cols * 4;
      pool.launch(2, rows, rowQuantum(cols), t, -1, 0);
      try { fwd(xPtr, yPtr, range[1]!, cols, alpha, beta); } finally { pool.finish(); }
    };
    const b: ActBwd = (xPtr, yPtr, dyPtr, dxPtr, rows, cols, alpha, beta) => {
      const t = rowThreads(rows, cols);
      if (t < 2) { bwd(xPtr, yPtr, dyPtr, dxPtr, rows, cols, alpha, beta); return; }
      pool.prepare(opB, 8);
      a[0] = xPtr; a[1] = yPtr; a[2] = dyPtr; a[3] = dxPtr; a[4] = rows; a[5] = cols; a[6] = alpha; a[7] = beta;
      s[0] = cols * 4; s[1] = cols * 4; s[2] = cols * 4; s[3] = cols * 4;
      pool.launch(4, rows, rowQuantum(cols), t, -1, 0);
      try { bwd(xPtr, yPtr, dyPtr, dxPtr, range[1]!, cols, alpha, beta); } finally { pool.finish(); }
    };
    anyK[fwdName] = f;
    anyK[bwdName] = b;
  }
  return k;
}

/** The exports a pool worker may be asked to run (the op table sent once at start-up). */
export function poolOpNames(exports: object): string[] {
  return Object.keys(exports).filter((name) => typeof (exports as Record<string, unknown>)[name] === 'function').sort();
}
