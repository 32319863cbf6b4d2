// The options of `simdnet quantize` (apart from the command, so the CLI's start does not load interop).

import type { OptionSpec } from './args.js';
import { MODEL_DATA_OPTIONS } from './train-options.js';

export const QUANTIZE_OPTIONS: Record<string, OptionSpec> = {
  calibration: { type: 'string', value: 'DATA', help: 'rows to measure activation ranges on (a CSV, IDX file or bundled set, as for predict; a few hundred to a few thousand training rows)' },
  out: { type: 'string', value: 'model.int8.json', help: 'where to write the int8 model file' },
  percentile: { type: 'number', value: 'P', help: 'scale each input to this percentile of its values (90–100) instead of its maximum' },
  ...MODEL_DATA_OPTIONS,
};
