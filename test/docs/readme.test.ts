// Runs every ```ts block of README.md, with `from 'simdnet'` mapped to src/index.ts, each in its
// own Node process (through the TypeScript loader) in a scratch directory. A block that imports
// names src/index.ts does not export yet is skipped and says which.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';
import * as api from '../../src/index.js';

export function tsBlocks(markdown: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const re = /^```ts\n([\s\S]*?)^```$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(markdown))) out.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1]! });
  return out;
}

function importedNames(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*'simdnet'/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
      if (name && !part.trim().startsWith('type ')) names.push(name);
    }
  }
  return names;
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = tsBlocks(readme);
const dir = mkdtempSync(join(tmpdir(), 'simdnet-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const index = join(ROOT, 'src/index.ts');

describe('README.md code blocks', () => {
  it('has runnable examples that import from simdnet', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const b of blocks) expect(b.code).toMatch(/from 'simdnet'/);
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm test');
  });

  for (const b of blocks) {
    it(`block at README.md:${b.line}`, () => {
      const missing = importedNames(b.code).filter((n) => !(n in api));
      expect(missing, 'names the README imports that simdnet does not export').toEqual([]);
      const file = join(dir, `block-${b.line}.ts`);
      writeFileSync(file, b.code.replace(/from 'simdnet'/g, `from ${JSON.stringify(index)}`));
      const r = spawnSync(process.execPath, ['--import', join(ROOT, 'bench/ts-loader.mjs'), file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`README.md:${b.line} failed (exit ${r.status}):\n${r.stderr}`);
      expect(r.stdout.length).toBeGreaterThan(0);
    });
  }
});
