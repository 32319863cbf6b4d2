// Shared pieces of the scikit-learn-style estimators: input and label validation, label
// encoding back and forth, option checks, JSON helpers and the registry wrappers use to rebuild
// their sub-models.

import { ModelFormatError, NotFittedError, ValidationError } from '../errors.js';
import { checkLabels, uniqueLabels, type Label, type Labels } from '../data/labels.js';
import { toMatrix, type Matrix, type MatrixLike } from '../data/matrix.js';

export { argmaxRows } from '../data/matrix.js';
import { classWeights, sampleWeights, type ClassWeight } from '../data/weights.js';

/** Class labels as an estimator reports them: all numbers or all strings. */
export type ClassList = number[] | string[];

/** What a classifier offers; the one-vs-rest / one-vs-one wrappers need nothing more. */
export interface Classifier {
  readonly classes: ClassList | undefined;
  /** `sampleWeight`: one weight ≥ 0 per row, multiplying its term of the loss (and its class weight). */
  fit(X: MatrixLike, y: Labels, sampleWeight?: ArrayLike<number>): this;
  predict(X: MatrixLike): ClassList;
  predictProba(X: MatrixLike): Matrix;
  /** Binary: one column, the score of the second class (positive means classes[1]); else rows × K. */
  decisionFunction(X: MatrixLike): Matrix;
  score(X: MatrixLike, y: Labels): number;
  toJSON(): EstimatorJSON;
  dispose(): void;
}

export interface EstimatorJSON {
  format: 'simdnet.estimator';
  type: string;
  version: number;
  [key: string]: unknown;
}

export const ESTIMATOR_FORMAT = 'simdnet.estimator';
export const ESTIMATOR_VERSION = 1;

/** Validates X (finite, rectangular, non-empty) and, after fit, its column count. */
export function checkX(X: MatrixLike, nFeatures?: number, arg = 'X'): Matrix {
  const M = toMatrix(X, arg);
  if (nFeatures !== undefined && M.cols !== nFeatures) {
    throw new ValidationError(arg, `has ${M.cols} columns, the model was fitted with ${nFeatures}`);
  }
  return M;
}

export interface EncodedLabels {
  classes: ClassList;
  /** Index into classes per row. */
  codes: Int32Array;
}

/**
 * Checks y against X's row count and maps it to class indices. With `given` (an explicit class
 * list) every label must be one of those classes; otherwise the classes are the sorted distinct labels.
 */
export function encodeLabels(y: Labels, rows: number, given?: ClassList): EncodedLabels {
  checkLabels(y, 'y', false, false);
  if (y.length !== rows) throw new ValidationError('y', `has ${y.length} labels, X has ${rows} rows`);
  let classes: ClassList;
  if (given !== undefined) {
    const kind = checkLabels(given, 'classes', false, false);
    if (kind !== typeof y[0]) throw new ValidationError('classes', `holds ${kind}s but y holds ${typeof y[0]}s`);
    if (new Set<Label>(given).size !== given.length) throw new ValidationError('classes', 'lists a class twice');
    classes = given.slice() as ClassList;
  } else {
    classes = uniqueLabels(y as ArrayLike<Label>) as ClassList;
  }
  const index = new Map<Label, number>((classes as Label[]).map((c, i) => [c, i]));
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = index.get(y[i]!);
    if (c === undefined) {
      throw new ValidationError('y', `y[${i}] = ${JSON.stringify(y[i])} is not one of the ${classes.length} given classes (${(classes as Label[]).slice(0, 10).map((l) => JSON.stringify(l)).join(', ')}${classes.length > 10 ? ', ...' : ''})`);
    }
    codes[i] = c;
  }
  return { classes, codes };
}

/**
 * Row weights of a fit: the class weight of each row's class (classWeight 'balanced', an array by
 * class index, or an object by label) times its sample weight; undefined when neither is given.
 */
export function fitWeights(codes: Int32Array, classes: ClassList, classWeight: ClassWeight | undefined, sampleWeight: ArrayLike<number> | undefined): Float32Array | undefined {
  if (classWeight === undefined && sampleWeight === undefined) return undefined;
  const perClass = classWeight === undefined ? undefined : classWeights(codes, classes.length, classWeight, 'classWeight', classes);
  return sampleWeights(codes, codes.length, perClass, sampleWeight, 'sampleWeight');
}

export function optClassWeight(v: unknown): ClassWeight | undefined {
  if (v === undefined || v === 'balanced') return v;
  if (v !== null && typeof v === 'object') return v as ClassWeight;
  throw new ValidationError('classWeight', `expected 'balanced', an array of weights by class index or an object of weights by class, got ${JSON.stringify(v)}`);
}

/** A binary model needs both classes present in y. */
export function requireTwoClasses(codes: Int32Array, classes: ClassList, model: string): void {
  const seen = new Set<number>(codes);
  if (seen.size < 2) {
    const only = classes[codes[0]!]!;
    throw new ValidationError('y', `holds a single class (${JSON.stringify(only)}); ${model} needs examples of at least two classes to separate`);
  }
}

/** Class indices → the user's labels. */
export function decodeLabels(codes: ArrayLike<number>, classes: ClassList): ClassList {
  const out = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = classes[codes[i]!];
  return out as ClassList;
}

