// Weight initializers (seeded). Fan-in/fan-out of a dense layer W[out×in]: fanIn = in, fanOut = out.
// Biases start at zero unless dense({ biasInitializer }) says otherwise.

import type { Rng } from '../rng.js';
import { ValidationError } from '../errors.js';

/**
 * `xavier` = Glorot uniform U(±√(6/(in+out))); `xavierNormal` N(0, √(2/(in+out)));
 * `he` = N(0, √(2/in)); `heUniform` U(±√(6/in)); `lecun` N(0, √(1/in)); `lecunUniform` U(±√(3/in));
 * `uniform` U(±ε) with ε = `epsilon` (default 0.12, the lecture notes' ε_init); `normal` N(0, 0.1);
 * `zeros`: every weight 0 — all units of a layer then compute the same thing and receive the same
 * gradient, so they never differentiate (the symmetry failure the notes warn about).
 */
export type InitName = 'xavier' | 'glorot' | 'xavierUniform' | 'xavierNormal' | 'he' | 'heNormal' | 'heUniform'
  | 'lecun' | 'lecunNormal' | 'lecunUniform' | 'uniform' | 'normal' | 'zeros';

/** Every initializer name dense() accepts. @example dense(64, { init: INITS[0] }) */
export const INITS: readonly InitName[] = ['xavier', 'glorot', 'xavierUniform', 'xavierNormal', 'he', 'heNormal', 'heUniform',
  'lecun', 'lecunNormal', 'lecunUniform', 'uniform', 'normal', 'zeros'];

export function checkInit(name: unknown): InitName {
  if (typeof name !== 'string' || !(INITS as readonly string[]).includes(name)) {
    throw new ValidationError('init', `unknown initializer ${JSON.stringify(name)}; expected one of ${INITS.join(', ')}`);
  }
  return name as InitName;
}

/** Fills `out` (a W[fanOut×fanIn] block) with the initializer's draws. */
export function initWeights(out: Float32Array, init: InitName, fanIn: number, fanOut: number, rng: Rng, epsilon = 0.12): void {
  const uniform = (limit: number) => { for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * limit; };
  const normal = (std: number) => { for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, std); };
  switch (init) {
    case 'xavier': case 'glorot': case 'xavierUniform': return uniform(Math.sqrt(6 / (fanIn + fanOut)));
    case 'xavierNormal': return normal(Math.sqrt(2 / (fanIn + fanOut)));
    case 'he': case 'heNormal': return normal(Math.sqrt(2 / fanIn));
    case 'heUniform': return uniform(Math.sqrt(6 / fanIn));
    case 'lecun': case 'lecunNormal': return normal(Math.sqrt(1 / fanIn));
    case 'lecunUniform': return uniform(Math.sqrt(3 / fanIn));
    case 'uniform': return uniform(epsilon);
    case 'normal': return normal(0.1);
    case 'zeros': out.fill(0); return;
  }
}

/**
 * How a dense layer's biases start: 'zeros' (the default), 'uniform' — U(±ε) with ε the layer's
 * initEpsilon (default 0.12), the lecture notes' random initialization of every Θ entry, the bias
 * column included — or { type: 'uniform', epsilon }, or a constant (a number, or { type: 'constant', value }).
 */
export type BiasInitializer = 'zeros' | 'uniform' | number
  | { type: 'zeros' } | { type: 'uniform'; epsilon?: number } | { type: 'constant'; value: number };

/** A non-zero bias initializer as a layer spec stores it (zeros is no entry). */
export type BiasInitSpec = { type: 'uniform'; epsilon: number } | { type: 'constant'; value: number };

/** Normalizes dense({ biasInitializer }): undefined for zeros. */
export function checkBiasInit(v: unknown, initEpsilon: number, arg = 'dense.biasInitializer'): BiasInitSpec | undefined {
  const expect = "'zeros', 'uniform', a finite number, { type: 'uniform', epsilon } or { type: 'constant', value }";
  const finite = (x: unknown, a: string): number => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ValidationError(a, `expected a finite number, got ${String(x)}`);
    return x;
  };
  if (v === undefined || v === 'zeros') return undefined;
  if (v === 'uniform') return { type: 'uniform', epsilon: initEpsilon };
  if (typeof v === 'number') {
    finite(v, arg);
    return v === 0 ? undefined : { type: 'constant', value: v };
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const only = (allowed: string[]) => {
      for (const k of keys) if (!allowed.includes(k)) throw new ValidationError(`${arg}.${k}`, `is not an option of a ${String(o.type)} bias initializer (${allowed.filter((a) => a !== 'type').join(', ') || 'none'})`);
    };
    if (o.type === 'zeros') { only(['type']); return undefined; }
    if (o.type === 'uniform') {
      only(['type', 'epsilon']);
      const epsilon = o.epsilon === undefined ? initEpsilon : finite(o.epsilon, `${arg}.epsilon`);
      if (!(epsilon > 0)) throw new ValidationError(`${arg}.epsilon`, `expected ε > 0, got ${epsilon}`);
      return { type: 'uniform', epsilon };
    }
    if (o.type === 'constant') {
      only(['type', 'value']);
      const value = finite(o.value, `${arg}.value`);
      return value === 0 ? undefined : { type: 'constant', value };
    }
  }
  throw new ValidationError(arg, `expected ${expect}, got ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
}

/** Fills a bias vector as the initializer says (draws from rng after the weights). */
export function initBiases(out: Float32Array, init: BiasInitSpec | undefined, rng: Rng): void {
  if (!init) { out.fill(0); return; }
  if (init.type === 'constant') { out.fill(init.value); return; }
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * init.epsilon;
}
