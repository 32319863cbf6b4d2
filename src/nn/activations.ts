// Activation names of the public API, their kernels and their default parameters.

import type { ActivationKernel } from '../kernels/abi.js';
import { ValidationError } from '../errors.js';

/**
 * Activation functions. Conventions (the lecture notes'): `step(z) = 1` for z ≥ 0 else 0;
 * relu'(0) = 1; `elu` has α = 1, `leakyRelu` α = 0.01, `softplus` β = 1, `isru`/`isrlu` α = 1,
 * `prelu` starts at slope 0.25 (learnable, one per unit), `rrelu` draws slopes from U(1/8, 1/3)
 * in training and uses their mean at inference; `bipolarRelu` mirrors odd units (−relu(−x)).
 * `softmax` is an output activation only.
 */
export type ActivationName =
  | 'identity' | 'linear' | 'step' | 'sigmoid' | 'tanh' | 'arctan' | 'relu' | 'leakyRelu' | 'prelu' | 'rrelu'
  | 'elu' | 'softsign' | 'softplus' | 'isru' | 'isrlu' | 'sqnl' | 'bipolarRelu' | 'gelu' | 'silu' | 'softmax';

/** Every activation name dense() accepts. @example ACTIVATIONS.includes('gelu') // true */
export const ACTIVATIONS: readonly ActivationName[] = [
  'identity', 'linear', 'step', 'sigmoid', 'tanh', 'arctan', 'relu', 'leakyRelu', 'prelu', 'rrelu',
  'elu', 'softsign', 'softplus', 'isru', 'isrlu', 'sqnl', 'bipolarRelu', 'gelu', 'silu', 'softmax',
];

const KERNEL: Partial<Record<ActivationName, ActivationKernel>> = {
  identity: 'identity', linear: 'identity', step: 'step', sigmoid: 'sigmoid', tanh: 'tanh', arctan: 'arctan',
  relu: 'relu', leakyRelu: 'leaky_relu', elu: 'elu', softsign: 'softsign', softplus: 'softplus', isru: 'isru',
  isrlu: 'isrlu', sqnl: 'sqnl', bipolarRelu: 'bipolar_relu', gelu: 'gelu', silu: 'silu',
};

/** Default (alpha, beta) per activation. */
export function defaultActivationParams(name: ActivationName): { alpha: number; beta: number } {
  switch (name) {
    case 'leakyRelu': return { alpha: 0.01, beta: 0 };
    case 'elu': case 'isru': case 'isrlu': return { alpha: 1, beta: 0 };
    case 'softplus': return { alpha: 0, beta: 1 };
    case 'prelu': return { alpha: 0.25, beta: 0 };
    case 'rrelu': return { alpha: 1 / 8, beta: 1 / 3 };
    default: return { alpha: 0, beta: 0 };
  }
}

export function checkActivation(name: unknown, arg = 'activation'): ActivationName {
  if (typeof name !== 'string' || !(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new ValidationError(arg, `unknown activation ${JSON.stringify(name)}; expected one of ${ACTIVATIONS.join(', ')}`);
  }
  return name as ActivationName;
}

/** The elementwise kernel behind an activation (undefined for prelu, rrelu, softmax). */
export function activationKernel(name: ActivationName): ActivationKernel | undefined {
  return KERNEL[name];
}

/** Activations whose derivative is zero almost everywhere: they cannot be trained through. */
export function hasZeroGradient(name: ActivationName): boolean {
  return name === 'step';
}

/** ReLU-like activations get He initialization by default, the others Xavier/Glorot. */
export function isReluFamily(name: ActivationName): boolean {
  return name === 'relu' || name === 'leakyRelu' || name === 'prelu' || name === 'rrelu' || name === 'elu'
    || name === 'bipolarRelu' || name === 'isrlu' || name === 'gelu' || name === 'silu';
}
