// `simdnet quantize <model.json> --calibration <data> --out <model.int8.json>`: an MLP model file
// with its dense layers in int8 (src/interop/quantize.ts). The calibration rows go through the
// model file's own preprocessing (column pipeline or scaler), so they are what the network sees;
// the output is a model file like the input (same preprocessing, classes and target) whose
// `model` is the int8 network, and `simdnet predict` / `evaluate` read it as they read the original.

import { resolve } from 'node:path';
import { ready } from '../backend.js';
import { quantize } from '../interop/quantize.js';
import { assertWritable, writeFileAtomic } from '../io/atomic.js';
import { Sequential } from '../nn/sequential.js';
import { readyOptions, UsageError } from './args.js';
import { readModelFile } from './modelfile.js';
import type { Io } from './output.js';
import { openData } from './use.js';


export async function quantizeCommand(io: Io, args: string[], o: Record<string, unknown>): Promise<void> {
  const modelPath = args[0];
  if (!modelPath) throw new UsageError("'simdnet quantize' needs <model.json>");
  if (o.calibration === undefined) throw new UsageError('--calibration <data> is required: the rows the activation ranges are measured on');
  if (o.out === undefined) throw new UsageError('--out <file> is required: where to write the int8 model file');
  const out = resolve(String(o.out));
  assertWritable(out, '--out');
  const file = readModelFile(modelPath);
  if (file.kind !== 'mlp') throw new UsageError(`${modelPath}: a ${file.kind} model; 'simdnet quantize' quantizes MLP models (--model mlp)`);
  if ((file.model as { format?: unknown })?.format === 'simdnet.int8') throw new UsageError(`${modelPath}: already an int8 model`);
  await ready(readyOptions(o));
  const { X, source } = openData(file, String(o.calibration), o, false);
  const net = Sequential.fromJSON(file.model);
  try {
    const q = quantize(net, { calibration: X, ...(o.percentile !== undefined ? { percentile: o.percentile as number } : {}) });
    const int8 = { ...file, training: { ...file.training, int8: { calibration: source, ...q.calibration } }, model: q.toJSON() };
    writeFileAtomic(out, JSON.stringify(int8), '--out');
    io.err(`wrote the int8 model to ${out} (${q.layers.length} dense layers, ${q.weightBytes.toLocaleString('en-US')} bytes of weights; calibrated on ${X.rows} rows of ${source}, ${q.calibration.method})\n`);
    q.dispose();
  } finally {
    net.dispose();
  }
}
