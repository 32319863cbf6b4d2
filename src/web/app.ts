// The demo page: pick data and a network, train it in a Web Worker with live charts (per batch
// inside long epochs), decision regions for 2-D sets, a confusion matrix, a drawing pad for digits
// and the training report. Imports the library from the built bundle (../browser/simdnet.js; see
// build.mjs). Data sets and their suggested settings: presets.ts; the form: form.ts; what a run
// shows: view.ts.

import {
  argmaxAt, backendInfo, dense, downsampleDigit, HIDDEN_ACTIVATIONS, OPTIMIZERS, preloadDigits, ready, Sequential,
  trainingReport, trainingThroughput, trainInWorker,
  type BackendInfo, type BatchProgress, type History, type WorkerProgress, type WorkerTraining,
} from './browser.js';
import { lossAlarm } from './advice.js';
import { FIELDS, parseSettings, showErrors } from './form.js';
import { DrawingPad } from './pad.js';
import { prepare, PRESETS, type DatasetName, type Prepared } from './presets.js';
import {
  $, drawRegions, plural, rate, renderCharts, renderConfusion, renderStats, resetResults, statsOfBatch, statsOfEpoch,
} from './view.js';

const SEED = 1;

/** The choices of a <select> from the library's own list (the activation and optimizer tables). */
function fillOptions(id: string, names: readonly string[], selected: string): void {
  $<HTMLSelectElement>(id).replaceChildren(...names.map((n) => new Option(n, n, n === selected, n === selected)));
}

const value = (id: string): string => ($(id) as HTMLInputElement | HTMLSelectElement).value;
const logScale = (): boolean => $<HTMLInputElement>('log-loss').checked;

let running: WorkerTraining | undefined;
let trained: { model: Sequential; data: Prepared; history: History; backend: BackendInfo; seconds: number } | undefined;
let pad: DrawingPad;
let binary = '';
/** Training rows of each data set once prepared (bounds the batch size when a field is re-checked). */
const knownRows: Partial<Record<DatasetName, number>> = {};
/** What the charts show, so the log-scale switch can redraw them. */
let shown: { progress: WorkerProgress[]; epochs: number; partial?: BatchProgress } = { progress: [], epochs: 20 };

function setStatus(state: string, text: string): void {
  const el = $('status');
  el.dataset.state = state;
  el.textContent = text;
}

function warn(text: string | undefined): void {
  const el = $('warning');
  if (text === undefined || el.textContent === text) return;
  el.textContent = text;
  el.hidden = false;
}

const isToy = (name: string) => !['digits', 'iris'].includes(name);

/** Discards the last run (its model too): another data set, or an error before training. */
function forgetRun(twoD: boolean): void {
  shown = { progress: [], epochs: Number(value('epochs')) || 1 };
  resetResults(twoD ? { grid: true } : undefined, shown.epochs, binary, logScale());
  trained?.model.dispose();
  trained = undefined;
  $('probs').innerHTML = '';
  $('draw-hint').textContent = 'Train on digits, then draw a digit (0–9) in the box.';
}

function rawForm() {
  return { hidden: value('hidden'), activation: value('activation'), optimizer: value('optimizer'), lr: value('lr'), epochs: value('epochs'), batch: value('batch') };
}

