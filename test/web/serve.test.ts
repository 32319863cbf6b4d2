// The demo server (src/web/serve.mjs) against hostile requests (issue 13): a read that fails, a
// FIFO, symbolic links out of the root, and a redirect built from the request's own text. Every
// request is answered within a second and the server keeps serving.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/web/serve.mjs';

const top = mkdtempSync(join(tmpdir(), 'simdnet-serve-'));
const root = join(top, 'root');
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  mkdirSync(join(root, 'web'), { recursive: true });
  writeFileSync(join(root, 'web', 'index.html'), '<!doctype html><title>demo</title>');
  writeFileSync(join(root, 'web', 'app.js'), 'export {};');
  mkdirSync(join(root, 'broken', 'index.html'), { recursive: true }); // a read of it fails: EISDIR
  writeFileSync(join(top, 'secret.txt'), 'outside the root');
  mkdirSync(join(top, 'outside'));
  writeFileSync(join(top, 'outside', 'x.txt'), 'outside too');
  symlinkSync(join(top, 'secret.txt'), join(root, 'web', 'secret.txt'));
  symlinkSync(join(top, 'outside'), join(root, 'web', 'out'));
  symlinkSync(join(root, 'web', 'app.js'), join(root, 'web', 'inside.js'));
  execFileSync('mkfifo', [join(root, 'web', 'pipe.js')]);
  writeFileSync(join(root, 'web', 'locked.js'), 'x');
  chmodSync(join(root, 'web', 'locked.js'), 0o000);
  server = await startServer({ root, port: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(top, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; body: string; location: string | null }> {
  const r = await fetch(server.origin + path, { redirect: 'manual', signal: AbortSignal.timeout(1000) });
  return { status: r.status, body: await r.text(), location: r.headers.get('location') };
}

async function alive(): Promise<void> {
  const r = await get('/web/');
  expect(r.status).toBe(200);
  expect(r.body).toContain('<title>demo</title>');
}

describe('serve.mjs', () => {
  it('serves the page, its files and a link that stays inside the root', async () => {
    await alive();
    expect((await get('/web/app.js')).body).toBe('export {};');
    expect((await get('/web/inside.js')).body).toBe('export {};');
    expect((await get('/web/nothing.js')).status).toBe(404);
  });

  it('survives a read that fails (index.html is a directory)', async () => {
    expect([403, 404]).toContain((await get('/broken/')).status);
    await alive();
  });

  it('answers for a FIFO at once, many times over, without wedging', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => get('/web/pipe.js')));
    for (const r of all) expect(r.status).toBe(403);
    await alive();
  });

  it('refuses symbolic links that lead out of the root', async () => {
    expect((await get('/web/secret.txt')).status).toBe(403);
    expect((await get('/web/out/x.txt')).status).toBe(403);
    expect((await get('/web/%2e%2e/%2e%2e/secret.txt')).status).toBe(404); // the URL parser resolves the dots: /secret.txt under the root
  });

  it('redirects only to a path on this server', async () => {
    const r = await get('/%2F%2Fevil.example%2F..%2Fweb');
    expect(r.status).toBe(301);
    expect(r.location).toBe('/web/');
    const d = await get('/web');
    expect(d.location).toBe('/web/');
  });

  it('an unreadable file is a 403 (or, for root, which reads anything, the file), never a crash', async () => {
    const r = await get('/web/locked.js');
    expect(r.status === 403 || (r.status === 200 && r.body === 'x')).toBe(true);
    await alive();
  });
});
