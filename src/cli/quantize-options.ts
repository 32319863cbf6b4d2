// The options of `simdnet quantize` (apart from the command, so the CLI's start does not load interop).

import type { OptionSpec } from './args.js';
import { THREADS_OPTION } from './args.js';
import { HEADER_OPTION } from './train-options.js';

export const QUANTIZE_OPTIONS: Record<string, OptionSpec> = {
  calibration: { type: 'string', value: 'DATA', help: 'rows to measure activation ranges on (a CSV, IDX file or bundled set, as for predict; a few hundred to a few thousand training rows)' },
  out: { type: 'string', value: 'model.int8.json', help: 'where to write the int8 model file' },
  percentile: { type: 'number', value: 'P', help: 'scale each input to this percentile of its values (90–100) instead of its maximum' },
  delimiter: { type: 'string', value: 'C', help: "CSV field delimiter: one character, tab, or 'auto' (default: sniffed)" },
  decimal: { type: 'string', choices: ['.', ',', 'auto'], help: "decimal mark (default 'auto')" },
  header: HEADER_OPTION,
  backend: { type: 'string', choices: ['wasm', 'js'], help: 'compute backend (default wasm when the host runs WASM SIMD)' },
  threads: THREADS_OPTION,
  debug: { type: 'bool', help: 'show stack traces on errors' },
  help: { type: 'bool', help: 'show this help' },
};