async function train(): Promise<void> {
  if (running) return;
  const name = value('dataset') as DatasetName;
  let data: Prepared;
  try {
    if (name === 'digits') await preloadDigits();
    data = prepare(name, SEED);
  } catch (e) {
    forgetRun(false);
    setStatus('error', (e as Error).message);
    return;
  }
  const { settings, errors } = parseSettings(rawForm(), data.XTrain.rows);
  if (!showErrors(errors) || !settings) {
    setStatus('invalid', `Not started: fix the ${plural(Object.keys(errors).length, 'marked field')} first.`);
    return;
  }
  const k = data.classNames.length;
  const { epochs, learningRate } = settings;
  shown = { progress: [], epochs };
  resetResults(data, epochs, binary, logScale());
  if (name !== 'digits') $('probs').innerHTML = '';
  if (data.grid) drawRegions(data, undefined, k);
  setStatus('training', `Training on ${name} (${plural(data.XTrain.rows, 'sample')}) in a worker…`);
  knownRows[name] = data.XTrain.rows;
  $('train').setAttribute('disabled', '');
  $('dataset').setAttribute('disabled', '');
  $('stop').removeAttribute('disabled');
  const t0 = performance.now();
  // Every training loss seen: running means inside epochs and epoch means, so a climb in the first epoch is caught too.
  const seen: number[] = [];
  const alarm = (loss: number) => { seen.push(loss); warn(lossAlarm(seen, k, learningRate)); };
  running = trainInWorker({
    X: data.transform(data.XTrain),
    y: data.yTrain,
    layers: [...settings.hidden.map((u) => dense(u, { activation: settings.activation })), dense(k, { activation: 'softmax' })],
    seed: SEED,
    compile: { optimizer: { type: settings.optimizer, learningRate } },
    fit: { epochs, batchSize: settings.batchSize, validationData: [data.transform(data.XVal), data.yVal] },
    probe: data.grid?.X,
  }).onProgress((p) => {
    shown.progress.push(p);
    shown.partial = undefined;
    renderCharts(shown.progress, epochs, logScale());
    renderStats(statsOfEpoch(p, binary));
    alarm(p.loss);
    if (data.grid) {
      drawRegions(data, p.probe, k);
      $('regions').dataset.epoch = String(p.epoch);
    }
  }).onBatchProgress((b) => {
    shown.partial = b;
    renderCharts(shown.progress, epochs, logScale(), b);
    renderStats(statsOfBatch(b, shown.progress[shown.progress.length - 1], binary));
    alarm(b.loss);
  });
  try {
    const { modelJson, history, backend, stopped } = await running.result;
    const seconds = (performance.now() - t0) / 1000;
    const model = Sequential.fromJSON(modelJson);
    trained?.model.dispose();
    trained = { model, data, history, backend, seconds };
    binary = binaryLabel(backend);
    const last = shown.progress[shown.progress.length - 1];
    if (last) renderStats({ ...statsOfEpoch(last, binary), samplesPerSec: rate(trainingThroughput(history)) });
    renderConfusion(data, model.predictClasses(data.transform(data.XVal)));
    const acc = history.valAccuracy[history.valAccuracy.length - 1];
    const accText = acc === undefined ? '' : `, validation accuracy ${(acc * 100).toFixed(1)} %`;
    if (stopped) {
      const where = stopped.batch < stopped.batches
        ? `in epoch ${stopped.epoch} of ${epochs}, after ${stopped.batch.toLocaleString('en-US')} of ${plural(stopped.batches, 'batch', 'batches')}`
        : `after epoch ${stopped.epoch} of ${epochs}`;
      setStatus('stopped', `Stopped ${where} (${seconds.toFixed(1)} s)${accText}. The model is kept as it was.`);
    } else {
      const exploded = !$('warning').hidden;
      setStatus(exploded ? 'stopped' : 'done', `Done: ${plural(history.epoch.length, 'epoch')} in ${seconds.toFixed(1)} s${accText}.${exploded ? ' The loss exploded on the way (see above).' : ''}`);
    }
    $('report-button').removeAttribute('disabled');
    $('draw-hint').textContent = name === 'digits' ? 'Draw a digit (0–9) in the box.' : 'Train on digits to classify a drawing.';
    if (name === 'digits' && !pad.isEmpty()) classifyDrawing();
  } catch (e) {
    trained?.model.dispose();
    trained = undefined;
    $('confusion').innerHTML = '<p class="muted">No model: training failed.</p>';
    setStatus('error', (e as Error).message);
  } finally {
    running = undefined;
    $('train').removeAttribute('disabled');
    $('dataset').removeAttribute('disabled');
    $('stop').setAttribute('disabled', '');
  }
}

function binaryLabel(info: BackendInfo): string {
  return info.backend === 'js' ? 'pure TS' : info.binary === 'relaxed' ? 'relaxed SIMD' : info.binary === 'simd' ? 'SIMD' : info.binary;
}

function classifyDrawing(): void {
  const x = downsampleDigit(pad.ink(), pad.canvas.width, pad.canvas.height);
  const preview = $<HTMLCanvasElement>('preview').getContext('2d')!;
  for (let i = 0; i < 64; i++) {
    const g = Math.round(255 - (x[i]! / 16) * 255);
    preview.fillStyle = `rgb(${g},${g},${g})`;
    preview.fillRect((i % 8) * 10, Math.floor(i / 8) * 10, 10, 10);
  }
  if (!trained || trained.data.name !== 'digits') {
    $('probs').innerHTML = '<p class="muted">Train a model on digits first.</p>';
    return;
  }
  const input = trained.data.transform({ data: x, rows: 1, cols: 64 });
  const p = trained.model.predict(input).data;
  const best = argmaxAt(p, 0, p.length);
  $('probs').innerHTML = `<div class="guess">it looks like a <b id="guess">${best}</b></div>` + Array.from(p, (v, c) => (
    `<div class="prob${c === best ? ' best' : ''}" data-class="${c}" data-p="${v}"><span>${c}</span><i style="width:${(v * 100).toFixed(1)}%"></i><em>${(v * 100).toFixed(1)} %</em></div>`
  )).join('');
}

