// The float64 twin of a network: the same layers on the double-precision backend (the pure-TS
// kernel twins on WideViews), with the same parameters, state, random stream and compile settings.
// What trace, statistics and gradientCheck run on with precision 'float64'; made per call and
// disposed after it, so no model ever shares arena space with another.

import { float64Backend } from '../backend.js';
import { ValidationError } from '../errors.js';
import { TrainingSession } from '../train/session.js';
import { Network } from './network.js';

export type Precision = 'float32' | 'float64';

export function checkPrecision(p: unknown, arg = 'precision'): Precision {
  if (p === undefined) return 'float32';
  if (p !== 'float32' && p !== 'float64') throw new ValidationError(arg, `expected 'float32' or 'float64', got ${JSON.stringify(p)}`);
  return p;
}

/** A copy of `net` (and of its session) computing in double precision. */
export function float64Twin(net: Network, session?: TrainingSession): { net: Network; session?: TrainingSession; dispose(): void } {
  net.checkAlive();
  const twin = new Network(float64Backend(), net.inputSize, net.specs);
  const src = net.arena.views.f32;
  const dst = twin.arena.views.f32;
  const copy = (from: number, to: number, n: number) => { for (let i = 0; i < n; i++) dst[(to >>> 2) + i] = src[(from >>> 2) + i]!; };
  net.params.forEach((p, i) => copy(p.ptr, twin.params[i]!.ptr, p.size));
  net.state.forEach((s, i) => copy(s.ptr, twin.state[i]!.ptr, s.size));
  twin.arena.views.u32.set(net.arena.views.u32.subarray(net.rngPtr >>> 2, (net.rngPtr >>> 2) + 4), twin.rngPtr >>> 2);
  const twinSession = session ? new TrainingSession(twin, session.settings) : undefined;
  return {
    net: twin,
    session: twinSession,
    dispose(): void {
      twinSession?.dispose();
      twin.dispose();
    },
  };
}

/** Runs `fn` on the network itself (float32, or a model already on the float64 backend) or on its float64 twin. */
export function withPrecision<R>(precision: Precision, net: Network, session: TrainingSession | undefined,
  fn: (net: Network, session: TrainingSession | undefined) => R): R {
  if (precision === 'float32' || net.backend.precision === 'float64') return fn(net, session);
  const twin = float64Twin(net, session);
  try {
    return fn(twin.net, twin.session);
  } finally {
    twin.dispose();
  }
}
