// Learning trajectories (the lecture notes' "plot parameter values in a low-dimensional space"):
// parameter snapshots θ_0 (before training), θ_1, … (after epochs), their first two principal
// components (PCA about the snapshots' mean), and the path drawn in the plane through the final
// weights θ_n that those two directions span, as Li, Xu, Taylor, Studer & Goldstein do in
// "Visualizing the Loss Landscape of Neural Nets" (NeurIPS 2018, §7): point i sits at
// ((θ_i − θ_n)·v₁, (θ_i − θ_n)·v₂), the final weights at the origin. Optionally the loss on a grid
// of that plane, J(θ_n + α·v₁ + β·v₂): the surface slice the report draws the path over.
//
// PCA of T snapshots of P parameters goes through the T × T Gram matrix of the centred snapshots
// (T is small, P large), diagonalized by cyclic Jacobi rotations in float64.

import { LifecycleError, ValidationError } from '../errors.js';

/** At most this many snapshots a fit keeps (the initial weights and the last ones included). */
export const MAX_TRAJECTORY_SNAPSHOTS = 256;
/** And at most this many bytes of them (float64, allocated once when fit starts). */
export const MAX_TRAJECTORY_BYTES = 256 * 2 ** 20;

/** What fit({ trajectory }) takes: true for the defaults. */
export interface TrajectoryOptions {
  /** A snapshot every `every` epochs (and after the last one). Default: 1, or the smallest step that keeps the
   *  snapshots within MAX_TRAJECTORY_SNAPSHOTS (256) when there are more epochs. */
  every?: number;
  /** The loss on a grid of the plane (default true): `grid` × `grid` evaluations on up to `rows` training rows. */
  surface?: boolean;
  /** Grid points per axis of the surface slice. Default 21. */
  grid?: number;
  /** Training rows the surface loss is computed on (the first ones of the shuffled training set, seeded). Default 1024. */
  rows?: number;
}

/** The loss over a grid of the trajectory's plane. */
export interface LossSurface {
  /** Grid coordinates along the first and second direction. */
  x: number[];
  y: number[];
  /** loss[j][i] = J(θ_n + x[i]·v₁ + y[j]·v₂), the compiled loss with its L2 term (inference mode). */
  loss: number[][];
  /** Rows of training data it was computed on. */
  rows: number;
}

/** history.trajectory: where the parameters went, in the plane of their first two principal components. */
export interface Trajectory {
  /** Epochs completed at each snapshot (0: the initial weights). */
  epoch: number[];
  /** Coordinates of each snapshot along v₁ and v₂, relative to the final weights (the last point is (0, 0)). */
  x: number[];
  y: number[];
  /** Fraction of the snapshots' variance along v₁ and v₂ (PCA's explained variance ratio). */
  explained: [number, number];
  /** The unit directions v₁ and v₂ (unrolled parameter layout, as getParams()). */
  directions: [Float64Array, Float64Array];
  /** The weights the plane passes through: the model's final parameters (getParams() after fit). */
  origin: Float64Array;
  surface?: LossSurface;
}

/** `every` undefined: chosen by the recorder from the epochs to run. */
export interface ResolvedTrajectory { every?: number; surface: boolean; grid: number; rows: number }

export function resolveTrajectory(t: boolean | TrajectoryOptions | undefined): ResolvedTrajectory | undefined {
  if (t === undefined || t === false) return undefined;
  if (t !== true && (typeof t !== 'object' || t === null)) throw new ValidationError('trajectory', `expected true or { every, surface, grid, rows }, got ${String(t)}`);
  const o: TrajectoryOptions = t === true ? {} : t;
  for (const key of Object.keys(o)) {
    if (!['every', 'surface', 'grid', 'rows'].includes(key)) throw new ValidationError(`trajectory.${key}`, 'is not an option (every, surface, grid, rows)');
  }
  const int = (v: unknown, arg: string, min: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValidationError(`trajectory.${arg}`, `expected an integer ≥ ${min}, got ${String(v)}`);
    return v;
  };
  const surface = o.surface ?? true;
  if (typeof surface !== 'boolean') throw new ValidationError('trajectory.surface', `expected a boolean, got ${String(surface)}`);
  return { every: o.every === undefined ? undefined : int(o.every, 'every', 1), surface, grid: int(o.grid ?? 21, 'grid', 3), rows: int(o.rows ?? 1024, 'rows', 1) };
}

