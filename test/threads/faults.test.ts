// Thread-pool faults: a worker that dies (process.exit inside it, terminate() from outside) never
// hangs the caller, with stealing on or off. The call in flight fails with a ThreadPoolError
// naming the worker; the backend then reports one thread and why, and its next calls give what a
// one-thread backend gives, bit for bit.

import { describe, expect, it } from 'vitest';
import { backendInfo, type Backend } from '../../src/backend.js';
import { ArenaError, ThreadPoolError } from '../../src/errors.js';
import { adam, dense, dropout, Sequential, sgd } from '../../src/index.js';
import { get, put, randomArray } from '../helpers/backends.js';
import { firstBitDifference, forcedBackend, singleBackend, threaded } from './helpers.js';

const M = 64, N = 48, K = 40;
const A0 = randomArray(M * K, 1), B0 = randomArray(N * K, 2);

function gemm(b: Backend): Float32Array {
  const A = put(b, A0), B = put(b, B0), C = b.arena.alloc(M * N * 4), W = b.arena.alloc(b.k.f32_gemm_work_bytes(M, N, K));
  b.k.f32_gemm_nt(A, B, 0, C, M, N, K, 0, W);
  const out = get(b, C, M * N).slice();
  for (const p of [A, B, C, W]) b.arena.free(p);
  return out;
}

const oneThread = gemm(singleBackend());

function expectOneThread(b: Backend, what: RegExp): void {
  expect(b.threadCount).toBe(1);
  expect(backendInfo(b).threadCount).toBe(1);
  expect(backendInfo(b).why).toMatch(/single-threaded: the thread pool failed/);
  expect(backendInfo(b).why).toMatch(what);
  expect(threaded(b).gemmThreads(M, N, K)).toBe(1);
  expect(firstBitDifference(gemm(b), oneThread)).toBe(-1);
}

