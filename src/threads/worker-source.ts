// The code every pool worker runs, as one self-contained JavaScript source: Node evaluates it
// (`new Worker(source, { eval: true })`), browsers load it from a Blob URL, so no file has to be
// found next to the bundle. It receives {module, memory, ctrlPtr, tid, names} once, instantiates
// the module on the shared memory, then serves calls described in the control block (control.ts)
// with the share runner of share.ts (the caller's own, embedded as source text) until OP_EXIT.
// Errors (a trap in a kernel, a failed instantiation) go to the ERROR slots as text.

import * as C from './control.js';
import { invoke, runRange, runShare, splitBound } from './share.js';

const body = `'use strict';
const C = ${JSON.stringify({
  GEN: C.GEN, READY: C.READY, EXITED: C.EXITED, CLAIM: C.CLAIM, FIN: C.FIN, CLAIMED_BY_WORKER: C.CLAIMED_BY_WORKER, ERROR: C.ERROR, OP: C.OP, ARGC: C.ARGC, THREADS: C.THREADS,
  SPLIT_ARG: C.SPLIT_ARG, TOTAL: C.TOTAL, QUANTUM: C.QUANTUM, WORK_ARG: C.WORK_ARG, WORK_STRIDE: C.WORK_STRIDE,
  SPIN: C.SPIN, FAULT: C.FAULT, FAULT_KIND: C.FAULT_KIND, FAULT_VANISH: C.FAULT_VANISH, FAULT_HANG: C.FAULT_HANG, FAULT_QUIT: C.FAULT_QUIT, SEEN: C.SEEN, LOST: C.LOST, LOST_CODE: C.LOST_CODE, STRIDE: C.STRIDE, ARGS_F64: C.ARGS_F64, WORK_BASE_F64: C.WORK_BASE_F64, ERROR_LEN: C.ERROR_LEN,
  ERROR_TEXT: C.ERROR_TEXT, ERROR_MAX: C.ERROR_MAX, CONTROL_BYTES: C.CONTROL_BYTES, OP_EXIT: C.OP_EXIT,
  OP_NOOP: C.OP_NOOP, OP_FAIL: C.OP_FAIL, MAX_ARGS: C.MAX_ARGS,
})};
const L = ${JSON.stringify(C.SHARE_LAYOUT)};
// The share runner of share.ts, as its own source text (in a scope of its own: a minifier's names cannot clash here).
const runShare = (function () {
${splitBound.toString()}
${invoke.toString()}
${runRange.toString()}
${runShare.toString()}
return ${runShare.name};
})();
function serve(init, reply) {
  const { module, memory, ctrlPtr, tid, names } = init;
  const i32 = new Int32Array(memory.buffer, ctrlPtr, C.CONTROL_BYTES >> 2);
  const f64 = new Float64Array(memory.buffer, ctrlPtr, C.CONTROL_BYTES >> 3);
  function fail(e) {
    const text = 'worker ' + tid + ': ' + (e && e.name ? e.name + ': ' : '') + (e && e.message !== undefined ? e.message : String(e));
    if (Atomics.compareExchange(i32, C.ERROR, 0, tid + 1) !== 0) return;
    const n = Math.min(text.length, C.ERROR_MAX);
    for (let i = 0; i < n; i++) i32[C.ERROR_TEXT + i] = text.charCodeAt(i);
    i32[C.ERROR_LEN] = n;
  }
  let fns;
  try {
    const instance = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('abort called'); } } });
    fns = names.map((name) => instance.exports[name]);
  } catch (e) {
    fail(e);
  }
  let seen = Atomics.load(i32, C.GEN);
  Atomics.add(i32, C.READY, 1);
  Atomics.notify(i32, C.READY);
  reply(fns ? 'ready' : 'failed');
  if (!fns) return;
  const args = new Float64Array(C.MAX_ARGS);
  // A worker that dies (process.exit, an uncaught error) says so in LOST and wakes the caller,
  // which waits for FIN in bounded slices and checks LOST between them.
  let leaving = false;
  const lost = (code) => {
    if (leaving) return;
    leaving = true;
    if (Atomics.compareExchange(i32, C.LOST, 0, tid + 1) === 0) i32[C.LOST_CODE] = code | 0;
    Atomics.notify(i32, C.FIN + tid);
  };
  if (typeof process === 'object' && process && typeof process.on === 'function') process.on('exit', lost);
  // Test hooks (FAULT): leave now, with no code run afterwards.
  const quit = (code) => {
    if (typeof process === 'object' && process && typeof process.exit === 'function') process.exit(code);
    lost(code); self.close();
  };
  for (;;) {
    const until = performance.now() + i32[C.SPIN] / 1000;
    for (let i = 1; Atomics.load(i32, C.GEN) === seen; i++) if ((i & 63) === 0 && performance.now() > until) break;
    while (Atomics.load(i32, C.GEN) === seen) Atomics.wait(i32, C.GEN, seen);
    seen = Atomics.load(i32, C.GEN);
    Atomics.store(i32, C.SEEN + tid, seen);
    // Not ours (fewer threads in this call), taken by the caller, or superseded: back to waiting.
    if (Atomics.compareExchange(i32, C.CLAIM + tid, seen, C.CLAIMED_BY_WORKER) !== seen) continue;
    const op = i32[C.OP];
    if (op === C.OP_EXIT) break;
    if (Atomics.compareExchange(i32, C.FAULT, tid + 1, 0) === tid + 1) {
      const kind = i32[C.FAULT_KIND];
      if (kind === C.FAULT_HANG) for (;;) Atomics.wait(i32, C.FAULT_KIND, kind);
      if (kind !== C.FAULT_QUIT) { if (kind === C.FAULT_VANISH) leaving = true; quit(70 + kind); return; }
      leaving = true;
    }
    try { runShare(L, i32, f64, args, fns, tid); } catch (e) { fail(e); }
    Atomics.store(i32, C.FIN + tid, seen);
    Atomics.notify(i32, C.FIN + tid);
    if (leaving) { quit(73); return; }
  }
  leaving = true;
  Atomics.add(i32, C.EXITED, 1);
  Atomics.notify(i32, C.EXITED);
}
if (typeof require === 'function') {
  const { parentPort } = require('node:worker_threads');
  // Closing the port lets the worker end; Deno's node:worker_threads port has no close() (its worker ends anyway).
  parentPort.once('message', (init) => { serve(init, (m) => parentPort.postMessage(m)); parentPort.close?.(); });
} else {
  self.onmessage = (event) => { self.onmessage = null; serve(event.data, (m) => self.postMessage(m)); self.close(); };
}
`;

/** The worker's JavaScript source (Node: eval; browsers: Blob URL). */
export function workerSource(): string {
  return body;
}
