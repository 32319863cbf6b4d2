// onnxruntime-web (the WebAssembly build of ONNX Runtime) in Node: the engine the exported files
// are checked against. One thread, no proxy worker.

import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export type Feed = Float32Array | { data: Float32Array; dims: number[] };

export interface OrtOutput { data: Float32Array | Float64Array | BigInt64Array | string[]; dims: readonly number[] }

/** Runs an ONNX model once; returns every output by name. */
export async function runOnnx(bytes: Uint8Array, feeds: Record<string, { data: Float32Array; dims: number[] }>, fetches?: string[]): Promise<Record<string, OrtOutput>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) inputs[k] = new ort.Tensor('float32', v.data, v.dims);
    const r = fetches ? await session.run(inputs, fetches) : await session.run(inputs);
    const out: Record<string, OrtOutput> = {};
    for (const [k, t] of Object.entries(r)) out[k] = { data: t.data as OrtOutput['data'], dims: t.dims };
    return out;
  } finally {
    await session.release();
  }
}
