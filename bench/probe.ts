// The machine's 128-bit f32 peak as a binary can use it (f32_peak_probe, assembly/bench): 12
// independent relaxed_madd chains in the relaxed binary, 6 mul + 6 add chains in the baseline
// one. bench:gemm and bench:train both quote their figures against it.

import type { Backend } from '../src/backend.js';

export interface Probe { best: number; median: number }

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** GFLOPS of the peak probe on this backend's binary: best and median of `samples` runs. */
export function peakProbe(b: Backend, samples = 7): Probe {
  const probe = (b.k as unknown as { f32_peak_probe(iters: number): number }).f32_peak_probe;
  const iters = 20_000_000;
  probe(iters / 10);
  const rates: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    const flops = probe(iters);
    rates.push(flops / ((performance.now() - t0) * 1e6));
  }
  return { best: Math.max(...rates), median: median(rates) };
}

/** The better of two probes (other work on the machine lowers a probe, never raises it). */
export function better(a: Probe, b: Probe): Probe {
  return a.best >= b.best ? a : b;
}
