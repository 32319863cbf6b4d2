// A process that trains on a threaded backend and returns from its main module exits by itself
// (the workers do not keep it alive), with exit code 0.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('process exit with a live pool', () => {
  for (const mode of ['sync', 'async']) {
    it(`exits on its own after training (${mode} fit)`, () => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--import', './bench/ts-loader.mjs', 'test/threads/fixtures/train-exit.ts', mode], {
        cwd: root, timeout: 30_000, encoding: 'utf8',
      });
      expect(r.error, `spawn: ${r.error?.message}`).toBeUndefined();
      expect(r.signal, `killed after ${((performance.now() - t0) / 1000).toFixed(1)} s: the process hung`).toBeNull();
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout.trim());
      expect(out.threadCount).toBe(2);
      expect(out.default).toBe(2);
      expect(Number.isFinite(out.loss)).toBe(true);
    });
  }
});
