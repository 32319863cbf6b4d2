// How each threaded kernel's work is cut, declared once by the names of its arguments (XNNPACK's
// gemm_context idea): which argument counts the units being split, what a unit is, and how far
// each pointer argument moves per unit. kernels.ts turns these into the wrappers; the caller takes
// the first range, so its share is the same call on the same pointers with a smaller count.
//   GEMM nt, nn, tn (and tn_step, whose fused update moves P and v with C): blocks of output rows (whole MR-row tiles) or of output columns (whole
//     8-column panels) when m < n, through the leading-dimension exports (assembly/gemm/strided.ts)
//     where a block is not contiguous. Same blocking and micro-kernel: bit-identical to one thread.
//   Optimizer steps, element-wise ops: element ranges; activations, softmax, row gathers: rows.
// Exports with no split say why in NOT_SPLIT (the ABI parity test holds both lists to the binary).

import { OPTIM_STEP_ARGS } from '../kernels/abi.js';
import { ACTIVATION_KERNELS } from '../kernels/activations.js';

/** Bytes a pointer argument moves per unit: a fixed count of floats, the value of another argument in floats (none when
 *  `ifPresent` and the pointer is 0: absent), or 4 unless the pointer is 0. */
export type Advance = { floats: number } | { floatsOf: string; ifPresent?: true } | 'floatIfPresent';

export const ELEMENT: Advance = { floats: 1 };
/** One row of `cols` floats per unit. */
export const rowOf = (cols: string): Advance => ({ floatsOf: cols });

/** A split of a kernel through an export (the kernel itself, or a strided variant with extra arguments). */
export interface SplitVia {
  /** The export called per share (default: the kernel). */
  export?: string;
  /** Its arguments in order (abi.ts names); those the kernel lacks come from `set`. */
  args: readonly string[];
  /** Arguments of the export given from the kernel's: e.g. { ldz: 'n' } (the full row stride). */
  set?: Readonly<Record<string, string>>;
  /** The argument holding the count of units cut. */
  count: string;
  advance: Readonly<Record<string, Advance>>;
}

export type Split =
  /** Element ranges of 256 (64-byte pieces), ≥ eltwiseMinPerThread per thread. */
  | { kind: 'elements'; args: readonly string[]; count: string; advance: Readonly<Record<string, Advance>> }
  /** Rows of `cols`, ≥ eltwiseMinPerThread elements per thread; quantum 'lanes': rows filling whole 64-byte pieces, so no element moves between a kernel's SIMD body and its scalar tail. */
  | { kind: 'rows'; args: readonly string[]; count: string; cols: string; quantum: 1 | 'lanes'; advance: Readonly<Record<string, Advance>> }
  /** A GEMM C[m×n] over depth k: by MR-row tiles or 8-column panels (gemmThreads decides), each share with its own packing scratch. */
  | { kind: 'gemm'; args: readonly string[]; m: string; n: string; k: string; work: string; rows: SplitVia; cols: SplitVia };

const STEP = (args: readonly string[], ptrs: readonly string[]): Split => ({ kind: 'elements', args, count: 'n', advance: Object.fromEntries(ptrs.map((p) => [p, ELEMENT])) });

const TN_STEP_LD = ['aPtr', 'bPtr', 'cPtr', 'pPtr', 'vPtr', 'hPtr', 'm', 'n', 'k', 'lda', 'ldn', 'workPtr'];
const ACT_FWD = ['xPtr', 'yPtr', 'rows', 'cols', 'alpha', 'beta'];
const ACT_BWD = ['xPtr', 'yPtr', 'dyPtr', 'dxPtr', 'rows', 'cols', 'alpha', 'beta'];

