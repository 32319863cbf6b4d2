// The worker entry (bundled as simdnet.worker.js): loads a backend, receives the data and the model
// configuration, trains with fit(), streams one progress message per epoch and batch progress in
// between (throttled), and answers with the trained model as JSON. fit() yields to the event loop
// every 25 ms, so a 'stop' message is seen within a batch or two: the next onBatchEnd returns false
// and training ends there, the partial epoch logged over the batches it ran. fit.checkpoint and
// fit.resumeFrom cross as plain data and become fit's own options in worker-checkpoint.ts.

import { backendInfo, ready } from '../backend.js';
import { Sequential } from '../nn/sequential.js';
import type { TargetsLike } from '../nn/targets.js';
import type { FitOptions } from '../train/fit.js';
import type { BatchProgress, FromWorker, StopRequest, StoppedAt, TrainRequest, WorkerProgress } from './protocol.js';
import { checkWorkerCheckpoints, resumeCheckpoint, workerCheckpoint } from './worker-checkpoint.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<TrainRequest | StopRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
let stopRequested = false;

async function train(req: TrainRequest): Promise<void> {
  checkWorkerCheckpoints(req.fit ?? {});
  await ready(req.ready ?? {});
  scope.postMessage({ type: 'ready', backend: backendInfo() });
  const model = new Sequential({ inputSize: req.X.cols, layers: req.layers, seed: req.seed });
  try {
    model.compile(req.compile ?? {});
    const { checkpoint, resumeFrom, ...options } = req.fit ?? {};
    const resume = await resumeCheckpoint(resumeFrom);
    const fitOptions = options as FitOptions;
    if (resume) fitOptions.resumeFrom = resume;
    if (checkpoint) {
      fitOptions.checkpoint = workerCheckpoint(checkpoint, (bytes, epoch) => scope.postMessage({ type: 'checkpoint', epoch, bytes }, [bytes.buffer as ArrayBuffer]));
    }
    const epochs = fitOptions.epochs ?? 1;
    const rows = trainingRows(req);
    const batches = Math.ceil(rows / Math.min(rows, Number.isFinite(fitOptions.batchSize ?? 32) ? Math.floor(fitOptions.batchSize ?? 32) : rows));
    const every = req.batchProgressEvery ?? 100;
    // Running sums of the current epoch: [loss·size, samples, epoch start ms, last post ms, epoch].
    const run = new Float64Array([0, 0, now(), now(), resume?.epoch ?? 0]);
    let stopped: StoppedAt | undefined;
    const history = await model.fit(req.X, req.y as TargetsLike, {
      ...fitOptions,
      callbacks: {
        onBatchEnd: (batch, logs) => {
          if (batch === 0) { run[0] = 0; run[1] = 0; run[2] = now(); }
          run[0] += logs.loss * logs.size;
          run[1] += logs.size;
          if (stopRequested) {
            stopped = { epoch: run[4]! + 1, batch: batch + 1, batches };
            return false;
          }
          const t = now();
          if (t - run[3]! >= every && batch + 1 < batches) {
            run[3] = t;
            const progress: BatchProgress = {
              epoch: run[4]! + 1, epochs, batch: batch + 1, batches, loss: run[0]! / run[1]!, samplesPerSec: run[1]! / Math.max((t - run[2]!) / 1000, 1e-9),
            };
            scope.postMessage({ type: 'batch', progress });
          }
          return true;
        },
        onEpochEnd: (epoch, logs) => {
          run[4] = epoch + 1;
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
          progress.samplesPerSec = run[1]! / Math.max(logs.time, 1e-9);
          scope.postMessage({ type: 'progress', progress }, transfer);
          if (stopRequested && !stopped) stopped = { epoch: epoch + 1, batch: batches, batches };
          return !stopRequested;
        },
      },
    });
    scope.postMessage({ type: 'done', modelJson: model.toJSON(), history, stopped, ...(resume ? { resumedFrom: resume.epoch } : {}) });
  } finally {
    model.dispose();
  }
}

function now(): number {
  return performance.now();
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
    const { name, message } = err instanceof Error ? err : { name: 'Error', message: String(err) };
    scope.postMessage({ type: 'error', name, message });
  });
});
