// Where a training step's time goes: every kernel call of a model's fit is timed through a
// wrapper around the backend's kernel table, grouped by what it is (each GEMM layout per layer,
// activations forward/backward, loss, colsum (bias gradient), optimizer, batch gathers), and
// the rest of the step's wall time (measured without the wrapper) is JS glue: the fit loop, the
// calls themselves, countCorrect. Used by bench/train.ts (--only profile).

import type { Backend } from '../src/backend.js';

type Fn = (...args: number[]) => unknown;

export interface ProfileRow { what: string; group: string; usPerStep: number; calls: number; gflops?: number }

/** dims → "784→256" label of the dense layer a GEMM belongs to. */
function gemmLabel(name: string, a: number[]): { what: string; flops: number } | undefined {
  switch (name) {
    case 'f32_gemm_nt': return { what: `nt forward   ${a[6]}→${a[5]} (m×${a[5]}×${a[6]})`, flops: 2 * a[4]! * a[5]! * a[6]! };
    case 'f32_gemm_tn': return { what: `tn dW        ${a[4]}→${a[3]} (${a[3]}×${a[4]}×m)`, flops: 2 * a[3]! * a[4]! * a[5]! };
    case 'f32_gemm_tn_step': return { what: `tn dW+step   ${a[7]}→${a[6]} (${a[6]}×${a[7]}×m)`, flops: 2 * a[6]! * a[7]! * a[8]! };
    case 'f32_gemm_nn': return { what: `nn dX        ${a[4]}→${a[5]} (m×${a[4]}×${a[5]})`, flops: 2 * a[3]! * a[4]! * a[5]! };
    case 'f32_gemm_nt_direct': return { what: `nt direct ${a[6]}→${a[5]}`, flops: 2 * a[4]! * a[5]! * a[6]! };
    default: return undefined;
  }
}

function groupOf(name: string): string {
  if (name.startsWith('f32_gemm')) return 'gemm';
  if (/_(fwd|bwd)$/.test(name) && !name.includes('softmax')) return 'activation';
  if (/softmax|xent|bce|mse/.test(name)) return 'loss';
  if (name === 'f32_colsum') return 'bias (colsum)';
  if (name.endsWith('_step')) return 'optimizer';
  if (name === 'f32_gather_rows') return 'batch gather';
  return 'other kernels';
}

interface Acc { ms: number; calls: number; flops: number; group: string }

/** A copy of `b` whose kernel table times every call into `acc` (keyed by a readable label). */
export function timedBackend(b: Backend, acc: Map<string, Acc>): Backend {
  const k = b.k as unknown as Record<string, unknown>;
  const wrapped: Record<string, unknown> = {};
  for (const name of Object.keys(k)) {
    const fn = k[name];
    if (typeof fn !== 'function' || !name.startsWith('f32_') || name === 'f32_gemm_work_bytes') { wrapped[name] = fn; continue; }
    const f = fn as Fn;
    const group = groupOf(name);
    const plain = name.replace(/^f32_/, '').replace(/_(fwd|bwd)$/, ' $1');
    wrapped[name] = (...args: number[]) => {
      const t0 = performance.now();
      const r = f(...args);
      const dt = performance.now() - t0;
      const g = gemmLabel(name, args);
      const key = g ? g.what : plain;
      let e = acc.get(key);
      if (!e) { e = { ms: 0, calls: 0, flops: 0, group }; acc.set(key, e); }
      e.ms += dt; e.calls++; e.flops += g ? g.flops : 0;
      return r;
    };
  }
  return { ...b, k: wrapped as unknown as Backend['k'] };
}

/** Useful FLOPs of one training sample of a dense stack: forward and dW of every layer, dX of all but the first. */
export function flopsPerSample(sizes: number[]): number {
  let f = 0;
  for (let l = 1; l < sizes.length; l++) {
    const mac = sizes[l - 1]! * sizes[l]!;
    f += 2 * mac + 2 * mac + (l > 1 ? 2 * mac : 0);
  }
  return f;
}

/**
 * Profiles training steps: `run(backend)` trains one pass and returns the steps it ran and the
 * milliseconds they took (the fit's own epoch time: without the per-call setup of fitSync).
 * stepUs is the plain (unwrapped) step time, best of `repeats`; the rows add up to it.
 */
export function profile(b: Backend, run: (backend: Backend) => { steps: number; ms: number }, repeats = 5): { rows: ProfileRow[]; stepUs: number } {
  run(b); // warm-up
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const { steps, ms } = run(b);
    best = Math.min(best, ms / steps);
  }
  const acc = new Map<string, Acc>();
  const tb = timedBackend(b, acc);
  run(tb); // warm-up of the wrapped path
  let bestAcc: Map<string, Acc> | undefined;
  let bestSum = Infinity;
  for (let r = 0; r < repeats; r++) {
    acc.clear();
    const { steps } = run(tb);
    let sum = 0;
    for (const e of acc.values()) sum += e.ms;
    if (sum / steps < bestSum) {
      bestSum = sum / steps;
      bestAcc = new Map([...acc].map(([key, e]) => [key, { ...e, ms: e.ms / steps, calls: e.calls / steps, flops: e.flops / steps }]));
    }
  }
  const rows: ProfileRow[] = [];
  let kernels = 0;
  for (const [what, e] of bestAcc!) {
    kernels += e.ms;
    rows.push({ what, group: e.group, usPerStep: e.ms * 1000, calls: e.calls, gflops: e.flops ? e.flops / (e.ms * 1e6) : undefined });
  }
  rows.sort((x, y) => (x.group === 'gemm' ? 0 : 1) - (y.group === 'gemm' ? 0 : 1) || y.usPerStep - x.usPerStep);
  rows.push({ what: 'JS glue (fit loop, calls, countCorrect)', group: 'js', usPerStep: Math.max(0, best - kernels) * 1000, calls: 0 });
  return { rows, stepUs: best * 1000 };
}