export const SPLITS: Readonly<Record<string, Split>> = {
  f32_gemm_nt: {
    kind: 'gemm', args: ['xPtr', 'wPtr', 'biasPtr', 'zPtr', 'm', 'n', 'k', 'flags', 'workPtr'], m: 'm', n: 'n', k: 'k', work: 'workPtr',
    rows: { args: ['xPtr', 'wPtr', 'biasPtr', 'zPtr', 'm', 'n', 'k', 'flags', 'workPtr'], count: 'm', advance: { xPtr: rowOf('k'), zPtr: rowOf('n') } },
    cols: {
      export: 'f32_gemm_nt_ld', args: ['xPtr', 'wPtr', 'biasPtr', 'zPtr', 'm', 'n', 'k', 'ldz', 'flags', 'workPtr'], set: { ldz: 'n' }, count: 'n',
      advance: { wPtr: rowOf('k'), biasPtr: 'floatIfPresent', zPtr: ELEMENT },
    },
  },
  f32_gemm_nn: {
    kind: 'gemm', args: ['aPtr', 'bPtr', 'cPtr', 'm', 'n', 'k', 'flags', 'workPtr'], m: 'm', n: 'n', k: 'k', work: 'workPtr',
    rows: { args: ['aPtr', 'bPtr', 'cPtr', 'm', 'n', 'k', 'flags', 'workPtr'], count: 'm', advance: { aPtr: rowOf('k'), cPtr: rowOf('n') } },
    cols: {
      export: 'f32_gemm_nn_ld', args: ['aPtr', 'bPtr', 'cPtr', 'm', 'n', 'k', 'ldb', 'ldc', 'flags', 'workPtr'], set: { ldb: 'n', ldc: 'n' }, count: 'n',
      advance: { bPtr: ELEMENT, cPtr: ELEMENT },
    },
  },
  f32_gemm_tn: {
    kind: 'gemm', args: ['aPtr', 'bPtr', 'cPtr', 'm', 'n', 'k', 'flags', 'workPtr'], m: 'm', n: 'n', k: 'k', work: 'workPtr',
    rows: {
      export: 'f32_gemm_tn_ld', args: ['aPtr', 'bPtr', 'cPtr', 'm', 'n', 'k', 'lda', 'ldb', 'ldc', 'flags', 'workPtr'], set: { lda: 'm', ldb: 'n', ldc: 'n' },
      count: 'm', advance: { aPtr: ELEMENT, cPtr: rowOf('n') },
    },
    cols: {
      export: 'f32_gemm_tn_ld', args: ['aPtr', 'bPtr', 'cPtr', 'm', 'n', 'k', 'lda', 'ldb', 'ldc', 'flags', 'workPtr'], set: { lda: 'm', ldb: 'n', ldc: 'n' },
      count: 'n', advance: { bPtr: ELEMENT, cPtr: ELEMENT },
    },
  },
  f32_gemm_tn_step: {
    kind: 'gemm', args: ['aPtr', 'bPtr', 'cPtr', 'pPtr', 'vPtr', 'hPtr', 'm', 'n', 'k', 'workPtr'], m: 'm', n: 'n', k: 'k', work: 'workPtr',
    rows: {
      export: 'f32_gemm_tn_step_ld', args: TN_STEP_LD, set: { lda: 'm', ldn: 'n' }, count: 'm',
      advance: { aPtr: ELEMENT, cPtr: rowOf('n'), pPtr: rowOf('n'), vPtr: { floatsOf: 'n', ifPresent: true } },
    },
    cols: {
      export: 'f32_gemm_tn_step_ld', args: TN_STEP_LD, set: { lda: 'm', ldn: 'n' }, count: 'n',
      advance: { bPtr: ELEMENT, cPtr: ELEMENT, pPtr: ELEMENT, vPtr: 'floatIfPresent' },
    },
  },
  ...Object.fromEntries(Object.entries(OPTIM_STEP_ARGS).map(([name, args]) => [name, STEP(args, args.filter((a) => a.endsWith('Ptr')))])),
  f32_add: STEP(['aPtr', 'bPtr', 'outPtr', 'n'], ['aPtr', 'bPtr', 'outPtr']),
  f32_mul: STEP(['aPtr', 'bPtr', 'outPtr', 'n'], ['aPtr', 'bPtr', 'outPtr']),
  f32_scale: STEP(['xPtr', 'outPtr', 'n', 'alpha'], ['xPtr', 'outPtr']),
  f32_axpy: STEP(['xPtr', 'yPtr', 'n', 'alpha'], ['xPtr', 'yPtr']),
  f32_copy: STEP(['dstPtr', 'srcPtr', 'n'], ['dstPtr', 'srcPtr']),
  f32_gather_rows: {
    kind: 'rows', args: ['srcPtr', 'idxPtr', 'dstPtr', 'rows', 'cols'], count: 'rows', cols: 'cols', quantum: 1,
    advance: { idxPtr: ELEMENT, dstPtr: rowOf('cols') },
  },
  f32_softmax_fwd: { kind: 'rows', args: ['zPtr', 'pPtr', 'm', 'n'], count: 'm', cols: 'n', quantum: 1, advance: { zPtr: rowOf('n'), pPtr: rowOf('n') } },
  f32_log_softmax_fwd: { kind: 'rows', args: ['zPtr', 'outPtr', 'm', 'n'], count: 'm', cols: 'n', quantum: 1, advance: { zPtr: rowOf('n'), outPtr: rowOf('n') } },
  ...Object.fromEntries(ACTIVATION_KERNELS.flatMap((a) => [
    [`f32_${a}_fwd`, { kind: 'rows', args: ACT_FWD, count: 'rows', cols: 'cols', quantum: 'lanes', advance: { xPtr: rowOf('cols'), yPtr: rowOf('cols') } }],
    [`f32_${a}_bwd`, {
      kind: 'rows', args: ACT_BWD, count: 'rows', cols: 'cols', quantum: 'lanes',
      advance: { xPtr: rowOf('cols'), yPtr: rowOf('cols'), dyPtr: rowOf('cols'), dxPtr: rowOf('cols') },
    }],
  ])),
};