describe('thread-pool faults', () => {
  for (const steal of [true, false]) {
    it(`a worker that exits during a GEMM call fails that call (stealing ${steal ? 'on' : 'off'})`, () => {
      const b = forcedBackend(3);
      const pool = threaded(b).pool;
      pool.steal = steal;
      expect(firstBitDifference(gemm(b), oneThread)).toBe(-1); // healthy first
      // With stealing on the caller may take worker 2's share first; then the call succeeds and
      // the next one (where the worker claims) fails. On a loaded host (3 threads, 2 cores) the
      // worker can miss many tiny calls in a row, so the calls go on for up to 10 s, not a count:
      // the failure comes once it claims, never a hang.
      pool.injectExit(2);
      let error: unknown;
      for (const until = Date.now() + 10_000; Date.now() < until && error === undefined;) {
        try { gemm(b); } catch (e) { error = e; }
      }
      expect(error).toBeInstanceOf(ThreadPoolError);
      expect((error as Error).message).toMatch(/worker 2 died during a call \(exit code 70\)/);
      expect(pool.alive).toBe(false);
      expectOneThread(b, /worker 2/);
      b.dispose();
    }, 20_000);

    it(`a worker terminated from outside is detected (stealing ${steal ? 'on' : 'off'})`, async () => {
      const b = forcedBackend(2);
      const pool = threaded(b).pool;
      pool.steal = steal;
      pool.timeoutMs = 200;
      const exited = new Promise<void>((resolve) => pool.workerOf(1)!.onExit(() => resolve()));
      pool.workerOf(1)!.terminate();
      // A call before the 'exit' event arrives. The worker may have claimed its share before the
      // termination reached it: then the call fails (bounded wait), else the caller runs the share.
      try {
        expect(firstBitDifference(gemm(b), oneThread)).toBe(-1);
      } catch (e) {
        expect(e).toBeInstanceOf(ThreadPoolError);
        expect((e as Error).message).toMatch(/worker 1 did not finish its share/);
      }
      await exited;
      await new Promise((r) => setTimeout(r, 0));
      expect(pool.fault).toMatch(/worker 1 (exited with code 1|did not answer|did not finish)/);
      expectOneThread(b, /worker 1/);
      b.dispose();
    }, 20_000);

    for (const kind of ['vanish', 'hang'] as const) {
      it(`a worker that ${kind === 'vanish' ? 'ends without a word (as if terminated)' : 'never finishes'} while it holds a claimed share fails the call within the bound (stealing ${steal ? 'on' : 'off'})`, () => {
        const b = forcedBackend(3);
        const pool = threaded(b).pool;
        pool.steal = steal;
        pool.timeoutMs = 300;
        expect(firstBitDifference(gemm(b), oneThread)).toBe(-1);
        pool.injectFault(2, kind);
        // With stealing on the caller may take worker 2's share first (tiny calls find it asleep):
        // then a later call, the first it claims, fails.
        let error: unknown;
        for (const t0 = performance.now(); error === undefined && performance.now() - t0 < 10_000;) {
          try { gemm(b); } catch (e) { error = e; }
        }
        expect(error).toBeInstanceOf(ThreadPoolError);
        expect((error as Error).message).toMatch(/worker 2 did not finish its share within \d+\.\d s \(stuck, or terminated\); the thread pool is shut down/);
        expect(pool.alive).toBe(false);
        expectOneThread(b, /worker 2 did not finish its share/);
        b.dispose();
      }, 20_000);
    }

    it(`a worker that ends between calls, unseen by its exit event, is found by its heartbeat (stealing ${steal ? 'on' : 'off'})`, () => {
      const b = forcedBackend(2);
      const pool = threaded(b).pool;
      pool.steal = steal;
      pool.timeoutMs = 100;
      expect(firstBitDifference(gemm(b), oneThread)).toBe(-1);
      pool.injectFault(1, 'quit');
      pool.steal = false;
      pool.barrier(); // worker 1 runs this barrier's share, then leaves without a word
      pool.steal = steal;
      // The worker is gone, its 'exit' event waits for an event-loop turn that a synchronous loop
      // never gives. Every call still gives one thread's result; the heartbeat ends the pool.
      const t0 = performance.now();
      while (pool.alive && performance.now() - t0 < 10_000) {
        expect(firstBitDifference(gemm(b), oneThread)).toBe(-1);
      }
      expect(pool.alive).toBe(false);
      expect(pool.fault).toMatch(/worker 1 did not answer for 0\.1 s \(terminated\?\)/);
      expectOneThread(b, /worker 1/);
      b.dispose();
    }, 20_000);
  }

  function model(b: Backend): Sequential {
    const m = new Sequential({ inputSize: 13, seed: 3, backend: b, layers: [dense(17, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
    m.compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }) });
    return m;
  }
  const X = { data: randomArray(397 * 13, 7), rows: 397, cols: 13 };
  const y = Int32Array.from({ length: 397 }, (_, i) => i % 3);

  for (const steal of [true, false]) {
    it(`a worker that dies during fit: fit raises ThreadPoolError, training then goes on one thread (stealing ${steal ? 'on' : 'off'})`, () => {
      const b = forcedBackend(2);
      const pool = threaded(b).pool;
      pool.steal = steal;
      const m = model(b);
      m.fitSync(X, y, { epochs: 1, batchSize: 16 }); // healthy
      pool.injectExit(1);
      // With stealing on the caller may take every share of a fit before the worker wakes: retry (bounded).
      let error: unknown;
      for (let i = 0; i < 20 && error === undefined; i++) {
        try { m.fitSync(X, y, { epochs: 2, batchSize: 64 }); } catch (e) { error = e; }
      }
      expect(error).toBeInstanceOf(ThreadPoolError);
      expect((error as Error).message).toMatch(/worker 1 died during a call/);
      expectOneThread(b, /worker 1/);
      // The failed fit leaves no fit running: the model trains again (on one thread now).
      expect(Number.isFinite(m.fitSync(X, y, { epochs: 1, batchSize: 64 }).loss.at(-1)!)).toBe(true);
      m.dispose();
      const ref = model(singleBackend());
      const again = model(b);
      ref.fitSync(X, y, { epochs: 2, batchSize: 16 });
      again.fitSync(X, y, { epochs: 2, batchSize: 16 });
      expect(firstBitDifference(again.getParams(), ref.getParams())).toBe(-1);
      ref.dispose(); again.dispose(); b.dispose();
    }, 20_000);
  }

  it('a fit on a data source whose buffers cannot be allocated on a threaded backend leaks nothing (the step guard\'s copies included)', async () => {
    const b = forcedBackend(2);
    const m = model(b);
    const source = { *[Symbol.iterator]() { yield { X, y }; } };
    await m.fit(source, { epochs: 1, batchSize: 64 }); // sizes the network's batch buffers
    const live = b.arena.liveBytes;
    for (const failAt of [1, 2]) {
      // the fit's allocAll calls: the step guard's copies and the batch buffers, in either order
      const real = b.arena.allocAll.bind(b.arena);
      let calls = 0;
      b.arena.allocAll = (sizes) => {
        if (++calls === failAt) throw new ArenaError('out of memory: refused by the test');
        return real(sizes);
      };
      await expect(m.fit(source, { epochs: 1, batchSize: 64 })).rejects.toThrow(/refused by the test/);
      b.arena.allocAll = real;
      expect(calls).toBeGreaterThanOrEqual(failAt);
      expect(b.arena.liveBytes).toBe(live);
    }
    expect(Number.isFinite((await m.fit(source, { epochs: 1, batchSize: 64 })).loss[0]!)).toBe(true);
    m.dispose(); b.dispose();
  }, 20_000);

  // A fault mid-step leaves the model as it was before that step: weights, optimizer moments and
  // step count, the dropout stream. Struck in the forward pass, in the optimizer's step (its first
  // split call: the copy of the first tensor), and in a tensor's split update after its copy (the
  // caller has updated its element ranges, the worker vanished before its own).
  // 'whole': plain SGD, whose one call updates the whole parameter block, struck after the block's copy.
  // 'backward': struck in the output layer's dX and dW run at once (denseBackward), the worker vanishing with dW.
  for (const where of ['forward', 'backward', 'optimizer', 'update', 'whole'] as const) {
    it(`a fault in the ${where === 'whole' ? 'whole-block SGD update' : where} of a step: fit raises ThreadPoolError and the model keeps its state from before that step`, () => {
      const b = forcedBackend(2);
      const pool = threaded(b).pool;
      pool.steal = false;
      pool.timeoutMs = 200;
      const m = new Sequential({ inputSize: 13, seed: 3, backend: b, layers: [dense(17, { activation: 'relu' }), dropout(0.2), dense(3, { activation: 'softmax' })] });
      m.compile({ loss: 'categoricalCrossentropy', optimizer: where === 'whole' ? sgd({ learningRate: 0.1 }) : adam({ learningRate: 0.01 }) });
      const { net, optimizer } = m.session;
      const rng = () => new Uint32Array(b.memory.buffer, net.rngPtr, 4).slice();
      let before = { params: m.getParams(), opt: optimizer.exportState(), rng: rng() };
      const opt = optimizer as { step(): void };
      const step = opt.step.bind(optimizer);
      let batches = 0;
      const k = threaded(b);
      const pair = k.denseBackward;
      if (where === 'backward') k.tuning.gemmPairMinFlops = 1;
      k.denseBackward = (...args) => { if (where === 'backward' && batches === 5) pool.injectFault(1, 'vanish'); return pair(...args); };
      opt.step = () => { if (where === 'optimizer' && batches === 5) pool.injectFault(1, 'vanish'); step(); };
      const guard = () => optimizer.guard!;
      const strike = (): void => {
        const g = guard() as { saveTensor(i: number): void; saveAll(): void };
        const save = g.saveTensor.bind(g), saveAll = g.saveAll.bind(g);
        g.saveTensor = (i) => { save(i); if (i === 2 && batches === 5) pool.injectFault(1, 'vanish'); };
        g.saveAll = () => { saveAll(); if (batches === 5) pool.injectFault(1, 'vanish'); };
      };
      let error: unknown;
      try {
        m.fitSync(X, y, {
          epochs: 1, batchSize: 64, callbacks: {
            onBatchEnd: () => {
              before = { params: m.getParams(), opt: optimizer.exportState(), rng: rng() };
              if ((where === 'update' || where === 'whole') && batches === 0) strike();
              if (++batches === 5 && where === 'forward') pool.injectFault(1, 'vanish');
            },
          },
        });
      } catch (e) { error = e; }
      expect(error).toBeInstanceOf(ThreadPoolError);
      expect((error as Error).message).toMatch(/worker 1 did not finish its share.*fit stopped in epoch 1, batch 6: the model keeps its weights, optimizer state/);
      expect(firstBitDifference(m.getParams(), before.params)).toBe(-1);
      const after = optimizer.exportState();
      expect(after.step).toBe(before.opt.step);
      expect(after.step).toBe(5);
      after.moments.forEach((mo, i) => expect(firstBitDifference(mo, before.opt.moments[i]!)).toBe(-1));
      expect(Array.from(rng())).toEqual(Array.from(before.rng));
      expectOneThread(b, /worker 1 did not finish/);
      m.dispose(); b.dispose();
    }, 20_000);
  }
});
