// The main browser bundle's stand-in for the inspection modules (nn/trace, nn/statistics,
// nn/unroll, nn/twin, train/gradcheck; src/web/build.mjs swaps it in): simdnet.js keeps its size
// budget, so these teaching and debugging tools are in Node and in the inline bundle
// (simdnet/browser/inline). Each says so.

import { SimdnetError } from '../errors.js';

const notHere = (what: string) => (): never => {
  throw new SimdnetError(`${what} is not in simdnet.js (the main browser bundle keeps its size budget); use 'simdnet/browser/inline' or Node`);
};

export const traceNetwork = notHere('model.trace');
export const networkStatistics = notHere('model.statistics');
export const summaryStats = notHere('summaryStats');
export const unroll = notHere('unroll');
export const reshape = notHere('reshape');
export const gradientCheck = notHere('gradientCheck');
export const checkSession = gradientCheck;
export const checkPrecision = gradientCheck;
export const withPrecision = gradientCheck;
export const float64Twin = gradientCheck;
