// The debug binary checks each kernel's contract on entry (assembly/checks.ts): dimensions ≥ 0,
// f32 pointers 4-byte aligned, the GEMM scratch 64-byte aligned, every region inside the memory.
// A broken contract aborts, and the loader turns the abort into a KernelError with the decoded
// message. The release binaries have no checks (the same misaligned call runs there: unaligned
// v128 loads are legal), and with valid arguments the debug binary computes what simd computes.
import { describe, expect, it } from 'vitest';
import { createBackendSync, type Backend } from '../../src/backend.js';
import { KernelError, SimdnetError } from '../../src/errors.js';
import { GEMM_OVERWRITE } from '../../src/kernels/abi.js';
import { put, randomArray } from '../helpers/backends.js';

const debug = createBackendSync({ binary: 'debug' });
const simd = createBackendSync({ binary: 'simd' });

function gemmArgs(b: Backend, m: number, n: number, k: number) {
  return {
    x: put(b, randomArray(m * k, 1)), w: put(b, randomArray(n * k, 2)), bias: put(b, randomArray(n, 3)),
    z: b.arena.alloc(m * n * 4), work: b.arena.alloc(Math.max(64, b.k.f32_gemm_work_bytes(m, n, k))),
  };
}

function aborts(f: () => void): KernelError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KernelError);
    expect(e).toBeInstanceOf(SimdnetError);
    return e as KernelError;
  }
  throw new Error('expected a KernelError, the call returned');
}

describe('the debug binary checks its kernels\' entry contracts', () => {
  const { x, w, bias, z, work } = gemmArgs(debug, 7, 9, 5);
  const memEnd = debug.memory.buffer.byteLength;

  it('GEMM: negative dimensions, misaligned operands, a misaligned scratch, regions past the memory', () => {
    expect(aborts(() => debug.k.f32_gemm_nt(x, w, bias, z, -1, 9, 5, GEMM_OVERWRITE, work)).message).toMatch(/^abort: f32_gemm: m, n and k must be >= 0/);
    expect(aborts(() => debug.k.f32_gemm_nt(x + 2, w, bias, z, 7, 9, 5, GEMM_OVERWRITE, work)).message).toMatch(/^abort: f32_gemm: A must be 4-byte aligned and inside the memory/);
    expect(aborts(() => debug.k.f32_gemm_nn(x, w, z + 1, 7, 5, 9, GEMM_OVERWRITE, work)).message).toMatch(/f32_gemm: C must be 4-byte aligned/);
    expect(aborts(() => debug.k.f32_gemm_tn(x, w, z, 5, 9, 7, GEMM_OVERWRITE, work + 16)).message).toMatch(/f32_gemm: workPtr must be 64-byte aligned/);
    expect(aborts(() => debug.k.f32_gemm_nt(x, memEnd - 64, bias, z, 7, 9, 5, GEMM_OVERWRITE, work)).message).toMatch(/f32_gemm: B must be 4-byte aligned and inside the memory/);
    const panels = debug.arena.alloc(debug.k.f32_nt_panels_bytes(9, 5));
    debug.k.f32_pack_nt_panels(w, panels, 9, 5);
    expect(aborts(() => debug.k.f32_gemm_nt_panels(x, panels, bias + 3, z, 2, 9, 5, GEMM_OVERWRITE)).message).toMatch(/f32_gemm_nt_panels: bias must be/);
    expect(aborts(() => debug.k.f32_gemm_nt_panels(x, panels + 4, bias, z, 2, 9, 5, GEMM_OVERWRITE)).message).toMatch(/f32_gemm_nt_panels: the panels must be 16-byte aligned/);
    expect(aborts(() => debug.k.f32_pack_nt_panels(w, panels, -1, 5)).message).toMatch(/f32_pack_nt_panels: n and k must be >= 0/);
    expect(aborts(() => debug.k.f32_colsum(x, z, 3, -4, GEMM_OVERWRITE)).message).toMatch(/f32_colsum: m and n must be >= 0/);
  });

  it('element-wise, activation, loss and optimizer kernels', () => {
    expect(aborts(() => debug.k.f32_fill(z + 2, 4, 1)).message).toMatch(/^abort: f32_fill: ptr must be 4-byte aligned with n floats inside the memory/);
    expect(aborts(() => debug.k.f32_axpy(x, z, -3, 1)).message).toMatch(/f32_axpy: n must be >= 0/);
    expect(aborts(() => debug.k.f32_relu_fwd(x, z, -2, 3, 0, 0)).message).toMatch(/activation kernel: rows and cols must be >= 0/);
    expect(aborts(() => debug.k.f32_tanh_bwd(x, z, w, memEnd - 8, 2, 3, 0, 0)).message).toMatch(/activation bwd: dx must be/);
    expect(aborts(() => debug.k.f32_softmax_xent(x + 1, w, 0, z, 2, 3)).message).toMatch(/loss kernel: Z must be 4-byte aligned/);
    expect(aborts(() => debug.k.f32_sgd_step(x, w + 2, 4, 0.1)).message).toMatch(/f32_sgd_step: gPtr must be/);
  });

  it('the instance keeps working after an abort, and computes what the release binary computes', () => {
    aborts(() => debug.k.f32_fill(z + 2, 4, 1));
    const s = gemmArgs(simd, 7, 9, 5);
    debug.k.f32_gemm_nt(x, w, bias, z, 7, 9, 5, GEMM_OVERWRITE, work);
    simd.k.f32_gemm_nt(s.x, s.w, s.bias, s.z, 7, 9, 5, GEMM_OVERWRITE, s.work);
    expect(Array.from(debug.arena.views.f32.subarray(z >>> 2, (z >>> 2) + 63))).toEqual(Array.from(simd.arena.views.f32.subarray(s.z >>> 2, (s.z >>> 2) + 63)));
  });

  it('release binaries have no checks: the same misaligned call runs there', () => {
    const p = simd.arena.alloc(64);
    simd.k.f32_fill(p + 2, 4, 1);
    simd.k.f32_relu_fwd(p + 2, p + 2, 1, 4, 0, 0);
    expect(() => simd.k.f32_gemm_nt(simd.arena.alloc(64) + 2, simd.arena.alloc(64), 0, simd.arena.alloc(64), 1, 1, 1, GEMM_OVERWRITE, simd.arena.alloc(256))).not.toThrow();
  });
});