/**
 * Eigenvalues and eigenvectors of a symmetric n × n matrix (row-major, float64) by cyclic Jacobi
 * rotations, sorted by decreasing eigenvalue. Vectors are the columns of `vectors` (row-major n × n).
 */
export function symmetricEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p]! * a[p * n + p]!;
      for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!, akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!, aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!, vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((col, c) => { for (let r = 0; r < n; r++) vectors[r * n + c] = v[r * n + col]!; });
  return { values, vectors };
}

/**
 * The first two principal directions of snapshots (each of length P) and the snapshots' coordinates
 * along them relative to `origin`. Directions are unit vectors; a direction along which the snapshots
 * do not vary at all is 0 (and its coordinates 0). Signs: the snapshot farthest along a direction has a
 * positive component (scikit-learn's svd_flip rule on the Gram eigenvectors).
 */
export function principalPlane(snapshots: readonly ArrayLike<number>[], origin: ArrayLike<number>): Pick<Trajectory, 'x' | 'y' | 'explained' | 'directions'> {
  const T = snapshots.length;
  const P = origin.length;
  if (T === 0) throw new ValidationError('snapshots', 'needs at least one snapshot');
  const mean = new Float64Array(P);
  for (const s of snapshots) for (let i = 0; i < P; i++) mean[i] += s[i]! / T;
  const centred = snapshots.map((s) => Float64Array.from({ length: P }, (_, i) => s[i]! - mean[i]!));
  const G = new Float64Array(T * T);
  for (let a = 0; a < T; a++) {
    for (let b = a; b < T; b++) {
      let d = 0;
      const ca = centred[a]!, cb = centred[b]!;
      for (let i = 0; i < P; i++) d += ca[i]! * cb[i]!;
      G[a * T + b] = d;
      G[b * T + a] = d;
    }
  }
  const { values, vectors } = symmetricEigen(G, T);
  let total = 0;
  for (let i = 0; i < T; i++) total += Math.max(0, values[i]!);
  const directions: [Float64Array, Float64Array] = [new Float64Array(P), new Float64Array(P)];
  const explained: [number, number] = [0, 0];
  for (let c = 0; c < 2 && c < T; c++) {
    const lambda = values[c]!;
    if (!(lambda > 1e-24 * Math.max(total, 1e-300)) || !(total > 0)) continue;
    let big = 0;
    for (let r = 0; r < T; r++) if (Math.abs(vectors[r * T + c]!) > Math.abs(vectors[big * T + c]!)) big = r;
    const sign = vectors[big * T + c]! < 0 ? -1 : 1;
    const v = directions[c]!;
    for (let r = 0; r < T; r++) {
      const u = (sign * vectors[r * T + c]!) / Math.sqrt(lambda);
      const cr = centred[r]!;
      for (let i = 0; i < P; i++) v[i] += u * cr[i]!;
    }
    explained[c] = lambda / total;
  }
  const coord = (s: ArrayLike<number>, v: Float64Array) => {
    let d = 0;
    for (let i = 0; i < P; i++) d += (s[i]! - origin[i]!) * v[i]!;
    return d;
  };
  return { x: snapshots.map((s) => coord(s, directions[0])), y: snapshots.map((s) => coord(s, directions[1])), explained, directions };
}

/** Grid coordinates covering values and 0 with a margin: `n` points from min − pad to max + pad (pad: 25 % of the span, at least 2 % of `scale`).
 *  With `width`, the axis is that wide instead, centred on the same interval (two axes of one width keep the plane's units equal). */