function showReport(): void {
  if (!trained) return;
  const { model, data, history, backend, seconds } = trained;
  const html = trainingReport({
    title: `simdnet in the browser: ${data.name}`,
    history,
    model,
    evaluation: { yTrue: data.yVal, yPred: model.predictClasses(data.transform(data.XVal)), classNames: data.classNames, on: `validation set, ${data.XVal.rows} samples` },
    decision: data.grid ? { X: data.XTrain, y: data.yTrain, predict: (g) => model.predictClasses(data.transform(g)), classNames: data.classNames } : undefined,
    backend,
    trainingTime: seconds,
    info: { 'data set': data.name, 'training samples': data.XTrain.rows, 'validation samples': data.XVal.rows, 'trained in': 'a Web Worker' },
  });
  const frame = $<HTMLIFrameElement>('report');
  frame.srcdoc = html;
  frame.hidden = false;
  const link = $<HTMLAnchorElement>('report-download');
  URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  link.hidden = false;
}

/** A new data set: its suggested settings go into the fields the user has not edited. */
function applyPreset(name: DatasetName): void {
  const p = PRESETS[name];
  const values: Record<string, string> = { hidden: p.hidden, activation: p.activation, optimizer: p.optimizer, lr: p.lr, epochs: p.epochs, batch: p.batch };
  for (const [id, v] of Object.entries(values)) {
    const el = $(id) as HTMLInputElement | HTMLSelectElement;
    if (el.dataset.edited !== 'true') el.value = v;
  }
}

async function main(): Promise<void> {
  const info = await ready();
  const isolated = globalThis.crossOriginIsolated === true;
  $('badges').innerHTML = [
    `<span class="badge on" id="badge-binary" data-binary="${info.binary}" title="${info.why}">runs ${info.backend === 'wasm' ? `${info.binary}.wasm` : 'pure TS'}</span>`,
    `<span class="badge ${info.simd ? 'on' : ''}">SIMD ${info.simd ? '✓' : '✗'}</span>`,
    `<span class="badge ${info.relaxedSimd ? 'on' : ''}">relaxed SIMD ${info.relaxedSimd ? '✓' : '✗'}</span>`,
    `<span class="badge ${isolated ? 'on' : ''}" id="badge-isolated" title="COOP/COEP headers: SharedArrayBuffer and threads available">cross-origin isolated ${isolated ? '✓' : '✗'}</span>`,
  ].join('');
  binary = binaryLabel(backendInfo());
  fillOptions('activation', HIDDEN_ACTIVATIONS, 'relu');
  fillOptions('optimizer', OPTIMIZERS, 'adam');
  applyPreset(value('dataset') as DatasetName);
  forgetRun(isToy(value('dataset')));
  pad = new DrawingPad($<HTMLCanvasElement>('pad'), classifyDrawing);
  $('train').addEventListener('click', () => void train());
  $('stop').addEventListener('click', () => {
    if (!running) return;
    running.stop();
    setStatus('training', 'Stopping after the current batch…');
  });
  $('clear').addEventListener('click', () => { pad.clear(); $('probs').innerHTML = ''; $<HTMLCanvasElement>('preview').getContext('2d')!.clearRect(0, 0, 80, 80); });
  $('report-button').addEventListener('click', showReport);
  $('log-loss').addEventListener('change', () => renderCharts(shown.progress, shown.epochs, logScale(), shown.partial));
  for (const id of ['hidden', 'activation', 'optimizer', 'lr', 'epochs', 'batch']) {
    $(id).addEventListener('input', () => { $(id).dataset.edited = 'true'; });
  }
  // A field already marked wrong is re-checked as it is edited, so its message goes once it is fixed.
  for (const f of FIELDS) {
    $(f).addEventListener('input', () => {
      if ($(f).getAttribute('aria-invalid') !== 'true') return;
      const rows = knownRows[value('dataset') as DatasetName] ?? Number.MAX_SAFE_INTEGER;
      const { errors } = parseSettings(rawForm(), rows);
      showErrors(Object.fromEntries(FIELDS.filter((g) => $(g).getAttribute('aria-invalid') === 'true' && errors[g]).map((g) => [g, errors[g]])));
    });
  }
  $('dataset').addEventListener('change', () => {
    const name = value('dataset') as DatasetName;
    applyPreset(name);
    showErrors({});
    forgetRun(isToy(name));
    setStatus('idle', `${name}: press Train. Fields you edited keep your values.`);
  });
  setStatus('idle', 'Ready. Pick a data set and press Train.');
}

main().catch((e: unknown) => setStatus('error', `Could not start: ${(e as Error).message}`));
