// Activations as the public API names them: the list, name checks and what dense() needs, all
// read from the one activation table (src/kernels/activations.ts).

import { ValidationError } from '../errors.js';
import { ACTIVATION_TABLE, type ActivationName, type ActivationRecord } from '../kernels/activations.js';

/**
 * Activation functions. Conventions (the lecture notes'): `step(z) = 1` for z ≥ 0 else 0;
 * relu'(0) = 1; `elu` has α = 1, `leakyRelu` α = 0.01, `softplus` β = 1, `isru`/`isrlu` α = 1,
 * `prelu` starts at slope 0.25 (learnable, one per unit), `rrelu` draws slopes from U(1/8, 1/3)
 * in training and uses their mean at inference; `bipolarRelu` mirrors odd units (−relu(−x)).
 * `softmax` is an output activation only.
 */
export type { ActivationName };

const BY_NAME: ReadonlyMap<string, ActivationRecord> = new Map(Object.entries(ACTIVATION_TABLE));

/** Every activation name dense() accepts. @example ACTIVATIONS.includes('gelu') // true */
export const ACTIVATIONS: readonly ActivationName[] = Object.keys(ACTIVATION_TABLE) as ActivationName[];

/** Activations a hidden layer can be trained with (not output-only, with a usable derivative): the CLI's and the demo page's choices. */
export const HIDDEN_ACTIVATIONS: readonly ActivationName[] = ACTIVATIONS.filter((a) => {
  const r = BY_NAME.get(a)!;
  return r.hidden && r.trainable;
});

/** The table record of a checked name. */
export function activationRecord(name: ActivationName): ActivationRecord {
  return BY_NAME.get(name)!;
}

export function checkActivation(name: unknown, arg = 'activation'): ActivationName {
  if (typeof name !== 'string' || !BY_NAME.has(name)) {
    throw new ValidationError(arg, `unknown activation ${JSON.stringify(name)}; expected one of ${ACTIVATIONS.join(', ')}`);
  }
  return name as ActivationName;
}

/** Default (alpha, beta) of an activation (0 for a parameter it does not have). */
export function defaultActivationParams(name: ActivationName): { alpha: number; beta: number } {
  const r = activationRecord(name);
  return { alpha: r.alpha?.default ?? 0, beta: r.beta?.default ?? 0 };
}

/** Activations whose derivative is zero almost everywhere: they cannot be trained through. */
export function hasZeroGradient(name: ActivationName): boolean {
  return !activationRecord(name).trainable;
}
