// docs/training.md's optimizer table is generated from the optimizer table (src/train/optimizers.ts):
// one row per OPTIMIZERS name with its factory, defaults, state buffers and rule. A new optimizer's
// row is written by `UPDATE_DOCS=1 npx vitest run test/docs/optimizers.test.ts`, never by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIMIZER_TABLE, OPTIMIZERS } from '../../src/train/optimizers.js';
import * as simdnet from '../../src/index.js';

const PAGE = new URL('../../docs/training.md', import.meta.url);
const BEGIN = '<!-- optimizers: generated from OPTIMIZER_TABLE by test/docs/optimizers.test.ts (UPDATE_DOCS=1) -->';
const END = '<!-- /optimizers -->';

function table(): string {
  const rows = OPTIMIZERS.map((name) => {
    const rec = OPTIMIZER_TABLE[name];
    const defaults = Object.entries(rec.defaults).map(([k, v]) => `${k} ${v}`).join(', ');
    return `| \`${name}({ ${Object.keys(rec.defaults).join(', ')} })\` | ${defaults} | ${rec.states} | ${rec.rule} |`;
  });
  return [BEGIN, '| factory | defaults | state buffers per tensor | update |', '|---|---|---|---|', ...rows, END].join('\n');
}

describe('docs/training.md optimizer table', () => {
  it('is the table the optimizer records generate', () => {
    const page = readFileSync(PAGE, 'utf8');
    const a = page.indexOf(BEGIN), b = page.indexOf(END);
    expect(a, 'the generated block\'s markers').toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    const current = page.slice(a, b + END.length);
    if (process.env.UPDATE_DOCS === '1' && current !== table()) writeFileSync(PAGE, page.slice(0, a) + table() + page.slice(b + END.length));
    else expect(current).toBe(table());
  });

  it('every optimizer name has its factory exported under that name', () => {
    for (const name of OPTIMIZERS) expect(typeof (simdnet as Record<string, unknown>)[name], name).toBe('function');
  });
});
