// The command line's dispatcher: parse, run one command, turn every error into one line on
// stderr and exit code 2 (with the stack under --debug).

import { readFileSync } from 'node:fs';
import { backendInfo, ready } from '../backend.js';
import { SimdnetError, ValidationError, setWarningHandler } from '../errors.js';
import { optionsHelp, parseArgs, readyOptions, THREADS_OPTION, UsageError, type OptionSpec } from './args.js';
import { DataError } from './data.js';
import { guardIo, processIo, type Io, type Mode } from './output.js';
import { TRAIN_OPTIONS, train } from './train.js';
import { EVALUATE_OPTIONS, PREDICT_OPTIONS, evaluate, predict } from './use.js';
import { EXPORT_OPTIONS, IMPORT_OPTIONS } from './interop-options.js';
import { QUANTIZE_OPTIONS } from './quantize-options.js';

const INFO_OPTIONS: Record<string, OptionSpec> = {
  backend: { type: 'string', choices: ['wasm', 'js'], help: 'report on this backend' },
  threads: THREADS_OPTION,
  json: { type: 'bool', help: 'print backendInfo() as JSON' },
  debug: { type: 'bool', help: 'show stack traces on errors' },
  help: { type: 'bool', help: 'show this help' },
};

const COMMANDS: Record<string, { usage: string; about: string; options: Record<string, OptionSpec>; args: number }> = {
  train: { usage: 'simdnet train <data> [options]', about: 'Train a classifier or a regressor on <data> (a CSV table, an IDX images file, or iris / digits), score it on a held-out part. A table is read as it is: text, dates and missing cells are handled by a column pipeline saved with the model.', options: TRAIN_OPTIONS, args: 1 },
  evaluate: { usage: 'simdnet evaluate <model.json> <data> [--json]', about: 'Score a saved model on labelled data (a table\'s columns are matched by name, in any order).', options: EVALUATE_OPTIONS, args: 2 },
  predict: { usage: 'simdnet predict <model.json> <data> [--proba] [--out predictions.csv]', about: 'Predict the class (or value) of every row of <data> (CSV out; columns matched by name).', options: PREDICT_OPTIONS, args: 2 },
  export: { usage: 'simdnet export <model.json> --format onnx|tfjs --out PATH [--opset 17]', about: 'Write a saved model as ONNX (with its standardization and class names) or as a TensorFlow.js Layers model.', options: EXPORT_OPTIONS, args: 1 },
  import: { usage: 'simdnet import <model.onnx | tfjs model.json> --out model.json', about: 'Read an ONNX model (torch.onnx, tf2onnx, skl2onnx, simdnet) or a TensorFlow.js Layers model into a simdnet model file.', options: IMPORT_OPTIONS, args: 1 },
  quantize: { usage: 'simdnet quantize <model.json> --calibration <data> --out model.int8.json [--percentile P]', about: 'Write an int8 copy of an MLP model file (per-channel int8 weights, activation ranges measured on <data>); predict and evaluate read it like the original.', options: QUANTIZE_OPTIONS, args: 1 },
  info: { usage: 'simdnet info [--json]', about: 'Show the backend, the WebAssembly binary, SIMD / relaxed SIMD / threads support and versions.', options: INFO_OPTIONS, args: 0 },
};

export const USAGE = `simdnet: neural networks on SIMD WebAssembly

usage:
  simdnet train <data> [--label COL] [--task classification|regression] [--model mlp|softmax|logistic|perceptron]
                [--strategy ovr|ovo] [--hidden 64,32] [--activation relu] [--optimizer adam]
                [--lr 0.001] [--epochs 50] [--batch-size 32] [--l2 0] [--dropout 0] [--batch-norm] [--class-weight balanced]
                [--validation-split 0.2] [--test-split 0.25] [--test-data FILE] [--scale standard|minmax|none] [--seed 1]
                [--drop COLS] [--features COLS] [--types COL=TYPE,...] [--impute median|mean|most-frequent|constant]
                [--missing impute|drop] [--delimiter C] [--decimal .|,] [--na LIST] [--header yes|no]
                [--backend wasm|js] [--threads N|auto] [--out model.json] [--report report.html] [--trajectory] [--json] [--quiet]
  simdnet evaluate <model.json> <data> [--json]
  simdnet predict  <model.json> <data> [--proba] [--out predictions.csv]
  simdnet export   <model.json> --format onnx|tfjs --out PATH [--opset 17]
  simdnet import   <model.onnx | tfjs model.json> --out model.json
  simdnet quantize <model.json> --calibration <data> --out model.int8.json [--percentile P]
  simdnet info

<data>: a CSV file, plain or gzip'd, '-' for standard input (label in the last column unless --label),
an IDX images file (the labels file beside it), or a bundled data set: iris, digits.
'simdnet <command> --help' lists a command's options. Errors exit with code 2.
`;

