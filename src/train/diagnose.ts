// fit({ diagnostics: true }): each layer reports its own signals through the layer protocol
// (LayerRuntime.diagnose); this is the measuring probe it is given — moments from the f32_moments
// kernel, quantiles from a sorted copy — and the per-epoch record.

import { quantileSorted } from '../metrics/quantiles.js';
import type { LayerStats } from '../nn/diagnostics.js';
import type { Probe } from '../nn/layers.js';
import type { Network } from '../nn/network.js';
import type { EpochDiagnostics, LayerDiagnostics } from './types.js';

/** Statistics of arena buffers; `momentsPtr` holds 5 f64 (kernel output), the sort scratch grows to the largest buffer seen. */
export class StatsProbe implements Probe {
  private scratch = new Float32Array(0);

  constructor(private readonly net: Network, private readonly momentsPtr: number) {}

  stats(ptr: number, n: number): LayerStats {
    const { net, momentsPtr } = this;
    net.k.f32_moments(ptr, n, momentsPtr);
    const f64 = net.arena.views.f64;
    const o = momentsPtr >>> 3;
    const mean = n ? f64[o]! / n : 0;
    const variance = n ? Math.max(0, f64[o + 1]! / n - mean * mean) : 0;
    if (this.scratch.length < n) this.scratch = new Float32Array(n);
    const sorted = this.scratch.subarray(0, n);
    sorted.set(net.arena.views.f32.subarray(ptr >>> 2, (ptr >>> 2) + n));
    sorted.sort();
    const q = (p: number) => (n ? quantileSorted(sorted, p) : 0);
    return { mean, std: Math.sqrt(variance), min: n ? f64[o + 2]! : 0, q1: q(0.25), median: q(0.5), q3: q(0.75), max: n ? f64[o + 3]! : 0, zeroFraction: n ? f64[o + 4]! / n : 0 };
  }
}

/** Every layer's signals on the last batch (m rows) of an epoch. */
export function diagnose(net: Network, m: number, epoch: number, probe: Probe): EpochDiagnostics {
  const layers: LayerDiagnostics[] = [];
  net.runtimes.forEach((rt, layer) => {
    const signals = rt.diagnose(m, probe);
    if (signals) layers.push({ layer, ...signals });
  });
  return { epoch, layers };
}
