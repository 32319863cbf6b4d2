// The worker entry (bundled as simdnet.worker.js): loads a backend, receives the data and the model
// configuration, trains with fit(), streams one progress message per epoch and answers with the
// trained model as JSON. fit() yields to the event loop, so a 'stop' message is seen between batches.

import { backendInfo, ready } from '../backend.js';
import { Sequential } from '../nn/sequential.js';
import type { TargetsLike } from '../nn/targets.js';
import type { FitOptions } from '../train/fit.js';
import type { FromWorker, StopRequest, TrainRequest, WorkerProgress } from './protocol.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<TrainRequest | StopRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
let stopRequested = false;

async function train(req: TrainRequest): Promise<void> {
  await ready(req.ready ?? {});
  scope.postMessage({ type: 'ready', backend: backendInfo() });
  const model = new Sequential({ inputSize: req.X.cols, layers: req.layers, seed: req.seed });
  try {
    model.compile(req.compile ?? {});
    const fitOptions = (req.fit ?? {}) as FitOptions;
    const epochs = fitOptions.epochs ?? 1;
    const history = await model.fit(req.X, req.y as TargetsLike, {
      ...fitOptions,
      callbacks: {
        onEpochEnd: (epoch, logs) => {
          const progress: WorkerProgress = {
            epoch: epoch + 1,
            epochs,
            loss: logs.loss,
            accuracy: logs.accuracy,
            valLoss: logs.valLoss,
            valAccuracy: logs.valAccuracy,
            learningRate: logs.learningRate,
            time: logs.time,
            samplesPerSec: 0,
          };
          const transfer: Transferable[] = [];
          if (req.probe) {
            progress.probe = model.predict(req.probe).data;
            transfer.push(progress.probe.buffer as ArrayBuffer);
          }
          progress.samplesPerSec = trainingRows(req) / Math.max(logs.time, 1e-9);
          scope.postMessage({ type: 'progress', progress }, transfer);
          return !stopRequested;
        },
      },
    });
    scope.postMessage({ type: 'done', modelJson: model.toJSON(), history });
  } finally {
    model.dispose();
  }
}

function trainingRows(req: TrainRequest): number {
  const split = req.fit?.validationData ? 0 : req.fit?.validationSplit ?? 0;
  return req.X.rows - Math.round(req.X.rows * split);
}

scope.addEventListener('message', (e) => {
  const msg = e.data;
  if (msg.type === 'stop') {
    stopRequested = true;
    return;
  }
  if (msg.type !== 'train') return;
  stopRequested = false;
  train(msg).catch((err: unknown) => {
    const error = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: 'error', name: error.name, message: error.message });
  });
});
