// The kernel ABI shared by the WebAssembly binaries (assembly/) and the pure-TS twins (src/ref/).
// Every function takes byte pointers (`...Ptr`, 16-byte aligned unless stated) into one linear
// memory and plain dimensions; none allocates, none throws. Shape checks happen in the callers.
// Matrices are row-major. A pointer argument of 0 means "absent" where the doc says so.
//
// Flags for GEMM: bit 0 (GEMM_RELU) applies max(0, ·) to the result; bit 1 (GEMM_ACCUMULATE)
// adds into the output instead of overwriting it; bit 2 (GEMM_SKIP_ZEROS, tn and nn) lets the
// kernel leave out A's zero terms when A is mostly zeros (assembly/gemm/sparse.ts): the result is
// the same bit for bit unless B holds an inf or NaN where A is 0.

import type { ActivationKernel } from './activations.js';

/** No flag: overwrite the output, no activation. */
export const GEMM_OVERWRITE = 0;
export const GEMM_RELU = 1;
export const GEMM_ACCUMULATE = 2;
/** Backward GEMMs on dZ, about half zeros after a ReLU (or dropout). */
export const GEMM_SKIP_ZEROS = 4;

export interface GemmAbi {
  /** Z[m×n] = X[m×k]·W[n×k]ᵀ + bias[n] (bias absent when biasPtr = 0). Forward of a dense layer.
   *  workPtr: scratch of at least f32_gemm_work_bytes(n, k) bytes (B packing). */
  f32_gemm_nt(xPtr: number, wPtr: number, biasPtr: number, zPtr: number, m: number, n: number, k: number, flags: number, workPtr: number): void;
  /** C[m×n] = A[k×m]ᵀ·B[k×n] (dW[out×in] = dZ[batch×out]ᵀ·X[batch×in]: m=out, n=in, k=batch). */
  f32_gemm_tn(aPtr: number, bPtr: number, cPtr: number, m: number, n: number, k: number, flags: number, workPtr: number): void;
  /** f32_gemm_tn (dW = dZᵀ·X) with the optimizer step of P = W fused into its epilogue, per element: g = C + decay·P
   *  (the L2 term, only when decay ≠ 0; g is stored to C), then with vPtr ≠ 0 momentum v = mu·v + g, P −= lr·v, else
   *  SGD P −= lr·g: f32_axpy then f32_sgd_step / f32_momentum_step, bit for bit. P and v have C's layout. hPtr: three
   *  f64 (8-byte aligned) lr, mu, decay (rounded to f32 as those kernels' arguments are). Scratch as f32_gemm_tn. */
  f32_gemm_tn_step(aPtr: number, bPtr: number, cPtr: number, pPtr: number, vPtr: number, hPtr: number, m: number, n: number, k: number, workPtr: number): void;
  /** C[m×n] = A[m×k]·B[k×n] (dX[batch×in] = dZ[batch×out]·W[out×in]: m=batch, n=in, k=out). */
  f32_gemm_nn(aPtr: number, bPtr: number, cPtr: number, m: number, n: number, k: number, flags: number, workPtr: number): void;
  /** Bytes of scratch any of the three GEMMs needs for an output with n columns and depth k. */
  f32_gemm_work_bytes(m: number, n: number, k: number): number;
  /** out[n] = Σ_i A[i, :] over the m rows of A[m×n] (db = colsum(dZ)); GEMM_ACCUMULATE adds. */
  f32_colsum(aPtr: number, outPtr: number, m: number, n: number, flags: number): void;
}

export interface GemmDirectAbi {
  /** Bytes of W[n×k] packed by f32_pack_nt_panels: ceil(n/8)·8·k floats. */
  f32_nt_panels_bytes(n: number, k: number): number;
  /** Packs W[n×k] into column panels of 8 (panel t, depth p: W[8t..8t+8, p]; columns past n zero). 16-byte aligned dst. */
  f32_pack_nt_panels(wPtr: number, dstPtr: number, n: number, k: number): void;
  /** f32_gemm_nt for a few rows from W packed by f32_pack_nt_panels (inference latency); bit-identical to f32_gemm_nt. */
  f32_gemm_nt_panels(xPtr: number, panelPtr: number, biasPtr: number, zPtr: number, m: number, n: number, k: number, flags: number): void;
}

export interface EltwiseAbi {
  f32_fill(ptr: number, n: number, value: number): void;
  f32_copy(dstPtr: number, srcPtr: number, n: number): void;
  /** out = a + b */
  f32_add(aPtr: number, bPtr: number, outPtr: number, n: number): void;
  /** out = a ⊙ b */
  f32_mul(aPtr: number, bPtr: number, outPtr: number, n: number): void;
  /** out = alpha·x (in place when outPtr = xPtr) */
  f32_scale(xPtr: number, outPtr: number, n: number, alpha: number): void;
  /** y += alpha·x */
  f32_axpy(xPtr: number, yPtr: number, n: number, alpha: number): void;
  /** dst row r = src row idx[r] (idx: i32), rows of `cols` floats; dst must not overlap src. */
  f32_gather_rows(srcPtr: number, idxPtr: number, dstPtr: number, rows: number, cols: number): void;
}

