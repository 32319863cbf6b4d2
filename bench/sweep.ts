// Scale sweeps (issue 18, item 6): the points, the networks, the GEMM shapes a training step of
// each network runs, the FLOP counts and the option parsing shared by bench/train-sweep.ts
// (`npm run bench:train -- --only sweep`) and bench/gemm.ts (`npm run bench:gemm -- --sweep`).
// Pure functions, no timing: test/bench/sweep.test.ts checks them against hand derivations.

import { ValidationError } from '../src/errors.js';

export type SweepAxis = 'batch' | 'width' | 'depth';
export const SWEEP_AXES: readonly SweepAxis[] = ['batch', 'width', 'depth'];
export type Layout = 'nt' | 'tn' | 'nn';
export type Shape = [m: number, n: number, k: number];

/** Input and output of every swept network: Fashion-MNIST's 784 pixels and 10 classes. */
export const INPUT = 784;
export const CLASSES = 10;
/** The batch of the width and depth sweeps, and the network of the batch sweep. */
export const BASE_BATCH = 128;
export const BASE_HIDDEN: readonly number[] = [256, 128];

/** The points of each axis: batch size, hidden units (two hidden layers), hidden layers (256 units each). */
export const SWEEP_POINTS: Record<SweepAxis, readonly number[]> = {
  batch: [1, 8, 32, 128, 512, 4096],
  width: [64, 128, 256, 512, 1024, 2048, 4096],
  depth: [2, 4, 8, 16],
};

/** Layer sizes (input, hidden..., output) and batch of one point. */
export interface SweepPoint { axis: SweepAxis; value: number; sizes: number[]; batch: number }

export function sweepPoint(axis: SweepAxis, value: number): SweepPoint {
  switch (axis) {
    case 'batch': return { axis, value, sizes: [INPUT, ...BASE_HIDDEN, CLASSES], batch: value };
    case 'width': return { axis, value, sizes: [INPUT, value, value, CLASSES], batch: BASE_BATCH };
    case 'depth': return { axis, value, sizes: [INPUT, ...Array<number>(value).fill(256), CLASSES], batch: BASE_BATCH };
  }
}

/**
 * Useful FLOPs of one training sample of a dense stack with layer sizes n_0..n_L (the GEMMs only;
 * biases, activations, the loss and the optimizer step are not counted):
 *   forward  Z_l = A_{l-1}·W_lᵀ      2·n_{l-1}·n_l  for every layer l = 1..L
 *   dW_l = dZ_lᵀ·A_{l-1}             2·n_{l-1}·n_l  for every layer
 *   dA_{l-1} = dZ_l·W_l              2·n_{l-1}·n_l  for l = 2..L (no gradient w.r.t. the input)
 * i.e. 6·Σ n_{l-1}·n_l − 2·n_0·n_1. 784-256-128-10: 1,007,104.
 */
export function trainFlopsPerSample(sizes: readonly number[]): number {
  let f = 0;
  for (let l = 1; l < sizes.length; l++) {
    const mac = sizes[l - 1]! * sizes[l]!;
    f += 2 * mac + 2 * mac + (l > 1 ? 2 * mac : 0);
  }
  return f;
}

/** Useful FLOPs of one inference sample: the forward GEMMs, 2·Σ n_{l-1}·n_l. */
export function inferFlopsPerSample(sizes: readonly number[]): number {
  let f = 0;
  for (let l = 1; l < sizes.length; l++) f += 2 * sizes[l - 1]! * sizes[l]!;
  return f;
}

/**
 * The GEMMs of one training step at this batch, as the fit calls them (src/nn: forward
 * f32_gemm_nt m = batch, n = out, k = in; dW f32_gemm_tn m = out, n = in, k = batch; dX
 * f32_gemm_nn m = batch, n = in, k = out, below the first layer only). Their 2·m·n·k add up to
 * batch × trainFlopsPerSample(sizes).
 */
export function trainingGemms(sizes: readonly number[], batch: number): { layout: Layout; shape: Shape; layer: number }[] {
  const out: { layout: Layout; shape: Shape; layer: number }[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const nIn = sizes[l - 1]!, nOut = sizes[l]!;
    out.push({ layout: 'nt', shape: [batch, nOut, nIn], layer: l });
    out.push({ layout: 'tn', shape: [nOut, nIn, batch], layer: l });
    if (l > 1) out.push({ layout: 'nn', shape: [batch, nIn, nOut], layer: l });
  }
  return out;
}

/** Squares of the GEMM sweep. */
export const SQUARES: readonly number[] = [64, 128, 256, 512, 1024, 2048, 4096];

/** A GEMM of the sweep and the points whose training step runs it ("batch 8 L2" = layer 2 at batch 8, "square"). */
export interface SweepGemm { shape: Shape; from: string[] }

