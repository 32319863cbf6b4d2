// Runs every ```ts block of docs/interop.md, each in its own Node process through the TypeScript
// loader, with 'simdnet' mapped to src/index.ts, 'simdnet/interop' to src/interop/index.ts and
// 'onnxruntime-web' to the installed package; the working directory is the repository (the
// PyTorch example reads a committed fixture).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';

function tsBlocks(markdown: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  for (const m of markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) out.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1]! });
  return out;
}

const page = readFileSync(join(ROOT, 'docs/interop.md'), 'utf8');
const blocks = tsBlocks(page);
const dir = mkdtempSync(join(tmpdir(), 'simdnet-docs-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ort = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('onnxruntime-web')).href;

function mapImports(code: string): string {
  return code
    .replace(/from 'simdnet\/interop'/g, `from ${JSON.stringify(join(ROOT, 'src/interop/index.ts'))}`)
    .replace(/from 'simdnet'/g, `from ${JSON.stringify(join(ROOT, 'src/index.ts'))}`)
    .replace(/from 'onnxruntime-web'/g, `from ${JSON.stringify(ort)}`);
}

describe('docs/interop.md code blocks', () => {
  it('has the three walk-throughs', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(page).toContain('# Moving models between simdnet, PyTorch, TensorFlow.js and ONNX Runtime');
  });
  for (const b of blocks) {
    it(`block at docs/interop.md:${b.line}`, () => {
      const file = join(dir, `block-${b.line}.ts`);
      writeFileSync(file, mapImports(b.code));
      const r = spawnSync(process.execPath, ['--import', join(ROOT, 'bench/ts-loader.mjs'), file], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`docs/interop.md:${b.line} failed (exit ${r.status}):\n${r.stderr}`);
      expect(r.stdout.length).toBeGreaterThan(0);
      console.log(`docs/interop.md:${b.line}\n${r.stdout}`);
    }, 120_000);
  }
});
