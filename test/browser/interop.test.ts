// simdnet/interop in a real Chromium, from the prebuilt bundles (dist/browser/simdnet.js and
// simdnet.interop.js, which imports the former): an MLP trained in PyTorch and written by
// torch.onnx.export is imported in the page and predicts what PyTorch predicted; a tfjs model
// loads from its two files; the methods interop adds work on the bundle's own classes.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBundle, useBrowser } from './harness.js';
import { expectClose, FIXTURES, onnxFixture, tfjsFixture } from '../interop/helpers.js';

const env = useBrowser((s) => `${s.origin}/fixture/`, (s) => {
  const dir = join(s.outDir, 'fixture');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(FIXTURES, 'onnx/torch_activations.onnx'), join(dir, 'torch.onnx'));
  copyFileSync(join(FIXTURES, 'tfjs/every_layer/model.json'), join(dir, 'model.json'));
  copyFileSync(join(FIXTURES, 'tfjs/every_layer/weights.bin'), join(dir, 'weights.bin'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>interop</title><link rel="icon" href="data:,"><p>interop</p>');
});

describe('simdnet.interop.js in Chromium', () => {
  it('a PyTorch MLP (torch.onnx.export) imported in the page predicts what PyTorch predicted', async () => {
    const { page } = env();
    await importBundle(page, '/browser/simdnet.js', 'simdnet');
    await importBundle(page, '/browser/simdnet.interop.js', 'interop');
    const f = onnxFixture('torch_activations');
    const out = await page.evaluate(async ({ X, rows, cols }) => {
      const w = window as unknown as { simdnet: typeof import('../../src/index.js'); interop: typeof import('../../src/interop/index.js') };
      const info = await w.simdnet.ready();
      const bytes = new Uint8Array(await (await fetch('./torch.onnx')).arrayBuffer());
      const model = w.simdnet.Sequential.fromONNX(bytes);
      const P = Array.from(model.predict({ data: Float32Array.from(X), rows, cols }).data);
      const same = model instanceof w.simdnet.Sequential;
      const again = w.interop.readONNX(model.toONNX()).model.predict({ data: Float32Array.from(X), rows, cols }).data;
      return { P, same, binary: info.binary, roundTrip: Array.from(again).every((v, k) => v === P[k]) };
    }, { X: Array.from(f.X), rows: f.rows, cols: f.cols });
    expect(out.same).toBe(true);
    expect(out.binary).toMatch(/simd|relaxed/);
    expectClose(out.P, f.outputs.output as number[], 'browser import torch_activations');
    expect(out.roundTrip).toBe(true);
  }, 60_000);

  it('a tfjs Layers model loads from model.json + weights.bin fetched by the page', async () => {
    const { page } = env();
    const f = tfjsFixture('every_layer');
    const P = await page.evaluate(async ({ X, rows, cols }) => {
      const w = window as unknown as { simdnet: typeof import('../../src/index.js'); interop: typeof import('../../src/interop/index.js') };
      const json = await (await fetch('./model.json')).json();
      const weights = new Uint8Array(await (await fetch('./weights.bin')).arrayBuffer());
      return Array.from(w.interop.fromTfjs(json, weights).predict({ data: Float32Array.from(X), rows, cols }).data);
    }, { X: Array.from(f.X), rows: f.rows, cols: f.cols });
    expectClose(P, f.output, 'browser tfjs every_layer');
    expect(readFileSync(join(env().served.outDir, 'browser/simdnet.interop.js'), 'utf8')).toMatch(/from\s*"\.\/simdnet\.js"/);
  }, 60_000);
});