/** Exports that run on the caller alone, and why. */
export const NOT_SPLIT: Readonly<Record<string, string>> = {
  _start: 'the module\'s start function, not a kernel',
  heap_base: 'not a kernel',
  f32_peak_probe: 'the benchmarks\' peak-FLOPS probe (bench/), not a kernel',
  has_relaxed_simd: 'not a kernel',
  f32_gemm_row_quantum: 'tile size the splits are made of',
  f32_gemm_col_quantum: 'tile size the splits are made of',
  f32_gemm_nt_ld: 'the strided variant a column split of f32_gemm_nt calls per share',
  f32_gemm_nn_ld: 'the strided variant a column split of f32_gemm_nn calls per share',
  f32_gemm_tn_ld: 'the strided variant the splits of f32_gemm_tn call per share',
  f32_gemm_tn_step_ld: 'the strided variant the splits of f32_gemm_tn_step call per share',
  f32_gemm_work_bytes: 'a size query',
  f32_gemm_nt_panels: 'a few rows only (inference latency): below any split threshold',
  f32_pack_nt_panels: 'once per weight change, before small-batch inference',
  f32_nt_panels_bytes: 'a size query',
  q8_value_bytes: 'a property of the binary',
  q8_quantize_rows: 'int8 inference runs on the caller (not split yet)',
  q8_gemm_nt: 'int8 inference runs on the caller (not split yet)',
  f32_colsum: 'n floats of output from m·n inputs: a GEMM-sized job is rare (db of one layer); a row split would need a reduction',
  f32_fill: 'initialization and resets, not in the training step',
  f32_sum: 'a reduction to one number: splitting needs a combining step (and would change the summation order)',
  f32_sumsq: 'a reduction to one number: splitting would change the summation order (L2 penalty and clipNorm must stay bit-identical)',
  f32_max: 'a reduction to one number',
  f32_moments: 'a reduction (diagnostics, once per epoch)',
  f32_argmax_rows: 'one pass over the outputs per batch, small',
  f32_prelu_fwd: 'per-unit slope arguments: rarely large enough to pay a barrier; not split yet',
  f32_prelu_bwd: 'accumulates dslope over all rows: a row split needs a reduction',
  f32_rrelu_fwd_train: 'draws from one sequential random stream (a split would change the draws)',
  f32_rrelu_bwd: 'paired with the unsplit rrelu forward; small',
  f32_dropout_fwd: 'draws from one sequential random stream (a split would change the mask)',
  f32_batchnorm_fwd_train: 'column statistics over all rows: a row split needs a reduction',
  f32_batchnorm_fwd_infer: 'inference only, one pass',
  f32_batchnorm_bwd: 'column sums over all rows: a row split needs a reduction',
  f32_rand_uniform: 'one sequential random stream',
  f32_softmax_xent: 'a loss: reduction to one number',
  f32_sigmoid_bce: 'a loss: reduction to one number',
  f32_mse: 'a loss: reduction to one number',
  f32_softmax_xent_to: 'a loss: reduction to one number',
  f32_sigmoid_bce_to: 'a loss: reduction to one number',
  f32_mse_to: 'a loss: reduction to one number',
  f32_softmax_xent_w_to: 'a loss: reduction to one number',
  f32_sigmoid_bce_w_to: 'a loss: reduction to one number',
  f32_mse_w_to: 'a loss: reduction to one number',
};
