// The options of `simdnet export` and `simdnet import` (kept apart from their code, which loads
// the interop module only when one of these commands runs).

import type { OptionSpec } from './args.js';

export const EXPORT_OPTIONS: Record<string, OptionSpec> = {
  format: { type: 'string', choices: ['onnx', 'tfjs'], help: 'onnx (a .onnx file) or tfjs (a directory with model.json and weights.bin)' },
  out: { type: 'string', value: 'PATH', help: 'the .onnx file, or the tfjs directory, to write' },
  opset: { type: 'int', min: 13, max: 21, value: 'N', help: 'ONNX opset (default 17)' },
  debug: { type: 'bool', help: 'show stack traces on errors' },
  help: { type: 'bool', help: 'show this help' },
};

export const IMPORT_OPTIONS: Record<string, OptionSpec> = {
  out: { type: 'string', value: 'model.json', help: 'where to write the simdnet model' },
  output: { type: 'string', value: 'NAME', help: 'ONNX: the graph output the network computes (default: the only float output)' },
  sequential: { type: 'bool', help: "write a plain Sequential JSON even for a classifier (default: a model file 'simdnet predict' reads)" },
  debug: { type: 'bool', help: 'show stack traces on errors' },
  help: { type: 'bool', help: 'show this help' },
};