export interface ReduceAbi {
  /** Σ x (accumulated in f64). */
  f32_sum(ptr: number, n: number): number;
  /** Σ x² (accumulated in f64). */
  f32_sumsq(ptr: number, n: number): number;
  /** max x (−Infinity for n = 0). */
  f32_max(ptr: number, n: number): number;
  /** out[i] (i32) = index of the first maximum of row i of A[m×n]. */
  f32_argmax_rows(aPtr: number, outPtr: number, m: number, n: number): void;
  /** Writes 5 f64 at outPtr (8-byte aligned): sum, sum of squares, min, max, count of exact zeros. */
  f32_moments(ptr: number, n: number, outPtr: number): void;
}

/**
 * Activations, all with one signature over a [rows×cols] matrix (cols matters only to bipolarRelu,
 * whose odd units are mirrored). alpha/beta are the activation's parameters (ignored otherwise).
 * fwd: y = f(x). bwd: dx = dy ⊙ f'(x), given x (pre-activation) and y (its output).
 */
export type ActFwd = (xPtr: number, yPtr: number, rows: number, cols: number, alpha: number, beta: number) => void;
export type ActBwd = (xPtr: number, yPtr: number, dyPtr: number, dxPtr: number, rows: number, cols: number, alpha: number, beta: number) => void;

/** The element-wise activation kernels are the activation table's (src/kernels/activations.ts). */
export { ACTIVATION_KERNELS, type ActivationKernel } from './activations.js';

export type ActivationAbi = {
  [K in ActivationKernel as `f32_${K}_fwd`]: ActFwd;
} & {
  [K in ActivationKernel as `f32_${K}_bwd`]: ActBwd;
} & {
  /** y = x for x ≥ 0, slope[j]·x otherwise (slope per unit j of cols). */
  f32_prelu_fwd(xPtr: number, slopePtr: number, yPtr: number, rows: number, cols: number): void;
  /** dx = dy·(x ≥ 0 ? 1 : slope[j]); dslope[j] (=, not +=) Σ_rows dy·x over x < 0. */
  f32_prelu_bwd(xPtr: number, slopePtr: number, dyPtr: number, dxPtr: number, dslopePtr: number, rows: number, cols: number): void;
  /** Training rrelu: slope ~ U(lower, upper) per element drawn from the rng at rngPtr, stored at slopeOutPtr; y = x ≥ 0 ? x : slope·x. */
  f32_rrelu_fwd_train(xPtr: number, yPtr: number, slopeOutPtr: number, n: number, lower: number, upper: number, rngPtr: number): void;
  /** dx = dy·(x ≥ 0 ? 1 : slope) with the slopes saved by the forward pass. */
  f32_rrelu_bwd(xPtr: number, slopePtr: number, dyPtr: number, dxPtr: number, n: number): void;
  /** Row-wise softmax of Z[m×n] (max-subtracted). */
  f32_softmax_fwd(zPtr: number, pPtr: number, m: number, n: number): void;
  /** Row-wise log-softmax of Z[m×n]: (z − max) − log Σ e^{z − max} (finite for finite z; in place allowed). */
  f32_log_softmax_fwd(zPtr: number, outPtr: number, m: number, n: number): void;
};

/** Losses from logits (fused, stable). Each returns the batch-mean loss (f64 accumulation);
 *  writes probabilities/outputs to outPtr when ≠ 0 and the gradient w.r.t. logits (already ÷ m) to gradPtr when ≠ 0. */
