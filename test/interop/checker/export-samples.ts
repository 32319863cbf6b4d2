// Writes one ONNX file per kind of export into a directory, for check_onnx.py (Debian's
// python3-onnx checker, run by .ci/run next to npm test):
//   node --import ./bench/ts-loader.mjs test/interop/checker/export-samples.ts <dir>
// Every activation at every opset the checker knows (13..17 with onnx 1.12), batch norm and
// dropout, every estimator, a CLI-style classifier with a scaler and string labels, and CLI-style
// models after column pipelines of every column kind (penguins_raw.csv and a synthetic table).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTIVATIONS, batchNorm, ColumnPipeline, parseTable, readTable, dense, dropout, LogisticRegression, MLPClassifier, MLPRegressor, OneVsOneClassifier, OneVsRestClassifier,
  Perceptron, ready, Sequential, setWarningHandler, SoftmaxRegression, type Classifier,
} from '../../../src/index.js';
import { toONNX } from '../../../src/interop/index.js';
import { activationRecord } from '../../../src/nn/activations.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: export-samples.ts <dir>');
mkdirSync(dir, { recursive: true });
await ready();
setWarningHandler(() => {});
const maxOpset = Number(process.argv[3] ?? 17);
let n = 0;
const put = (name: string, bytes: Uint8Array) => { writeFileSync(join(dir, `${name}.onnx`), bytes); n++; };

for (const act of ACTIVATIONS) {
  const layers = !activationRecord(act).hidden ? [dense(6, { activation: 'relu' }), batchNorm(), dense(3, { activation: act })] : [dense(6, { activation: act }), batchNorm(), dropout(0.1), dense(2, { activation: act })];
  const m = new Sequential({ inputSize: 4, seed: 1, layers });
  for (let opset = 13; opset <= maxOpset; opset++) put(`sequential_${act}_opset${opset}`, toONNX(m, { opset }));
  m.dispose();
}
const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(i * 1.3), (i % 7) / 3, ((i * 5) % 11) / 4]);
const y3 = X.map((r) => (r[0]! + r[1]! > 0.5 ? 2 : r[2]! > 1 ? 1 : 0));
const ys = y3.map((c) => ['a', 'b', 'c'][c]!);
const yb = y3.map((c) => (c === 2 ? 1 : 0));
const estimators: [string, Classifier, (number | string)[]][] = [
  ['logistic_binary', new LogisticRegression(), yb], ['logistic_multinomial', new LogisticRegression(), ys], ['softmax', new SoftmaxRegression(), y3],
  ['perceptron_binary', new Perceptron(), yb], ['perceptron_multiclass', new Perceptron(), ys],
  ['mlp_binary', new MLPClassifier({ hiddenLayers: [4], maxIter: 5 }), yb], ['mlp_multiclass', new MLPClassifier({ hiddenLayers: [4], maxIter: 5 }), ys],
  ['ovr_logistic', new OneVsRestClassifier(() => new LogisticRegression()), y3], ['ovr_mlp', new OneVsRestClassifier(() => new MLPClassifier({ hiddenLayers: [3], maxIter: 3 })), ys],
  ['ovo_perceptron', new OneVsOneClassifier(() => new Perceptron()), ys], ['ovo_softmax', new OneVsOneClassifier(() => new SoftmaxRegression()), y3],
];
for (const [name, est, y] of estimators) {
  est.fit(X, y as number[]);
  for (const opset of [13, maxOpset]) put(`estimator_${name}_opset${opset}`, toONNX(est, { opset }));
}
const reg = new MLPRegressor({ hiddenLayers: [3], maxIter: 3 }).fit(X, X.map((r) => r[0]!));
put('estimator_mlp_regressor', toONNX(reg));
const clf = new Sequential({ inputSize: 4, seed: 2, layers: [dense(5, { activation: 'gelu' }), dense(3, { activation: 'softmax' })] });
put('cli_classifier_scaler_labels', toONNX(clf, { classLabels: ['setosa', 'versicolor', 'virginica'], scaler: { mean: [5.8, 3, 3.7, 1.2], scale: [0.8, 0.4, 1.7, 0.7] } }));
const lines = ['n,when,color,flag,label,target'];
for (let k = 0; k < 40; k++) lines.push([k % 9 ? String(k / 7) : '', k % 11 ? `20${10 + (k % 13)}-0${1 + (k % 9)}-1${k % 10} 0${k % 10}:${10 + k}` : 'NA', ['red', 'green', 'blue', '', 'teal'][k % 5], k % 7 ? ['yes', 'No'][k % 2] : '', ['a', 'b'][k % 2], String(k % 3)].join(','));
const tables = [
  ['penguins_raw', readTable(join(import.meta.dirname, '../../fixtures/tables/penguins_raw.csv')), { label: 'Species', drop: ['Comments', 'Individual ID', 'Sample Number', 'studyName'] }],
  ['synthetic', parseTable(lines.join('\n')), { label: 'target', maxCategories: 3 }],
] as const;
for (const [name, table, options] of tables) {
  const p = ColumnPipeline.fit(table, options);
  const net = new Sequential({ inputSize: p.width, seed: 3, layers: [dense(5, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
  const reg = new Sequential({ inputSize: p.width, seed: 3, layers: [dense(4, { activation: 'tanh' }), dense(1)] });
  for (const opset of [13, maxOpset]) {
    put(`cli_columns_${name}_classifier_opset${opset}`, toONNX(net, { opset, pipeline: p.toJSON(), classLabels: ['x', 'y', 'z'] }));
    put(`cli_columns_${name}_regression_opset${opset}`, toONNX(reg, { opset, pipeline: p.toJSON(), targetScale: { center: 4200, scale: 800 }, inputName: 'X', outputName: 'variable' }));
  }
  const logistic = new LogisticRegression().fit(p.transform(table).X, Array.from({ length: table.rows }, (_, k) => k % 3));
  put(`cli_columns_${name}_logistic`, toONNX(logistic, { pipeline: p.toJSON(), classLabels: ['x', 'y', 'z'] }));
  net.dispose();
  reg.dispose();
}
console.log(`wrote ${n} ONNX files to ${dir}`);