export function notFitted(name: string, method: string): NotFittedError {
  return new NotFittedError(`${name} is not fitted yet: call fit(X, y) before ${method}()`);
}

// ---- option checks --------------------------------------------------------------------------

export function optPositiveInt(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValidationError(arg, `expected a positive integer, got ${String(v)}`);
  return v;
}

export function optPositive(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValidationError(arg, `expected a finite number > 0, got ${String(v)}`);
  return v;
}

export function optNonNegative(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(arg, `expected a finite number ≥ 0, got ${String(v)}`);
  return v;
}

export function optSeed(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ValidationError('seed', `expected an integer, got ${String(v)}`);
  return v >>> 0;
}

export function optOneOf<T extends string>(v: unknown, allowed: readonly T[], arg: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ValidationError(arg, `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

export function optBoolean(v: unknown, arg: string): boolean {
  if (typeof v !== 'boolean') throw new ValidationError(arg, `expected true or false, got ${String(v)}`);
  return v;
}

// ---- JSON ------------------------------------------------------------------------------------

/** Parses (if a string) and checks the envelope of an estimator JSON of the given type. */
export function readJson(json: unknown, type: string): EstimatorJSON {
  let j = json;
  if (typeof j === 'string') {
    try {
      j = JSON.parse(j);
    } catch (e) {
      throw new ModelFormatError(`${type} JSON is not valid JSON: ${(e as Error).message}`);
    }
  }
  const o = j as Partial<EstimatorJSON> | null;
  if (!o || typeof o !== 'object' || o.format !== ESTIMATOR_FORMAT) {
    throw new ModelFormatError(`not a simdnet estimator: expected format "${ESTIMATOR_FORMAT}", got ${JSON.stringify(o && (o as { format?: unknown }).format)}`);
  }
  if (o.type !== type) throw new ModelFormatError(`expected a ${type}, the JSON holds a ${String(o.type)}`);
  if (o.version !== ESTIMATOR_VERSION) throw new ModelFormatError(`${type} JSON version ${String(o.version)} is not supported (this simdnet reads version ${ESTIMATOR_VERSION})`);
  return o as EstimatorJSON;
}

export function jsonClasses(j: EstimatorJSON): ClassList | undefined {
  const c = j.classes;
  if (c === undefined || c === null) return undefined;
  try {
    checkLabels(c, 'classes', false, false);
  } catch (e) {
    throw new ModelFormatError(`${j.type} JSON: bad classes: ${(e as Error).message}`);
  }
  return (c as ClassList).slice() as ClassList;
}

export function jsonNumbers(v: unknown, what: string, n?: number): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)) || (n !== undefined && v.length !== n)) {
    throw new ModelFormatError(`${what} must be an array of ${n ?? 'the'} finite numbers`);
  }
  return v as number[];
}

/** Runs a constructor on JSON-provided options, turning a validation failure into a format error. */
export function fromJsonOptions<T>(type: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(`${type} JSON is corrupt: ${(e as Error).message}`);
  }
}

interface Registered {
  fromJSON: (json: EstimatorJSON) => Classifier;
  /** A new, unfitted estimator with these options (what a wrapper's factory does). */
  create?: (options: Record<string, unknown>) => Classifier;
}
const registry = new Map<string, Registered>();

/** @internal Lets the wrappers rebuild sub-models of any registered type. */
export function registerClassifier(type: string, entry: Registered): void {
  registry.set(type, entry);
}

/** @internal Rebuilds a classifier from its toJSON() output. */
export function classifierFromJSON(json: unknown): Classifier {
  const o = json as Partial<EstimatorJSON> | null;
  const entry = o && typeof o === 'object' ? registry.get(String(o.type)) : undefined;
  if (!entry) throw new ModelFormatError(`unknown estimator type ${JSON.stringify(o && (o as { type?: unknown }).type)}`);
  return entry.fromJSON(o as EstimatorJSON);
}

/** @internal A new, unfitted classifier of a registered type with these options. */
export function createClassifier(type: string, options: Record<string, unknown> = {}): Classifier {
  const create = registry.get(type)?.create;
  if (!create) throw new ValidationError('type', `no estimator type ${JSON.stringify(type)} can be created; known: ${[...registry.keys()].filter((t) => registry.get(t)!.create).join(', ')}`);
  return create(options);
}

/** @internal A factory making unfitted copies of the estimator a JSON describes, when its type supports it. */
export function factoryFromJSON(json: EstimatorJSON): (() => Classifier) | undefined {
  const create = registry.get(json.type)?.create;
  const options = (json.options ?? {}) as Record<string, unknown>;
  return create && (() => create(options));
}

/**
 * Throws a ValidationError unless `options` is a plain object whose every key is one of `accepted`
 * (a misspelt option would otherwise be ignored and its default used without a word).
 */
export function checkOptionNames(options: unknown, accepted: Readonly<Record<string, true>>, estimator: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError('options', `${estimator} expected an object of options, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(accepted, key)) throw new ValidationError(key, `is not an option of ${estimator}; accepted: ${Object.keys(accepted).join(', ')}`);
  }
}

/** Copies options into a plain JSON object (drops undefined). */
export function plainOptions<T extends object>(o: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
}