export interface LossAbi {
  /** −(1/m)·Σ_i Σ_j y_ij·log softmax(z_i)_j via log-sum-exp; grad = (p − y)/m. */
  f32_softmax_xent(zPtr: number, yPtr: number, outPtr: number, gradPtr: number, m: number, n: number): number;
  /** (1/m)·Σ_i Σ_j [max(z,0) − z·y + log(1 + e^{−|z|})]; grad = (σ(z) − y)/m. */
  f32_sigmoid_bce(zPtr: number, yPtr: number, outPtr: number, gradPtr: number, m: number, n: number): number;
  /** (1/m)·Σ_i ‖ŷ_i − y_i‖² (identity output: out = ŷ copy when outPtr ≠ 0); grad = 2(ŷ − y)/m. */
  f32_mse(zPtr: number, yPtr: number, outPtr: number, gradPtr: number, m: number, n: number): number;
  /** The three losses again, storing the mean at lossPtr (an 8-byte aligned f64) and returning nothing: training
   *  calls these, since an f64 result reaches JS as a heap-allocated number whenever the call is not inlined. */
  f32_softmax_xent_to(zPtr: number, yPtr: number, outPtr: number, gradPtr: number, m: number, n: number, lossPtr: number): void;
  f32_sigmoid_bce_to(zPtr: number, yPtr: number, outPtr: number, gradPtr: number, m: number, n: number, lossPtr: number): void;
  f32_mse_to(zPtr: number, yPtr: number, outPtr: number, gradPtr: number, m: number, n: number, lossPtr: number): void;
  /** The three losses weighted by row (w: m f32 at wPtr): stores (1/m)·Σ_i w_i·loss_i at lossPtr, row i's gradient × w_i
   *  (class and sample weights in training; m = 0 stores 0). */
  f32_softmax_xent_w_to(zPtr: number, yPtr: number, wPtr: number, outPtr: number, gradPtr: number, m: number, n: number, lossPtr: number): void;
  f32_sigmoid_bce_w_to(zPtr: number, yPtr: number, wPtr: number, outPtr: number, gradPtr: number, m: number, n: number, lossPtr: number): void;
  f32_mse_w_to(zPtr: number, yPtr: number, wPtr: number, outPtr: number, gradPtr: number, m: number, n: number, lossPtr: number): void;
}

/** Optimizer steps on one parameter buffer of n floats; g already holds every gradient term (L2 included). */
export interface OptimAbi {
  /** p −= lr·g */
  f32_sgd_step(pPtr: number, gPtr: number, n: number, lr: number): void;
  /** v = mu·v + g; p −= lr·v (PyTorch convention, dampening 0). */
  f32_momentum_step(pPtr: number, gPtr: number, vPtr: number, n: number, lr: number, mu: number): void;
  /** v = mu·v + g; p −= lr·(g + mu·v) (PyTorch's Nesterov). */
  f32_nesterov_step(pPtr: number, gPtr: number, vPtr: number, n: number, lr: number, mu: number): void;
  /** m = b1·m + (1−b1)·g; v = b2·v + (1−b2)·g²; p −= lr·(m·c1)/(sqrt(v·c2) + eps), c1 = 1/(1−b1^t), c2 = 1/(1−b2^t);
   *  then, when wd ≠ 0 (AdamW, decoupled), p was first multiplied by (1 − lr·wd). */
  f32_adam_step(pPtr: number, gPtr: number, mPtr: number, vPtr: number, n: number, lr: number, b1: number, b2: number, eps: number, c1: number, c2: number, wd: number): void;
  /** v = rho·v + (1−rho)·g²; p −= lr·g/(sqrt(v) + eps). */
  f32_rmsprop_step(pPtr: number, gPtr: number, vPtr: number, n: number, lr: number, rho: number, eps: number): void;
  /** s += g²; p −= lr·g/(sqrt(s) + eps). */
  f32_adagrad_step(pPtr: number, gPtr: number, sPtr: number, n: number, lr: number, eps: number): void;
  /** NAdam (Dozat 2016, PyTorch's form): m and v as Adam; p −= lr·(cg·g + cm·m)/(sqrt(v·c2) + eps), where
   *  cg = (1−μ_t)/(1−Π_{i≤t} μ_i), cm = μ_{t+1}/(1−Π_{i≤t+1} μ_i), c2 = 1/(1−b2^t). */
  f32_nadam_step(pPtr: number, gPtr: number, mPtr: number, vPtr: number, n: number, lr: number, b1: number, b2: number, eps: number, cg: number, cm: number, c2: number): void;
  /** AMSGrad (Reddi et al. 2018, PyTorch's Adam(amsgrad=True)): m and v as Adam; vmax = max(vmax, v);
   *  p −= lr·(m·c1)/(sqrt(vmax·c2) + eps). */
  f32_amsgrad_step(pPtr: number, gPtr: number, mPtr: number, vPtr: number, vmaxPtr: number, n: number, lr: number, b1: number, b2: number, eps: number, c1: number, c2: number): void;
}

/** Each optimizer step's arguments by name: every step is an element-wise map over n, so the thread
 *  splits (src/threads/splits.ts) cut n and move every `...Ptr` argument with it. */
