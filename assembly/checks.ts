// Entry contracts of the kernels, checked in the debug binary only. Each kernel calls these inside
// `if (!ASC_NO_ASSERT) { ... }`: release binaries are built with --noAssert, which makes
// ASC_NO_ASSERT true, so the compiler drops the block, message strings included (the release
// binaries are byte for byte what they were without the checks). A failed check calls
// abort(message); the loader (src/wasm/load.ts) decodes the message from linear memory and throws
// a KernelError naming the kernel and the argument. Messages are static strings: building one
// would allocate, and nothing here may.

/** The dimensions hold (n ≥ 0 and the like). */
@inline
export function checkDims(ok: bool, message: string): void {
  if (!ok) abort(message);
}

/** ptr is `align`-byte aligned and [ptr, ptr + bytes) lies inside the linear memory. */
@inline
export function checkRegion(ptr: usize, bytes: usize, align: usize, message: string): void {
  const end = ptr + bytes;
  if ((ptr & (align - 1)) != 0 || end < ptr || end > (<usize>memory.size() << 16)) abort(message);
}

/** Bytes spanned by `rows` rows of `width` floats, `ld` floats apart (0 for an empty matrix). */
@inline
export function spanBytes(rows: i32, width: i32, ld: i32): usize {
  return rows <= 0 || width <= 0 ? 0 : ((<usize>(rows - 1) * <usize>ld + <usize>width) << 2);
}
