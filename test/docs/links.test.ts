// Every relative link in README.md and docs/*.md points at a file that exists, and docs/ has
// the page per topic the README promises.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('documentation links', () => {
  it('has a page per topic', () => {
    for (const p of ['getting-started', 'models', 'training', 'data', 'metrics', 'cli', 'report', 'backends-and-memory', 'browser', 'threads', 'estimators', 'interop']) {
      expect(existsSync(join(ROOT, 'docs', `${p}.md`)), p).toBe(true);
    }
  });
  for (const page of pages) {
    it(`${page}: relative links resolve`, () => {
      const text = readFileSync(join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        expect(existsSync(join(ROOT, dirname(page), target)), `${page} → ${target}`).toBe(true);
      }
    });
  }
});
