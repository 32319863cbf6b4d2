// Backend selection and loading: relaxed SIMD when the host validates it, else baseline SIMD;
// forced backends and binaries; every way of handing over the bytes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendInfo, BackendError, createBackend, createBackendSync, ready } from '../../src/backend.js';
import { detectFeatures } from '../../src/wasm/features.js';
import { expectRelaxed } from '../helpers/backends.js';

const buildUrl = new URL('../../build/', import.meta.url);

describe('backend selection', () => {
  it('ready() picks relaxed SIMD exactly when WebAssembly.validate accepts the relaxed binary', async () => {
    const relaxedValidates = WebAssembly.validate(readFileSync(new URL('relaxed.wasm', buildUrl)));
    expect(detectFeatures().relaxedSimd).toBe(relaxedValidates);
    expect(relaxedValidates).toBe(expectRelaxed());
    const info = await ready();
    expect(info.backend).toBe('wasm');
    expect(info.binary).toBe(relaxedValidates ? 'relaxed' : 'simd');
    expect(info.simd).toBe(true);
    expect(info.why).toMatch(relaxedValidates ? /relaxed SIMD validates/ : /does not validate/);
  });

  it('backendInfo() reports Node and V8 versions and threads support', () => {
    const info = backendInfo();
    expect(info.node).toBe(process.versions.node);
    expect(info.v8).toBe(process.versions.v8);
    expect(typeof info.threads).toBe('boolean');
    expect(info.threadCount).toBeGreaterThanOrEqual(1);
  });

  it('the caller can force the pure-TS backend or a binary', async () => {
    expect((await ready({ backend: 'js' })).backend).toBe('js');
    expect(backendInfo().binary).toBe('js');
    expect((await ready({ binary: 'simd' })).binary).toBe('simd');
    expect(createBackendSync({ binary: 'debug' }).binary).toBe('debug');
    await ready();
  });

  it('refuses what the host cannot run, and unknown backends, with clear errors', async () => {
    if (!expectRelaxed()) {
      expect(() => createBackendSync({ binary: 'relaxed' })).toThrow(BackendError);
      expect(() => createBackendSync({ binary: 'relaxed' })).toThrow(/--experimental-wasm-relaxed-simd/);
    }
    // @ts-expect-error: not a backend
    expect(() => createBackendSync({ backend: 'gpu' })).toThrow(/backend must be 'wasm' or 'js', got "gpu"/);
  });

  it('loads from bytes, a compiled Module, a Response, a file URL and a URL prefix', async () => {
    const bytes = readFileSync(new URL('simd.wasm', buildUrl));
    const sources = [
      new Uint8Array(bytes),
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      new WebAssembly.Module(bytes),
      new Response(bytes, { headers: { 'content-type': 'application/wasm' } }),
      new URL('simd.wasm', buildUrl),
      buildUrl.href,
    ];
    for (const wasm of sources) {
      const b = await createBackend({ binary: 'simd', wasm });
      expect(b.kind).toBe('wasm');
      const p = b.arena.alloc(16);
      b.k.f32_fill(p, 4, 2.5);
      expect(b.k.f32_sum(p, 4)).toBe(10);
    }
  });
});
