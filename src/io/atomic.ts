// Files are written atomically: the bytes go to a new temporary file in the target's directory,
// are flushed to disk (fsync), and the temporary file is renamed over the target, then the
// directory is flushed so the rename itself survives a crash. A crash, a kill, a full disk or a
// file-size limit at any point leaves the old file or the new one, never part of one. Node's fs
// comes through process.getBuiltinModule, so browser bundles of the modules using this never
// pull in node:fs.

import { FileError } from '../errors.js';
import { nodeBuiltin as builtin } from '../host.js';

type Fs = typeof import('node:fs');
type Path = typeof import('node:path');

function nodeModules(what: string, path: string): { fs: Fs; p: Path } {
  const fs = builtin<Fs>('node:fs');
  const p = builtin<Path>('node:path');
  if (!fs || !p) throw new FileError(`${what}: writing ${path} needs Node's file system (Node ≥ 20.16); in a browser, keep the data in memory (checkpoints: saveCheckpointToIndexedDB or downloadCheckpoint from simdnet/checkpoint)`, path, 'ENOSYS');
  return { fs, p };
}

function checkPath(path: unknown, what: string): asserts path is string {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) {
    throw new FileError(`${what}: expected a file path (a non-empty string without NUL), got ${typeof path === 'string' ? JSON.stringify(path) : typeof path}`, String(path), 'EINVAL');
  }
}

function fail(what: string, path: string, e: unknown): FileError {
  if (e instanceof FileError) return e;
  const err = e as NodeJS.ErrnoException;
  const reason = (err?.message ?? String(e)).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return new FileError(`${what}: cannot write ${path}: ${reason}`, path, err?.code ?? 'EIO');
}

let counter = 0;

/** Where the bytes really go (a symbolic link is kept and its target replaced), the temp file beside it, and the mode to give it. */
function plan(fs: Fs, p: Path, path: string, what: string): { target: string; tmp: string; mode: number | undefined } {
  let target = p.resolve(path);
  let st: import('node:fs').Stats | undefined;
  try {
    st = fs.lstatSync(target);
    if (st.isSymbolicLink()) {
      try { target = fs.realpathSync(target); st = fs.statSync(target); } catch { st = undefined; }
    }
  } catch { st = undefined; }
  if (st?.isDirectory()) throw fail(what, path, { message: 'it is a directory', code: 'EISDIR' });
  if (st && !st.isFile()) throw fail(what, path, { message: 'it is not a regular file', code: 'EINVAL' });
  const dir = p.dirname(target);
  const tag = `${(globalThis as { process?: { pid?: number } }).process?.pid ?? 0}-${(counter++).toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
  return { target, tmp: p.join(dir, `.${p.basename(target)}.${tag}.tmp`), mode: st ? st.mode & 0o7777 : undefined };
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return data;
  throw new FileError('expected a string or a Uint8Array to write', '', 'EINVAL');
}

function syncDir(fs: Fs, dir: string): void {
  // Flushes the directory entry of the rename. Not every platform can open a directory (Windows
  // cannot, and renames there are durable through other means): then there is nothing to do.
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch { /* not supported here */ } finally {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* closed */ }
  }
}

/**
 * Writes a whole file atomically (Node): temp file in the same directory, fsync, rename, fsync of
 * the directory. The old file stays intact on any failure; the error is a FileError naming the path.
 * @example writeFileAtomic('report.html', trainingReport({ history }))
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, what = 'write'): void {
  checkPath(path, what);
  const { fs, p } = nodeModules(what, path);
  const bytes = bytesOf(data);
  let tmp: string | undefined;
  let fd: number | undefined;
  try {
    const pl = plan(fs, p, path, what);
    tmp = pl.tmp;
    fd = fs.openSync(tmp, 'wx', 0o666);
    if (pl.mode !== undefined) fs.fchmodSync(fd, pl.mode);
    for (let off = 0; off < bytes.length;) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, pl.target);
    tmp = undefined;
    syncDir(fs, p.dirname(pl.target));
  } catch (e) {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* already closed */ }
    if (tmp !== undefined) try { fs.unlinkSync(tmp); } catch { /* never created */ }
    throw fail(what, path, e);
  }
}

/**
 * writeFileAtomic without blocking the event loop (Node).
 * @example await writeFileAtomicAsync('model.json', JSON.stringify(model.toJSON()))
 */
export async function writeFileAtomicAsync(path: string, data: string | Uint8Array, what = 'write'): Promise<void> {
  checkPath(path, what);
  const { fs, p } = nodeModules(what, path);
  const bytes = bytesOf(data);
  let tmp: string | undefined;
  let fh: import('node:fs/promises').FileHandle | undefined;
  try {
    const pl = plan(fs, p, path, what);
    tmp = pl.tmp;
    fh = await fs.promises.open(tmp, 'wx', 0o666);
    if (pl.mode !== undefined) await fh.chmod(pl.mode);
    for (let off = 0; off < bytes.length;) off += (await fh.write(bytes, off, bytes.length - off)).bytesWritten;
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fs.promises.rename(tmp, pl.target);
    tmp = undefined;
    syncDir(fs, p.dirname(pl.target));
  } catch (e) {
    if (fh !== undefined) try { await fh.close(); } catch { /* already closed */ }
    if (tmp !== undefined) try { fs.unlinkSync(tmp); } catch { /* never created */ }
    throw fail(what, path, e);
  }
}

/**
 * Checks, before any long work, that `path` can be written later: its directory exists and takes
 * a new file, and the path is not a directory. Throws the FileError the write would throw.
 * @example assertWritable(options.out, '--out')
 */
export function assertWritable(path: string, what = 'write'): void {
  checkPath(path, what);
  const { fs, p } = nodeModules(what, path);
  let tmp: string | undefined;
  try {
    const pl = plan(fs, p, path, what);
    tmp = pl.tmp;
    fs.closeSync(fs.openSync(tmp, 'wx', 0o600));
  } catch (e) {
    throw fail(what, path, e);
  } finally {
    if (tmp !== undefined) try { fs.unlinkSync(tmp); } catch { /* never created */ }
  }
}
