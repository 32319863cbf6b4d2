/// <reference lib="esnext.disposable" preserve="true" />
// Automatic release as a safety net. `Symbol.dispose` on every owner of arena memory, so
// `using model = new Sequential(...)` disposes at the end of the block (where a host lacks
// Symbol.dispose, the key is Symbol.for('Symbol.dispose'), what transpilers' helpers look up; no
// polyfill is installed). A FinalizationRegistry returns the regions of an owner that was dropped
// without dispose() once it is garbage-collected: it holds the owner's lease (the regions and the
// arena), never the owner. Explicit dispose() stays the way: collection comes late, or never.

/** What the registry holds for an owner: its regions (an ArenaLease), which can be released. */
export interface Releasable { release(): void }

/** `Symbol.dispose`, or Symbol.for('Symbol.dispose') on a host without it. */
export const DISPOSE: typeof Symbol.dispose = (Symbol.dispose ?? Symbol.for('Symbol.dispose')) as typeof Symbol.dispose;

const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Releasable>((lease) => lease.release()) : undefined;

/** Releases `lease` when `owner` is collected (unless forget(owner) came first). */
export function reclaimOnCollect(owner: object, lease: Releasable): void {
  registry?.register(owner, lease, owner);
}

/** The owner returned its memory itself (dispose()). */
export function forget(owner: object): void {
  registry?.unregister(owner);
}
