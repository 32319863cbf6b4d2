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

/** Writes the getWeights() layout: every parameter required, state optional; sizes and finiteness checked. */
export function writeWeights(net: Network, weights: readonly Readonly<Record<string, ArrayLike<number>>>[]): void {
  net.checkAlive();
  net.paramsChanged();
  const layers = weightedLayers(net);
  if (!Array.isArray(weights) || weights.length !== layers.length) {
    throw new ValidationError('weights', `expected ${layers.length} layer entries (one per layer with parameters), got ${Array.isArray(weights) ? weights.length : typeof weights}`);
  }
  layers.forEach((rt, li) => {
    const w = weights[li]!;
    const set = (name: string, ptr: number, n: number) => {
      const src = w[name];
      if (!src || src.length !== n) throw new ValidationError(`weights[${li}].${name}`, `expected ${n} values, got ${src ? src.length : 'none'}`);
      for (let i = 0; i < n; i++) if (!Number.isFinite(src[i]!)) throw new ValidationError(`weights[${li}].${name}`, `value ${i} is ${src[i]}, expected a finite number`);
      net.arena.views.f32.set(src, ptr >>> 2);
    };
    for (const p of rt.params) set(p.name, p.ptr, p.size);
    for (const s of rt.state) if (w[s.name]) set(s.name, s.ptr, s.size);
  });
}

/** The parameters (or their gradients) unrolled: per layer, its tensors in order. */
export function unroll(net: Network, grads: boolean): Float32Array {
  net.checkAlive();
  const out = new Float32Array(net.paramCount);
  const f32 = net.arena.views.f32;
  let off = 0;
  for (const p of net.params) {
    const ptr = grads ? p.gradPtr : p.ptr;
    out.set(f32.subarray(ptr >>> 2, (ptr >>> 2) + p.size), off);
    off += p.size;
  }
  return out;
}

/** Sets θ from an unrolled vector of length paramCount (every value finite). */
export function writeUnrolled(net: Network, theta: ArrayLike<number>): void {
  net.checkAlive();
  net.paramsChanged();
  if (!theta || theta.length !== net.paramCount) {
    throw new ValidationError('theta', `expected ${net.paramCount} values, got ${theta ? theta.length : String(theta)}`);
  }
  let off = 0;
  const f32 = net.arena.views.f32;
  for (const p of net.params) {
    for (let i = 0; i < p.size; i++) {
      const v = theta[off + i]!;
      if (!Number.isFinite(v)) throw new ValidationError('theta', `value ${off + i} is ${v}, expected a finite number`);
      f32[(p.ptr >>> 2) + i] = v;
    }
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
