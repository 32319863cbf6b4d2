// The one probe for Node's built-in modules: process.getBuiltinModule (Node ≥ 20.16 / 22.3, Bun,
// Deno), reached through globalThis so that no static `node:` import exists and a browser bundle
// never pulls one in. Browsers have no such function: every caller gets undefined there and says
// what to do instead.

/** A Node built-in ('node:fs', 'node:os', ...), or undefined where the host has none. */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}
