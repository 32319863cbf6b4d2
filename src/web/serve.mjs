// A small static server for the demo page (npm run web): localhost only, cross-origin isolated
// (COOP same-origin + COEP require-corp, so SharedArrayBuffer and threads are available), the
// right MIME types (application/wasm lets browsers compile while downloading), no caching.
// Only regular files under the root are served (symbolic links resolved and kept inside it; FIFOs
// and devices refused without blocking on them); a failed read ends that response, not the server.
//
//   node src/web/serve.mjs [--port 8080] [--root dist]     → http://localhost:8080/web/

import { constants, realpathSync } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** The file a URL path names under `base` (symbolic links resolved, which must stay under it), or why not. */
async function locate(base, path) {
  const file = normalize(join(base, path));
  if (file !== base && !file.startsWith(base + sep)) return { status: 403 };
  let real;
  try {
    real = await realpath(file);
  } catch {
    return { status: 404 };
  }
  if (real !== base && !real.startsWith(base + sep)) return { status: 403 };
  return { file: real };
}

/** Opens a regular file without blocking on FIFOs or devices: O_NONBLOCK, then fstat on the descriptor itself. */
async function openRegular(file) {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stat = await handle.stat();
    if (!stat.isFile()) { await handle.close(); return { status: stat.isDirectory() ? 'dir' : 403 }; }
    return { handle, stat };
  } catch (e) {
    if (handle) await handle.close().catch(() => {});
    return { status: e?.code === 'ENOENT' ? 404 : e?.code === 'EISDIR' ? 'dir' : 403 };
  }
}

/** Starts the server; resolves with its origin and a close(). port 0 picks a free port. */
export function startServer({ root = resolve(fileURLToPath(import.meta.url), '../../../dist'), port = 8080, host = '127.0.0.1' } = {}) {
  let base = resolve(root);
  try { base = realpathSync(base); } catch { /* not built yet: every request is a 404 */ }
  const server = createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      if (res.headersSent) { res.destroy(); return; }
      res.writeHead(status, { ...ISOLATION, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      let path;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      } catch {
        return send(400, 'bad request\n');
      }
      if (path.includes('\0')) return send(400, 'bad request\n');
      if (path === '/') return send(302, 'see /web/\n', { Location: '/web/' });
      const found = await locate(base, path);
      if (!found.file) return send(found.status, found.status === 404 ? 'not found\n' : 'forbidden\n');
      let opened = await openRegular(found.file);
      let file = found.file;
      if (opened.status === 'dir') {
        // A redirect names the directory by its place under the root, never by the request's own
        // text (which may read //host/... and send the browser to another site).
        const rel = relative(base, file).split(sep).filter(Boolean).map(encodeURIComponent).join('/');
        if (!path.endsWith('/')) return send(301, 'moved\n', { Location: `/${rel}${rel ? '/' : ''}` });
        const index = await locate(base, join(path, 'index.html'));
        if (!index.file) return send(index.status, index.status === 404 ? 'not found\n' : 'forbidden\n');
        file = index.file;
        opened = await openRegular(file);
      }
      if (!opened.handle) return send(opened.status === 404 ? 404 : 403, opened.status === 404 ? 'not found\n' : 'forbidden\n');
      const { handle, stat } = opened;
      res.writeHead(200, { ...ISOLATION, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size });
      if (req.method === 'HEAD') { await handle.close(); return res.end(); }
      const stream = handle.createReadStream();
      stream.on('error', () => res.destroy());
      res.on('close', () => stream.destroy());
      stream.pipe(res);
    } catch {
      send(500, 'internal error\n');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolvePromise({ origin: `http://localhost:${actual}`, server, close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }) });
    });
  });
}

const invoked = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(arg('--port') ?? process.env.PORT ?? 8080);
  const root = arg('--root') ? resolve(arg('--root')) : undefined;
  startServer({ port, ...(root ? { root } : {}) }).then(({ origin }) => {
    console.log(`simdnet demo: ${origin}/web/  (cross-origin isolated; Ctrl-C to stop)`);
  }, (e) => {
    console.error(`could not start the server: ${e.message}`);
    process.exit(1);
  });
}