/** bench:gemm --sweep: per layout, the distinct training shapes of every sweep point, then the squares (ascending m·n·k). */
export function gemmSweepShapes(axes: readonly SweepAxis[], squares: readonly number[]): Record<Layout, SweepGemm[]> {
  const seen: Record<Layout, Map<string, SweepGemm>> = { nt: new Map(), tn: new Map(), nn: new Map() };
  const add = (layout: Layout, shape: Shape, from: string) => {
    const key = shape.join('x');
    const e = seen[layout].get(key);
    if (e) e.from.push(from);
    else seen[layout].set(key, { shape, from: [from] });
  };
  for (const axis of axes) {
    for (const v of SWEEP_POINTS[axis]) {
      const p = sweepPoint(axis, v);
      trainingGemms(p.sizes, p.batch).forEach((g) => add(g.layout, g.shape, `${axis} ${v} L${g.layer}`));
    }
  }
  for (const s of squares) for (const layout of ['nt', 'tn', 'nn'] as const) add(layout, [s, s, s], 'square');
  const vol = (s: Shape) => s[0] * s[1] * s[2];
  const sorted = (m: Map<string, SweepGemm>) => [...m.values()].sort((a, b) => vol(a.shape) - vol(b.shape) || a.shape[0] - b.shape[0] || a.shape[1] - b.shape[1]);
  return { nt: sorted(seen.nt), tn: sorted(seen.tn), nn: sorted(seen.nn) };
}

/**
 * Samples per epoch so that one epoch takes about `seconds` at `rate` samples/s: whole batches,
 * at least `minBatches` of them, at most the data set's `available` rows (rounded down to whole batches, ≥ 1 batch).
 */
export function samplesPerEpoch(rate: number, seconds: number, batch: number, available: number, minBatches = 2): number {
  const cap = Math.max(batch, Math.floor(available / batch) * batch);
  const want = Math.max(minBatches * batch, Math.round((rate * seconds) / batch) * batch);
  return Math.min(cap, want);
}

export interface SweepOptions {
  axes: SweepAxis[];
  /** Overrides the axis's points (--points). */
  points?: number[];
  binaries: ('relaxed' | 'simd')[];
  threads: number[];
  quick: boolean;
  json: boolean;
  /** --profile: also where each training step's time goes (bench/train-profile.ts; on 2 threads a kernel's time includes its split). */
  profile: boolean;
  /** --fused: SGD's step inside the dW GEMMs (optimizer.fuse = true, f32_gemm_tn_step) instead of its own pass. */
  fused: boolean;
}

function listArg(args: readonly string[], name: string): string[] | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) return [];
  return v.split(',');
}

/**
 * Options of a sweep run. `--only sweep` or a bare `--sweep` = every axis; `--sweep batch,width`
 * a subset; `--points 1,8` the values of one axis; `--binary relaxed,simd`; `--threads 1,2`
 * (default 1,2: both binaries on one thread, and their threads builds on two); `--quick`; `--json`;
 * `--profile` (each point's step, kernel by kernel); `--fused` (optimizer.fuse).
 */
export function parseSweepArgs(args: readonly string[]): SweepOptions {
  const axesArg = listArg(args, '--sweep');
  let axes: SweepAxis[] = [...SWEEP_AXES];
  if (axesArg && axesArg.length) {
    for (const a of axesArg) {
      if (!(SWEEP_AXES as readonly string[]).includes(a)) throw new ValidationError('--sweep', `expected batch, width or depth (comma-separated), got '${a}'`);
    }
    axes = [...new Set(axesArg as SweepAxis[])];
  }
  const ints = (name: string, min: number, max: number): number[] | undefined => {
    const v = listArg(args, name);
    if (v === undefined) return undefined;
    if (!v.length) throw new ValidationError(name, 'expected a comma-separated list of integers, got nothing');
    return v.map((s) => {
      const x = Number(s);
      if (!/^\d+$/.test(s) || x < min || x > max) throw new ValidationError(name, `expected integers from ${min} to ${max}, got '${s}'`);
      return x;
    });
  };
  const points = ints('--points', 1, 65536);
  if (points && axes.length !== 1) throw new ValidationError('--points', `needs exactly one axis in --sweep, got ${axes.length} (${axes.join(', ')})`);
  const threads = ints('--threads', 1, 2) ?? [1, 2];
  const binArg = listArg(args, '--binary');
  const binaries = (binArg ?? ['relaxed', 'simd']).map((b) => {
    if (b !== 'relaxed' && b !== 'simd') throw new ValidationError('--binary', `expected relaxed or simd (comma-separated), got '${b}'`);
    return b;
  });
  if (binArg && !binaries.length) throw new ValidationError('--binary', 'expected relaxed or simd (comma-separated), got nothing');
  return {
    axes, ...(points ? { points } : {}), binaries: [...new Set(binaries)], threads: [...new Set(threads)].sort((a, b) => a - b),
    quick: args.includes('--quick'), json: args.includes('--json'), profile: args.includes('--profile'), fused: args.includes('--fused'),
  };
}

/** bench:gemm --shape nt:128x16x784,tn:10x1000x128: the given shapes, per layout (from: 'given'). */
export function parseShapes(list: readonly string[]): Record<Layout, SweepGemm[]> {
  const out: Record<Layout, SweepGemm[]> = { nt: [], tn: [], nn: [] };
  for (const item of list) {
    const m = /^(nt|tn|nn):(\d+)x(\d+)x(\d+)$/.exec(item);
    const dims = m ? [Number(m[2]), Number(m[3]), Number(m[4])] : [];
    if (!m || dims.some((d) => d < 1 || d > 16384)) throw new ValidationError('--shape', `expected layout:MxNxK (nt, tn or nn; 1 to 16384 each), comma-separated, got '${item}'`);
    out[m[1] as Layout].push({ shape: dims as Shape, from: ['given'] });
  }
  return out;
}
