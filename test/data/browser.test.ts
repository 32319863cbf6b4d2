// The data and metrics modules must bundle for browsers without Node built-ins, and the bundled
// data sets must load with no file system.

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('browser bundle of src/data and src/metrics', () => {
  it('imports no Node built-in and works without process.getBuiltinModule', async () => {
    const result = await build({
      stdin: {
        contents: "export * from './src/data/index.ts'; export * from './src/metrics/index.ts';",
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    expect(code).not.toMatch(/\bimport\b[^;]*["']node:/);
    expect(code).not.toMatch(/\brequire\(/);

    const proc = globalThis.process as { getBuiltinModule?: unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
      const iris = mod.loadIris();
      expect([iris.X.rows, iris.X.cols]).toEqual([150, 4]);
      const digits = mod.loadDigits();
      expect([digits.X.rows, digits.X.cols]).toEqual([1797, 64]);
      expect(mod.accuracy(iris.y, iris.y)).toBe(1);
      expect(mod.parseCsv('a,b\n1,0\n').y).toEqual([0]);
      expect(() => mod.readCsv('iris.csv')).toThrow(/reading files needs Node/);
    } finally {
      proc.getBuiltinModule = saved;
    }
  });
});
