import { defineConfig } from 'vitest/config';

// Two projects: everything on the default Node flags (baseline SIMD binary + pure TS), and the
// kernel and network tests again in processes started with relaxed SIMD enabled, so the relaxed
// binary is tested on Node 20 too.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: { name: 'node', include: ['test/**/*.test.ts'], pool: 'forks' },
      },
      {
        test: {
          name: 'relaxed',
          include: ['test/kernels/**/*.test.ts'],
          pool: 'forks',
          poolOptions: { forks: { execArgv: ['--experimental-wasm-relaxed-simd'] } },
          env: { SIMDNET_EXPECT_RELAXED: '1' },
        },
      },
    ],
  },
});
