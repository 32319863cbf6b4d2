// Scalar math the pure-TS twins share, in f64 (src/ref/ and the activation table's twins).

export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** erfc(z) for z ≥ 0, fractional error < 1.2e-7 (Numerical Recipes' Chebyshev fit, as the kernels use). */
export function erfcPos(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  const p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(p - z * z);
}

/** Standard normal CDF. */
export function phi(x: number): number {
  const half = 0.5 * erfcPos(Math.abs(x) * Math.SQRT1_2);
  return x < 0 ? half : 1 - half;
}

/** 1/√(1 + a·x²). */
export const rsq = (x: number, a: number): number => 1 / Math.sqrt(1 + a * x * x);