export const OPTIM_STEP_ARGS = {
  f32_sgd_step: ['pPtr', 'gPtr', 'n', 'lr'],
  f32_momentum_step: ['pPtr', 'gPtr', 'vPtr', 'n', 'lr', 'mu'],
  f32_nesterov_step: ['pPtr', 'gPtr', 'vPtr', 'n', 'lr', 'mu'],
  f32_adam_step: ['pPtr', 'gPtr', 'mPtr', 'vPtr', 'n', 'lr', 'b1', 'b2', 'eps', 'c1', 'c2', 'wd'],
  f32_rmsprop_step: ['pPtr', 'gPtr', 'vPtr', 'n', 'lr', 'rho', 'eps'],
  f32_adagrad_step: ['pPtr', 'gPtr', 'sPtr', 'n', 'lr', 'eps'],
  f32_nadam_step: ['pPtr', 'gPtr', 'mPtr', 'vPtr', 'n', 'lr', 'b1', 'b2', 'eps', 'cg', 'cm', 'c2'],
  f32_amsgrad_step: ['pPtr', 'gPtr', 'mPtr', 'vPtr', 'vmaxPtr', 'n', 'lr', 'b1', 'b2', 'eps', 'c1', 'c2'],
} as const satisfies { readonly [K in keyof OptimAbi]: readonly string[] & { length: Parameters<OptimAbi[K]>['length'] } };

/** Layers with state: dropout and batch normalization (per column over the rows of the batch). */
export interface LayerAbi {
  /** mask = u ≥ p ? 1/(1−p) : 0 with u ~ U[0,1) from the rng; y = x ⊙ mask (inverted dropout). */
  f32_dropout_fwd(xPtr: number, maskPtr: number, yPtr: number, n: number, p: number, rngPtr: number): void;
  /** Training mode: mean/var per column over m rows (biased var for normalizing); xhat = (x−mean)·invstd;
   *  y = gamma·xhat + beta; running = (1−momentum)·running + momentum·batch (running var unbiased, m/(m−1)). */
  f32_batchnorm_fwd_train(xPtr: number, gammaPtr: number, betaPtr: number, yPtr: number, xhatPtr: number, invstdPtr: number,
    runMeanPtr: number, runVarPtr: number, m: number, n: number, momentum: number, eps: number): void;
  /** Inference: y = gamma·(x − runMean)/sqrt(runVar + eps) + beta. */
  f32_batchnorm_fwd_infer(xPtr: number, gammaPtr: number, betaPtr: number, runMeanPtr: number, runVarPtr: number, yPtr: number,
    m: number, n: number, eps: number): void;
  /** dgamma = Σ dy·xhat, dbeta = Σ dy (overwritten); dx = (gamma·invstd/m)·(m·dy − dbeta − xhat·dgamma). */
  f32_batchnorm_bwd(dyPtr: number, xhatPtr: number, gammaPtr: number, invstdPtr: number, dxPtr: number, dgammaPtr: number, dbetaPtr: number,
    m: number, n: number): void;
}

/** xoshiro128** with its 4×u32 state at rngPtr (seeded from TS by splitmix32); identical streams in WASM and TS. */
export interface RngAbi {
  /** out[i] = lo + (hi − lo)·u, u = (next() >>> 8)·2^−24 ∈ [0, 1). */
  f32_rand_uniform(rngPtr: number, outPtr: number, n: number, lo: number, hi: number): void;
}

/**
 * int8 inference (assembly/q8): weights q ∈ [−127, 127] per output channel, activations q ∈ [0, 127]
 * with x = s·(q − zp), zp 0 or 64. Values are stored 1 byte each (relaxed binary, TS twin) or 2
 * (baseline binary, widened for i32x4.dot_i16x8_s): q8_value_bytes says which. Both layouts are
 * made of 4-byte groups, k rounded up to 4 values (padding 0): activations in panels of 3 rows
 * (m rounded up to 3), packed weights in panels of 8 output channels (n rounded up to 8); offsets:
 * q8ActOffset and q8WeightOffset (src/ref/q8.ts), packing: src/interop/quantize-layout.ts. The TS
 * twins (src/ref/q8.ts) are installed by simdnet/interop on a TS backend, which keeps them out of
 * the main browser bundle.
 */
export interface Q8Abi {
  q8_value_bytes(): number;
  /** X[m×k] f32 → activation panels: clamp(nearest(x·inv), −zp, 127 − zp) + zp (round half to even),
   *  m rounded up to 3 rows (the extra rows 0). Returns 1 when X holds a NaN or ±∞, else 0. */
  q8_quantize_rows(xPtr: number, qPtr: number, m: number, k: number, inv: number, zp: number): number;
  /** y = f32(Σ_p w·q + corr[j])·scale[j] + bias[j] (f32, unfused), ReLU when flags & 1; f32 Z[m×n] out,
   *  or with flags & 4 the next layer's activation panels (quantized with inv, zp). corr (i32), scale,
   *  bias: n rounded up to 8 values each. */
  q8_gemm_nt(xqPtr: number, wPtr: number, corrPtr: number, scalePtr: number, biasPtr: number, outPtr: number,
    m: number, n: number, k: number, flags: number, inv: number, zp: number): void;
}

export type KernelAbi = GemmAbi & GemmDirectAbi & EltwiseAbi & ReduceAbi & ActivationAbi & LossAbi & OptimAbi & LayerAbi & RngAbi & Q8Abi;
