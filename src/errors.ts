// Error types. Messages name the argument, what was expected and what came:
// "X has 63 columns, the model expects 64".

/** Base class of every error simdnet throws on purpose. @example try { model.fitSync(X, y) } catch (e) { if (e instanceof SimdnetError) console.error(e.message) } */
export class SimdnetError extends Error {
  override name = 'SimdnetError';
}

/** Bad input: a wrong shape, a NaN, an unknown option value, a label out of range... `argument` names the culprit. @example catch (e) { if (e instanceof ValidationError) console.error(e.argument) } */
export class ValidationError extends SimdnetError {
  override name = 'ValidationError';
  constructor(readonly argument: string, message: string) {
    super(`${argument}: ${message}`);
  }
}

/** A model used before it was fitted (or compiled). @example new LogisticRegression().predict(X) // throws NotFittedError */
export class NotFittedError extends SimdnetError {
  override name = 'NotFittedError';
}

/** Training produced a NaN or infinite loss. The model keeps its last finite weights. @example catch (e) { if (e instanceof DivergenceError) model.compile({ optimizer: sgd({ learningRate: 0.01 }) }) } */
export class DivergenceError extends SimdnetError {
  override name = 'DivergenceError';
}

/** A model file or JSON that cannot be read back. @example await Sequential.load('broken.json') // throws ModelFormatError */
export class ModelFormatError extends SimdnetError {
  override name = 'ModelFormatError';
}

/** A file that cannot be written (or checked for writing): the path, and the system's code (ENOSPC, EFBIG, EACCES, ENOENT...). The old file, if any, is untouched. @example catch (e) { if (e instanceof FileError) console.error(e.path, e.code) } */
export class FileError extends SimdnetError {
  override name = 'FileError';
  constructor(message: string, readonly path: string, readonly code: string) {
    super(message);
  }
}

/** A backend the host cannot give as asked (a binary it does not validate, threads that cannot start) or a bad option to ready() / createBackend(). @example catch (e) { if (e instanceof BackendError) await ready({ backend: 'js' }) } */
export class BackendError extends SimdnetError {
  override name = 'BackendError';
}

/** Misuse of the arena: double free, foreign pointer, out of memory. @example arena.free(p); arena.free(p) // throws ArenaError */
export class ArenaError extends SimdnetError {
  override name = 'ArenaError';
}

/** A model used out of its lifecycle: after dispose(), or disposed, recompiled or trained a second time while a fit runs. The model is left as it was. @example catch (e) { if (e instanceof LifecycleError) await pending; } */
export class LifecycleError extends SimdnetError {
  override name = 'LifecycleError';
}

/** Worker threads that failed to start, or a worker's failure during a kernel call (its message, rethrown on the caller). */
export class ThreadPoolError extends SimdnetError {
  override name = 'ThreadPoolError';
}

/** A kernel's entry check failed: the debug binary checks dimensions, alignment and bounds on entry and aborts; the message names the kernel and the argument. @example createBackendSync({ binary: 'debug' }) // for tracking a kernel bug */
export class KernelError extends SimdnetError {
  override name = 'KernelError';
}

/** Emitted (not thrown) when an iterative solver stops at maxIter before meeting tol. */
export interface ConvergenceWarning {
  name: 'ConvergenceWarning';
  message: string;
}

type WarningHandler = (w: ConvergenceWarning) => void;
let warningHandler: WarningHandler = (w) => {
  const p = (globalThis as { process?: { emitWarning?: (m: string, name: string) => void } }).process;
  if (p?.emitWarning) p.emitWarning(w.message, w.name);
  else console.warn(`${w.name}: ${w.message}`);
};

/**
 * Routes convergence warnings (default: process.emitWarning in Node, console.warn elsewhere).
 * @example setWarningHandler(() => {}); // silence them
 */
export function setWarningHandler(handler: WarningHandler): WarningHandler {
  const previous = warningHandler;
  warningHandler = handler;
  return previous;
}

export function warnConvergence(message: string): void {
  warningHandler({ name: 'ConvergenceWarning', message });
}
