import { defineConfig } from 'vitest/config';

// Two projects: everything on the default Node flags (baseline SIMD binary + pure TS), and the
// kernel tests again with relaxed SIMD switched on (Node 20 keeps it behind
// --experimental-wasm-relaxed-simd; the setup file sets that V8 flag before any module compiles),
// so the relaxed binary is tested on Node 20 too. `extends: true` gives both projects the root
// options (without it a project runs with vitest's 5 s default timeout, not the 60 s below).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts'], pool: 'forks' },
      },
      {
        extends: true,
        test: {
          name: 'relaxed',
          include: ['test/kernels/**/*.test.ts'],
          pool: 'forks',
          setupFiles: ['test/helpers/relaxed-setup.ts'],
          env: { SIMDNET_EXPECT_RELAXED: '1' },
        },
      },
    ],
  },
});
