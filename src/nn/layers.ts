// The layer types: specs (plain, serializable data made by dense(), dropout(), batchNorm()) and
// their runtimes (layers/: one file per type, the protocol in layers/runtime.ts). This table is
// the one place that knows which types exist; adding a type is its file, one entry here, and its
// factory's export in src/index.ts.

import { ValidationError } from '../errors.js';
import { BATCH_NORM, type BatchNormSpec } from './layers/batchnorm.js';
import { DENSE, type DenseSpec } from './layers/dense.js';
import { DROPOUT, type DropoutSpec } from './layers/dropout.js';
import type { LayerContext, LayerRuntime, LayerType } from './layers/runtime.js';

export { dense, DenseRuntime, DIRECT_MAX_ROWS, type DenseOptions, type DenseSpec } from './layers/dense.js';
export { dropout, DropoutRuntime, type DropoutSpec } from './layers/dropout.js';
export { batchNorm, BatchNormRuntime, type BatchNormSpec } from './layers/batchnorm.js';
export {
  LayerRuntime, type LayerContext, type LayerDescription, type LayerSignals, type LayerType, type OutputLayer, type ParamTensor, type Probe,
  type StateTensor,
} from './layers/runtime.js';

export type LayerSpec = DenseSpec | DropoutSpec | BatchNormSpec;

const TYPES = new Map<string, LayerType>(([DENSE, DROPOUT, BATCH_NORM] as LayerType[]).map((t) => [t.type, t]));

/** @internal Adds a layer type (tests of the protocol; future types register the same way). */
export function registerLayerType(entry: LayerType<{ type: string }>): void {
  TYPES.set(entry.type, entry as LayerType);
}

/** "a, b or c" */
function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** @internal The registered type of a normalized spec. */
export function layerType(type: string): LayerType {
  return TYPES.get(type)!;
}

/** The types that can end a network, for messages. */
export function outputTypes(): string[] {
  return [...TYPES.values()].filter((t) => t.output).map((t) => t.type);
}

export function createRuntime(ctx: LayerContext, spec: LayerSpec, inSize: number): LayerRuntime {
  return layerType(spec.type).create(ctx, spec, inSize);
}

/** Validates a spec coming from JSON or user code (defaults filled by the factories). */
export function normalizeSpec(raw: unknown, index: number): LayerSpec {
  const s = raw as Record<string, unknown>;
  const arg = `layers[${index}]`;
  const names = [...TYPES.keys()];
  if (!s || typeof s !== 'object') throw new ValidationError(arg, `expected a layer from ${orList(names.map((n) => `${n}()`))}, got ${String(raw)}`);
  const t = typeof s.type === 'string' ? TYPES.get(s.type) : undefined;
  if (!t) throw new ValidationError(`${arg}.type`, `expected ${orList(names.map((n) => `'${n}'`))}, got ${JSON.stringify(s.type)}`);
  return t.normalize(s) as LayerSpec;
}
