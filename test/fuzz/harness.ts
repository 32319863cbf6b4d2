// The fuzz suite's driver. A target is a function of one case's random stream that either returns
// (the oracle compared the result: it throws an AssertionError on a mismatch) or throws. Per case,
// whatever the target does:
//   - only simdnet's own errors escape (instances of SimdnetError), and only where the case allows
//     one (a case says when an error is expected, and which class);
//   - the case finishes within HANG_MS (a liveness check against loops that never end; not a
//     performance figure: cases are small, a few milliseconds each);
//   - the arena is where it was before the case (live bytes, live regions and top), error or not.
// Seeds: every case has its own 32-bit seed derived from the run's seed (FUZZ_SEED, default fixed)
// and the target's name and case number; a failure names it, and FUZZ_ONLY=<case seed> runs that
// case alone. FUZZ_SCALE multiplies every target's case count (npm run fuzz sets it).

import { expect } from 'vitest';
import { defaultBackend, ready, SimdnetError } from '../../src/index.js';
import { testRng } from '../helpers/backends.js';

export type Rand = () => number;

/** mulberry32 (test/helpers/backends.ts' testRng), independent of the library's own xoshiro. */
export const mulberry: (seed: number) => Rand = testRng;

/** Random helpers over one stream. */
export class Gen {
  constructor(readonly r: Rand) {}
  int(lo: number, hi: number): number { return lo + Math.floor(this.r() * (hi - lo + 1)); }
  bool(p = 0.5): boolean { return this.r() < p; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.r() * xs.length)]!; }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${v}: expected a positive number`);
  return n;
}

export const RUN_SEED = envNumber('FUZZ_SEED', 20261202) >>> 0;
export const SCALE = envNumber('FUZZ_SCALE', 1);
/** FUZZ_TRACE=1 prints each case's seed before it runs: the last line names a case that crashed the process or never ended. */
const TRACE = process.env.FUZZ_TRACE === '1';
const ONLY = process.env.FUZZ_ONLY ? Number(process.env.FUZZ_ONLY) >>> 0 : undefined;
export const HANG_MS = 1000;

/** The seed of case k of a target in this run. */
export function caseSeed(target: string, k: number): number {
  return (Math.imul(RUN_SEED ^ fnv1a(target), 0x9e3779b1) + Math.imul(k + 1, 0x85ebca6b)) >>> 0;
}

/** What a case may end in: a result (the oracle already checked it), or one of the allowed error classes. */
export interface CaseOutcome {
  /** An error class the case expects (the input is invalid); undefined: the case must succeed. */
  expectError?: abstract new (...args: never[]) => SimdnetError;
  /** True: the case may end either way (mutated input); a refusal must still be of expectError's class. */
  mayRefuse?: boolean;
  /** Text the error's message must contain (the argument or line it names). */
  messageIncludes?: string[];
  /** Label for the tally (mutator name...). */
  kind?: string;
  /** What this case did (the mutations), shown with any failure. */
  detail?: string;
}

/** A case: builds its input from `g`, sets `outcome`, runs the code under test and checks its result. */
export type FuzzCase = (g: Gen, outcome: CaseOutcome) => void | Promise<void>;

export interface FuzzReport { target: string; cases: number; ok: number; errors: number; kinds: Record<string, number>; ms: number; worstMs: number }

export const reports: FuzzReport[] = [];

function arenaState(): { liveBytes: number; liveCount: number; top: number } {
  const a = defaultBackend().arena;
  return { liveBytes: a.liveBytes, liveCount: a.liveCount, top: a.top };
}

function describeError(e: unknown): string {
  const err = e as Error;
  return `${err?.constructor?.name ?? typeof e}: ${err?.message ?? String(e)}`;
}

/**
 * Runs `cases` cases (times FUZZ_SCALE) of a target and checks the invariants of each.
 * Returns the tally (also kept in `reports` for the summary line).
 */
export async function fuzz(target: string, cases: number, run: FuzzCase, options: { arena?: boolean } = {}): Promise<FuzzReport> {
  const checkArena = options.arena ?? true;
  if (checkArena) await ready();
  const n = Math.max(1, Math.round(cases * SCALE));
  const report: FuzzReport = { target, cases: 0, ok: 0, errors: 0, kinds: {}, ms: 0, worstMs: 0 };
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    const seed = caseSeed(target, k);
    if (ONLY !== undefined && seed !== ONLY) continue;
    let where = `fuzz ${target} case ${k} seed ${seed} (reproduce: FUZZ_SEED=${RUN_SEED} FUZZ_ONLY=${seed})`;
    if (TRACE) process.stderr.write(`${where}\n`);
    const outcome: CaseOutcome = {};
    const before = checkArena ? arenaState() : undefined;
    const start = performance.now();
    let thrown: unknown;
    let threw = false;
    try {
      await run(new Gen(mulberry(seed)), outcome);
    } catch (e) {
      threw = true;
      thrown = e;
    }
    const ms = performance.now() - start;
    if (outcome.detail) where += ` [${outcome.detail}]`;
    report.worstMs = Math.max(report.worstMs, ms);
    if (ms > HANG_MS) expect.fail(`${where}: took ${ms.toFixed(0)} ms, over the ${HANG_MS} ms liveness bound`);
    if (threw) {
      if (!(thrown instanceof SimdnetError)) {
        // an assertion of the oracle, or a foreign error leaking out of the library
        const msg = `${where}: ${describeError(thrown)}`;
        if (thrown instanceof Error) thrown.message = msg;
        throw thrown instanceof Error ? thrown : new Error(msg);
      }
      if (!outcome.expectError) expect.fail(`${where}: valid input refused: ${describeError(thrown)}`);
      if (!(thrown instanceof outcome.expectError)) expect.fail(`${where}: expected a ${outcome.expectError.name}, got ${describeError(thrown)}`);
      for (const s of outcome.messageIncludes ?? []) {
        if (!thrown.message.includes(s)) expect.fail(`${where}: the message should name ${JSON.stringify(s)}: ${thrown.message}`);
      }
      report.errors++;
    } else {
      if (outcome.expectError && !outcome.mayRefuse) expect.fail(`${where}: invalid input accepted (expected a ${outcome.expectError.name})`);
      report.ok++;
    }
    if (before) {
      const after = arenaState();
      if (after.liveBytes !== before.liveBytes || after.liveCount !== before.liveCount || after.top !== before.top) {
        expect.fail(`${where}: the arena moved from ${JSON.stringify(before)} to ${JSON.stringify(after)}${threw ? ` after ${describeError(thrown)}` : ''}`);
      }
    }
    const kind = outcome.kind ?? 'case';
    report.kinds[kind] = (report.kinds[kind] ?? 0) + 1;
    report.cases++;
  }
  report.ms = performance.now() - t0;
  reports.push(report);
  return report;
}

/** One line per target: cases, how they ended, time; printed at the end of a file. */
export function printReports(): void {
  const lines = reports.map((r) => `  ${r.target.padEnd(28)} ${String(r.cases).padStart(6)} cases  ${String(r.ok).padStart(6)} ok  ${String(r.errors).padStart(6)} refused  ${(r.ms / 1000).toFixed(2)} s (slowest case ${r.worstMs.toFixed(1)} ms)`);
  console.log(`fuzz (FUZZ_SEED=${RUN_SEED}, FUZZ_SCALE=${SCALE})\n${lines.join('\n')}`);
}
