// A network's parameters and state as plain arrays, through the layer protocol: per layer its
// tensors by name (getWeights' layout), the unrolled vector θ (getParams' layout), and snapshots of
// the state (running statistics) that a gradient evaluation must leave as it found it.

import { ValidationError } from '../errors.js';
import type { Network } from './network.js';

/** Per-layer tensors by name: dense {W (out×in row-major), b[, slope]}, batchNorm {gamma, beta, runningMean, runningVar}. */
export type LayerWeights = Record<string, Float32Array>;

/** The layers that appear in getWeights(): those with parameters or state (dropout has neither). */
function weightedLayers(net: Network) {
  return net.runtimes.filter((rt) => rt.params.length > 0 || rt.state.length > 0);
}

export function readWeights(net: Network): LayerWeights[] {
  net.checkAlive();
  const f32 = net.arena.views.f32;
  const copy = (ptr: number, n: number) => f32.slice(ptr >>> 2, (ptr >>> 2) + n);
  return weightedLayers(net).map((rt) => {
    const w: LayerWeights = {};
    for (const p of rt.params) w[p.name] = copy(p.ptr, p.size);
    for (const s of rt.state) w[s.name] = copy(s.ptr, s.size);
    return w;
  });
}

type WeightsLike = readonly Readonly<Record<string, ArrayLike<number>>>[];

/** The parameter gradients the last pass left, in getWeights()' layout (parameters only). */
export function readGradients(net: Network): LayerWeights[] {
  const f32 = net.arena.views.f32;
  return net.runtimes.filter((rt) => rt.params.length > 0).map((rt) => {
    const g: LayerWeights = {};
    for (const p of rt.params) g[p.name] = f32.slice(p.gradPtr >>> 2, (p.gradPtr >>> 2) + p.size);
    return g;
  });
}

/** Checks the getWeights() layout against the network's tensors (sizes only: callable before the
 *  network has memory): every parameter required, state optional, every value finite. */
export function checkWeights(net: Network, weights: WeightsLike): void {
  const layers = weightedLayers(net);
  if (!Array.isArray(weights) || weights.length !== layers.length) {
    throw new ValidationError('weights', `expected ${layers.length} layer entries (one per layer with parameters), got ${Array.isArray(weights) ? weights.length : typeof weights}`);
  }
  layers.forEach((rt, li) => {
    const w = weights[li]!;
    if (!w || typeof w !== 'object') throw new ValidationError(`weights[${li}]`, `expected an object of tensors, got ${String(w)}`);
    const check = (name: string, n: number) => {
      const src = w[name];
      if (!src || src.length !== n) throw new ValidationError(`weights[${li}].${name}`, `expected ${n} values, got ${src ? src.length : 'none'}`);
      for (let i = 0; i < n; i++) if (!Number.isFinite(src[i]!)) throw new ValidationError(`weights[${li}].${name}`, `value ${i} is ${src[i]}, expected a finite number`);
    };
    for (const p of rt.params) check(p.name, p.size);
    for (const s of rt.state) if (w[s.name]) check(s.name, s.size);
  });
}

/** Writes the getWeights() layout, all or nothing: every entry is checked (checkWeights) before any is written. */
export function writeWeights(net: Network, weights: WeightsLike): void {
  net.checkAlive();
  checkWeights(net, weights);
  net.paramsChanged();
  const f32 = net.arena.views.f32;
  weightedLayers(net).forEach((rt, li) => {
    const w = weights[li]!;
    for (const p of rt.params) f32.set(w[p.name]!, p.ptr >>> 2);
    for (const s of rt.state) if (w[s.name]) f32.set(w[s.name]!, s.ptr >>> 2);
  });
}

/** The parameters (or their gradients) unrolled: per layer, its tensors in order. */
export function unroll(net: Network, grads: boolean): Float32Array {
  const out = new Float32Array(net.paramCount);
  unrollInto(net, grads, out);
  return out;
}

/** unroll() into `out` (paramCount values, e.g. a preallocated float64 row). */
export function unrollInto(net: Network, grads: boolean, out: Float32Array | Float64Array): void {
  net.checkAlive();
  const f32 = net.arena.views.f32;
  let off = 0;
  for (const p of net.params) {
    const at = (grads ? p.gradPtr : p.ptr) >>> 2;
    for (let i = 0; i < p.size; i++) out[off + i] = f32[at + i]!;
    off += p.size;
  }
}

/** Sets θ from an unrolled vector of length paramCount (every value finite). */
export function writeUnrolled(net: Network, theta: ArrayLike<number>): void {
  net.checkAlive();
  net.paramsChanged();
  if (!theta || theta.length !== net.paramCount) {
    throw new ValidationError('theta', `expected ${net.paramCount} values, got ${theta ? theta.length : String(theta)}`);
  }
  for (let i = 0; i < theta.length; i++) {
    if (!Number.isFinite(theta[i]!)) throw new ValidationError('theta', `value ${i} is ${theta[i]}, expected a finite number`);
  }
  let off = 0;
  const f32 = net.arena.views.f32;
  for (const p of net.params) {
    for (let i = 0; i < p.size; i++) f32[(p.ptr >>> 2) + i] = theta[off + i]!;
    off += p.size;
  }
}

/** Copies of every state tensor and of the rng stream. */
export interface StateSnapshot { state: Float32Array[]; rng: Uint32Array }

export function snapshotState(net: Network): StateSnapshot {
  const { views } = net.arena;
  return {
    state: net.state.map((s) => views.f32.slice(s.ptr >>> 2, (s.ptr >>> 2) + s.size)),
    rng: views.u32.slice(net.rngPtr >>> 2, (net.rngPtr >>> 2) + 4),
  };
}

/** Puts the state back (and the rng stream unless `keepRng`). */
export function restoreState(net: Network, snap: StateSnapshot, keepRng = false): void {
  const { views } = net.arena;
  net.state.forEach((s, i) => views.f32.set(snap.state[i]!, s.ptr >>> 2));
  if (!keepRng) views.u32.set(snap.rng, net.rngPtr >>> 2);
}
