// Weight initializers (seeded). Fan-in/fan-out of a dense layer W[out×in]: fanIn = in, fanOut = out.
// Biases start at zero.

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