/** The installed package's version: package.json sits two levels above src/cli and dist/cli. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The commands by name (a Map: `simdnet constructor` is an unknown command, not Object.prototype's). */
const BY_COMMAND: ReadonlyMap<string, (typeof COMMANDS)[string]> = new Map(Object.entries(COMMANDS));

function help(command: string): string {
  const c = BY_COMMAND.get(command)!;
  return `usage: ${c.usage}\n\n${c.about}\n\noptions:\n${optionsHelp(c.options)}\n`;
}

async function info(io: Io, o: Record<string, unknown>): Promise<void> {
  await ready(readyOptions(o));
  const i = backendInfo();
  if (o.json) { io.out(JSON.stringify(i) + '\n'); return; }
  const yn = (b: boolean) => (b ? 'yes' : 'no');
  io.out([
    `backend        ${i.backend}`,
    `binary         ${i.binary}${i.binary === 'js' ? '' : `.wasm`}`,
    `why            ${i.why}`,
    `WASM SIMD      ${yn(i.simd)}`,
    `relaxed SIMD   ${yn(i.relaxedSimd)}`,
    `threads        ${yn(i.threads)} (kernels use ${i.threadCount})`,
    ...(i.node ? [`Node           ${i.node}`, `V8             ${i.v8}`] : []),
  ].join('\n') + '\n');
}

/** ValidationError arguments that name the data rather than an option: the message reads better without them. */
const DATA_ARGUMENTS = new Set(['csv', 'columns', 'label', 'text', 'path', 'source', 'pathOrText']);

function describeError(e: unknown): string {
  if (e instanceof ValidationError && DATA_ARGUMENTS.has(e.argument)) return e.message.slice(e.argument.length + 2);
  if (e instanceof UsageError || e instanceof DataError || e instanceof SimdnetError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && err.code && err.path) return `${err.path}: ${err.message.replace(/^[A-Z]+: /, '')}`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(e);
}

/** Runs the command line; returns the exit code. */
export async function main(argv: readonly string[], given: Io = processIo()): Promise<number> {
  const io = guardIo(given);
  const debug = argv.includes('--debug');
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (command === '--version' || command === 'version') {
      io.out(`simdnet ${packageVersion()}\n`);
      return 0;
    }
    const c = BY_COMMAND.get(command);
    if (!c) throw new UsageError(`unknown command ${JSON.stringify(command)}; the commands are train, evaluate, predict, export, import, quantize, info (see 'simdnet --help')`);
    const { positionals, options } = parseArgs(command, rest, c.options, c.args);
    if (options.help) { io.out(help(command)); return 0; }
    if (options.json && options.quiet) throw new UsageError('--json and --quiet exclude each other');
    const mode: Mode = options.json ? 'json' : options.quiet ? 'quiet' : 'text';
    setWarningHandler((w) => { if (mode !== 'quiet') io.err(`simdnet: warning: ${w.message}\n`); });
    switch (command) {
      case 'train': await train(io, mode, positionals[0], options); break;
      case 'evaluate': await evaluate(io, mode, positionals, options); break;
      case 'predict': await predict(io, positionals, options); break;
      case 'export': await (await import('./interop.js')).exportModel(io, positionals, options); break;
      case 'import': await (await import('./interop.js')).importModel(io, positionals, options); break;
      case 'quantize': await (await import('./quantize.js')).quantizeCommand(io, positionals, options); break;
      case 'info': await info(io, options); break;
    }
    return 0;
  } catch (e) {
    io.err(`simdnet: error: ${describeError(e).split('\n')[0]}\n`);
    if (debug && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return 2;
  }
}