export function gridAxis(values: readonly number[], n: number, scale: number, width?: number): number[] {
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  const pad = Math.max(0.25 * (hi - lo), 0.02 * scale, 1e-6);
  lo -= pad;
  hi += pad;
  if (width !== undefined && width > hi - lo) {
    const mid = (lo + hi) / 2;
    [lo, hi] = [mid - width / 2, mid + width / 2];
  }
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/**
 * Records snapshots during fit into one float64 block allocated up front for the most snapshots the run
 * can take (2 + ⌈epochs / every⌉, capped: MAX_TRAJECTORY_SNAPSHOTS and MAX_TRAJECTORY_BYTES), and builds
 * the Trajectory at the end. `surfaceLoss(theta)` evaluates the loss at an unrolled parameter vector (the
 * fit loop passes one that writes the parameters, evaluates, and leaves them as they were).
 */
export class TrajectoryRecorder {
  /** Epochs between snapshots. */
  readonly every: number;
  /** Snapshots the block holds. */
  readonly capacity: number;
  private readonly store: Float64Array;
  private readonly epochs: number[] = [];

  /** `epochs`: how many epochs the run may still train (the snapshots' bound). */
  constructor(readonly options: ResolvedTrajectory, readonly paramCount: number, epochs: number) {
    const fit = Math.max(1, Math.ceil(epochs / (MAX_TRAJECTORY_SNAPSHOTS - 2)));
    this.every = options.every ?? fit;
    this.capacity = 2 + Math.ceil(epochs / this.every);
    if (this.capacity > MAX_TRAJECTORY_SNAPSHOTS) {
      throw new ValidationError('trajectory.every', `${epochs} epochs with a snapshot every ${this.every} give up to ${this.capacity} snapshots, over the cap of ${MAX_TRAJECTORY_SNAPSHOTS}: use every ≥ ${fit}, or leave it out (it is then chosen to fit)`);
    }
    const bytes = this.capacity * paramCount * 8;
    if (bytes > MAX_TRAJECTORY_BYTES) {
      throw new ValidationError('trajectory', `${this.capacity} snapshots of ${paramCount} parameters take ${(bytes / 2 ** 20).toFixed(1)} MB, over the cap of ${MAX_TRAJECTORY_BYTES / 2 ** 20} MB: raise trajectory.every to ${Math.ceil(epochs / Math.max(1, Math.floor(MAX_TRAJECTORY_BYTES / (paramCount * 8)) - 2))} or more`);
    }
    this.store = new Float64Array(this.capacity * paramCount);
  }

  /** Where θ after `epoch` epochs goes when it is due (epoch 0 and every `every`-th, or `force`), else undefined. */
  slot(epoch: number, force = false): Float64Array | undefined {
    if (!force && epoch % this.every !== 0) return undefined;
    if (this.epochs[this.epochs.length - 1] === epoch) return undefined;
    const i = this.epochs.length;
    if (i >= this.capacity) throw new LifecycleError(`trajectory: snapshot ${i + 1} over the ${this.capacity} allocated when fit started (epoch ${epoch})`);
    this.epochs.push(epoch);
    return this.store.subarray(i * this.paramCount, (i + 1) * this.paramCount);
  }

  /** Keeps θ after `epoch` epochs when it is due (slot()). */
  record(epoch: number, theta: ArrayLike<number>, force = false): void {
    this.slot(epoch, force)?.set(theta);
  }

  get count(): number { return this.epochs.length; }

  private get snapshots(): Float64Array[] {
    return this.epochs.map((_, i) => this.store.subarray(i * this.paramCount, (i + 1) * this.paramCount));
  }

  finish(finalTheta: ArrayLike<number>, surfaceLoss?: (theta: Float64Array) => number, surfaceRows = 0): Trajectory {
    const origin = Float64Array.from(finalTheta);
    const plane = principalPlane(this.snapshots, origin);
    const out: Trajectory = { epoch: this.epochs.slice(), ...plane, origin };
    if (surfaceLoss && this.options.surface) {
      let scale = 0;
      for (let i = 0; i < origin.length; i++) scale += origin[i]! * origin[i]!;
      scale = Math.sqrt(scale); // ‖θ_n‖: distances along the unit directions are in its units
      const n = this.options.grid;
      // One width for both axes: a unit along v₁ is as long as one along v₂, so the slice is not stretched.
      const width = (a: number[]) => a[a.length - 1]! - a[0]!;
      const wide = Math.max(width(gridAxis(plane.x, n, scale)), width(gridAxis(plane.y, n, scale)));
      const xs = gridAxis(plane.x, n, scale, wide);
      const ys = gridAxis(plane.y, n, scale, wide);
      const [v1, v2] = plane.directions;
      const theta = new Float64Array(origin.length);
      const loss = ys.map((b) => xs.map((a) => {
        for (let i = 0; i < theta.length; i++) theta[i] = origin[i]! + a * v1[i]! + b * v2[i]!;
        return surfaceLoss(theta);
      }));
      out.surface = { x: xs, y: ys, loss, rows: surfaceRows };
    }
    return out;
  }
}
