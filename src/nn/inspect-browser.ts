// The main browser bundle's stand-in for the inspection modules (nn/trace, nn/statistics,
// nn/unroll, nn/twin, nn/softmax, train/gradcheck; src/web/build.mjs swaps it in): simdnet.js keeps
// its size budget, so model.trace, model.statistics, model.inputGradient, gradientCheck, unroll,
// reshape, summaryStats, logSoftmax and softmaxJacobian are in Node and in the inline bundle
// (simdnet/browser/inline). Each says so.

import { SimdnetError } from '../errors.js';

const notHere = (): never => {
  throw new SimdnetError("the inspection tools (trace, statistics, gradientCheck, unroll, logSoftmax…) are not in simdnet.js; use 'simdnet/browser/inline' or Node");
};

export {
  notHere as traceNetwork, notHere as inputGradientOf, notHere as networkStatistics, notHere as summaryStats, notHere as unroll,
  notHere as reshape, notHere as logSoftmax, notHere as softmaxJacobian, notHere as gradientCheck, notHere as checkSession,
  notHere as checkPrecision, notHere as withPrecision, notHere as float64Twin,
};
