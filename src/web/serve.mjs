// A small static server for the demo page (npm run web): localhost only, cross-origin isolated
// (COOP same-origin + COEP require-corp, so SharedArrayBuffer and threads are available), the
// right MIME types (application/wasm lets browsers compile while downloading), no caching.
//
//   node src/web/serve.mjs [--port 8080] [--root dist]     → http://localhost:8080/web/

import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
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

/** Starts the server; resolves with its origin and a close(). port 0 picks a free port. */
export function startServer({ root = resolve(fileURLToPath(import.meta.url), '../../../dist'), port = 8080, host = '127.0.0.1' } = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { ...ISOLATION, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    if (path === '/') return send(302, 'see /web/\n', { Location: '/web/' });
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return send(403, 'forbidden\n');
    let stat;
    try {
      stat = statSync(file);
      if (stat.isDirectory()) {
        if (!path.endsWith('/')) return send(301, 'moved\n', { Location: `${path}/` });
        file = join(file, 'index.html');
        stat = statSync(file);
      }
    } catch {
      return send(404, `not found: ${path}\n`);
    }
    res.writeHead(200, { ...ISOLATION, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
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
