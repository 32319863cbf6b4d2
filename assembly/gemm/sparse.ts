// Zero-skipping GEMM for an A that is mostly zeros: C[m×n] (=|+=) A·B with the terms where A is 0
// left out. In a ReLU network's backward pass dZ = dA ⊙ [z > 0] is about half zeros, and both dZ
// GEMMs (dW = dZᵀ·X, dX = dZ·W) take it as A.
//
// Each C row is summed over the nonzeros of its A row in ascending depth order, in one f32x4 lane
// per column from +0 (or from C), with the same madd as the dense micro-kernel (kernel.ts). The
// dense kernel's sum is that sequence with the zero terms added, and madd(0, b, acc) = acc + (±0) =
// acc for every finite b (acc is never −0: it starts at +0 or at C's value, and +0 + (−0) = +0); so
// the result is the dense driver's bit for bit unless B holds an inf or NaN where A is 0 (the dense
// product gives NaN there). Bias and relu are not supported here (the backward GEMMs have neither).
//
// Blocking (rows of C in blocks of SKIP_MC, by driver.ts): depth in blocks of SKIP_KC. Per depth
// block every row's nonzeros are listed (left-packed four at a time: offsets into the B panel and
// values); then per chunk of SKIP_W columns the B block is packed into a panel (16 KB, stays in
// L1) and every row runs down its list with 8 accumulators, one entry per iteration, about 38
// useful GFLOPS against the dense kernel's 50 (one B load per FMA: no reuse). A row block whose
// first depth block has more than MAX_DENSITY nonzeros goes to the dense driver (same result).
// Relaxed binary only (driver.ts); simd.wasm runs the dense driver for the same flag, with the same results.

import { madd } from '../simd';
import { STEP_DECAY, STEP_LR, STEP_MU, stepTile, stepVec } from './step';

/** Depth block: SKIP_KC rows of a packed B chunk (SKIP_W floats each, 16 KB) stay in L1 while every row's list runs past it. */
export const SKIP_KC: i32 = 128;
/** Row block: bounds the lists (SKIP_MC × (SKIP_KC + 4) offsets and values, 264 KB). */
export const SKIP_MC: i32 = 256;
/** Columns per pass over a list: 8 accumulators (2 FMA/cycle × 4-cycle latency). */
const SKIP_W: i32 = 32;
/** Nonzeros per entry of A above which the dense driver is faster (bench/README.md, "sparse"). */
const MAX_DENSITY: f32 = 0.7;

/** Bytes of one row's offsets (or values): SKIP_KC entries and 4 of slack for the whole-vector appends. */
const LIST_ROW: usize = <usize>(SKIP_KC + 4) << 2;
const TAIL_BYTES: usize = <usize>SKIP_W << 2;

@inline
function align64(x: usize): usize {
  return (x + 63) & ~(<usize>63);
}

/** The work buffer's parts for row blocks of up to `rows` rows and depth blocks of up to `depth`:
 *  [B panel][offsets][values][counts][tail row], each 64-byte aligned. Returns the byte offset of
 *  `part` (0 panel, 1 offsets, 2 values, 3 counts, 4 tail, 5 the end: the size). */
@inline
function workPart(rows: i32, depth: i32, part: i32): usize {
  const panel = align64(<usize>depth * <usize>SKIP_W << 2), list = align64(<usize>rows * LIST_ROW), counts = align64(<usize>rows << 2);
  let at: usize = 0;
  if (part > 0) at += panel;
  if (part > 1) at += list;
  if (part > 2) at += list;
  if (part > 3) at += counts;
  if (part > 4) at += TAIL_BYTES;
  return at;
}

/** Scratch for C[m×·] with depth k: sized by the blocks it uses (small GEMMs get small buffers). */
export function skipWorkBytes(m: i32, k: i32): usize {
  if (m <= 0 || k <= 0) return 0;
  return workPart(min(m, SKIP_MC), min(k, SKIP_KC), 5);
}

/** Left-pack controls: for each 4-bit mask, the byte swizzle that moves the selected f32 lanes to the front. */
const PACK_LUT: usize = memory.data<u8>([
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  4, 5, 6, 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 6, 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  8, 9, 10, 11, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 8, 9, 10, 11, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  4, 5, 6, 7, 8, 9, 10, 11, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x80, 0x80, 0x80, 0x80,
  12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  4, 5, 6, 7, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80,
  8, 9, 10, 11, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
], 16);

/** Appends the nonzero lanes of v (values) and o (their panel offsets) at entry n of a list; returns the new n.
 *  Writes a whole vector: a list has room for SKIP_KC + 4 entries. */
@inline
function pack4(v: v128, o: v128, offs: usize, vals: usize, n: usize): usize {
  const mask = i32x4.bitmask(f32x4.ne(v, f32x4.splat(0))); // NaN ≠ 0: kept
  const ctl = v128.load(PACK_LUT + (<usize>mask << 4));
  v128.store(vals + (n << 2), i8x16.swizzle(v, ctl));
  v128.store(offs + (n << 2), i8x16.swizzle(o, ctl));
  return n + <usize>popcnt(mask);
}

/** Appends one value (kept when ≠ 0) with its offset at entry n; returns the new n. */
@inline
function pack1(v: f32, off: u32, offs: usize, vals: usize, n: usize): usize {
  store<u32>(offs + (n << 2), off);
  store<f32>(vals + (n << 2), v);
  return n + <usize>(v != 0);
}

/** Ends list r at n entries: zero pairs (offset 0, value 0) up to a multiple of 4, the padded count stored. */
@inline
function endList(offs: usize, vals: usize, counts: usize, r: i32, n: usize): void {
  v128.store(offs + (n << 2), v128.splat<i32>(0));
  v128.store(vals + (n << 2), v128.splat<i32>(0));
  store<u32>(counts + (<usize>r << 2), <u32>((n + 3) & ~3));
}

/**
 * Lists the nonzeros of rows [0, mc) of A over depth [pc, pc + kc), A(r, p) at aPtr + 4·(aTrans ?
 * p·lda + r : r·lda + p): row r's byte offsets into the B panel (p − pc)·SKIP_W·4 at offs + r·LIST_ROW,
 * its values at vals + the same, counts[r] how many, padded with zero pairs to a multiple of 4.
 * Four values at a time, left-packed by a swizzle (PACK_LUT); a transposed A is read four rows
 * by four columns and transposed in registers.
 */
function listNonzeros(aPtr: usize, aTrans: bool, lda: i32, mc: i32, pc: i32, kc: i32, offs: usize, vals: usize, counts: usize): void {
  const ldaBytes = <usize>lda << 2;
  const kc4 = kc & ~3;
  const o0 = i32x4(0, SKIP_W << 2, SKIP_W << 3, 3 * SKIP_W << 2), o4 = i32x4.splat(SKIP_W << 4);
  if (aTrans) {
    const mc4 = mc & ~3;
    for (let r = 0; r < mc4; r += 4) {
      const l0 = <usize>r * LIST_ROW, l1 = l0 + LIST_ROW, l2 = l1 + LIST_ROW, l3 = l2 + LIST_ROW;
      let n0: usize = 0, n1: usize = 0, n2: usize = 0, n3: usize = 0;
      let a = aPtr + <usize>pc * ldaBytes + (<usize>r << 2);
      let o = o0;
      for (let p = 0; p < kc4; p += 4) {
        const a0 = v128.load(a), a1 = v128.load(a + ldaBytes), a2 = v128.load(a + 2 * ldaBytes), a3 = v128.load(a + 3 * ldaBytes);
        const u0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), u1 = i32x4.shuffle(a2, a3, 0, 4, 1, 5);
        const u2 = i32x4.shuffle(a0, a1, 2, 6, 3, 7), u3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
        n0 = pack4(i64x2.shuffle(u0, u1, 0, 2), o, offs + l0, vals + l0, n0);
        n1 = pack4(i64x2.shuffle(u0, u1, 1, 3), o, offs + l1, vals + l1, n1);
        n2 = pack4(i64x2.shuffle(u2, u3, 0, 2), o, offs + l2, vals + l2, n2);
        n3 = pack4(i64x2.shuffle(u2, u3, 1, 3), o, offs + l3, vals + l3, n3);
        a += 4 * ldaBytes;
        o = i32x4.add(o, o4);
      }
      for (let p = kc4; p < kc; p++) {
        const ap = aPtr + <usize>(pc + p) * ldaBytes + (<usize>r << 2), off = <u32>(p * SKIP_W << 2);
        n0 = pack1(load<f32>(ap), off, offs + l0, vals + l0, n0);
        n1 = pack1(load<f32>(ap, 4), off, offs + l1, vals + l1, n1);
        n2 = pack1(load<f32>(ap, 8), off, offs + l2, vals + l2, n2);
        n3 = pack1(load<f32>(ap, 12), off, offs + l3, vals + l3, n3);
      }
      endList(offs + l0, vals + l0, counts, r, n0);
      endList(offs + l1, vals + l1, counts, r + 1, n1);
      endList(offs + l2, vals + l2, counts, r + 2, n2);
      endList(offs + l3, vals + l3, counts, r + 3, n3);
    }
    for (let r = mc4; r < mc; r++) {
      const l = <usize>r * LIST_ROW;
      let n: usize = 0;
      for (let p = 0; p < kc; p++) n = pack1(load<f32>(aPtr + <usize>(pc + p) * ldaBytes + (<usize>r << 2)), <u32>(p * SKIP_W << 2), offs + l, vals + l, n);
      endList(offs + l, vals + l, counts, r, n);
    }
  } else {
    for (let r = 0; r < mc; r++) {
      const a = aPtr + <usize>r * ldaBytes + (<usize>pc << 2);
      const l = <usize>r * LIST_ROW;
      let n: usize = 0;
      let o = o0;
      for (let p = 0; p < kc4; p += 4) {
        n = pack4(v128.load(a + (<usize>p << 2)), o, offs + l, vals + l, n);
        o = i32x4.add(o, o4);
      }
      for (let p = kc4; p < kc; p++) n = pack1(load<f32>(a + (<usize>p << 2)), <u32>(p * SKIP_W << 2), offs + l, vals + l, n);
      endList(offs + l, vals + l, counts, r, n);
    }
  }
}

/** Nonzeros (NaN counts) of rows [0, mc) of A over depth [0, kc), read along A's stored rows. */
function countNonzeros(aPtr: usize, aTrans: bool, lda: i32, mc: i32, kc: i32): i32 {
  const ldaBytes = <usize>lda << 2;
  const rows = aTrans ? kc : mc, len = aTrans ? mc : kc;
  const len4 = len & ~3;
  const zero = f32x4.splat(0);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const a = aPtr + <usize>i * ldaBytes;
    for (let j = 0; j < len4; j += 4) total += popcnt(i32x4.bitmask(f32x4.ne(v128.load(a + (<usize>j << 2)), zero)));
    for (let j = len4; j < len; j++) total += <i32>(load<f32>(a + (<usize>j << 2)) != 0);
  }
  return total;
}

/** B rows [pc, pc + kc), columns [jc, jc + w) → the panel, SKIP_W floats per row (zeros past w). */
function packPanel(panel: usize, bPtr: usize, ldbBytes: usize, pc: i32, kc: i32, jc: i32, w: i32): void {
  for (let p = 0; p < kc; p++) {
    const src = bPtr + <usize>(pc + p) * ldbBytes + (<usize>jc << 2);
    const dst = panel + (<usize>p * <usize>SKIP_W << 2);
    if (w == SKIP_W) {
      for (let j: usize = 0; j < 128; j += 16) v128.store(dst + j, v128.load(src + j));
    } else {
      for (let j = 0; j < SKIP_W; j++) store<f32>(dst + (<usize>j << 2), j < w ? load<f32>(src + (<usize>j << 2)) : 0);
    }
  }
}

/** One C row's 32 columns at c: (first ? 0 : c) + Σ over its list of value·panel row. One entry per
 *  iteration, and a function of its own (not inlined: two call sites): with more entries per
 *  iteration, or inside the block loops, V8 hoists the loads and spills the accumulators. */
function row32(offs: usize, vals: usize, count: usize, panel: usize, c: usize, first: bool): void {
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  if (!first) {
    c0 = v128.load(c); c1 = v128.load(c, 16); c2 = v128.load(c, 32); c3 = v128.load(c, 48);
    c4 = v128.load(c, 64); c5 = v128.load(c, 80); c6 = v128.load(c, 96); c7 = v128.load(c, 112);
  }
  const end = offs + (count << 2);
  while (offs < end) {
    const row = panel + <usize>load<u32>(offs);
    const s = v128.load32_splat(vals);
    c0 = madd(s, v128.load(row), c0); c1 = madd(s, v128.load(row, 16), c1);
    c2 = madd(s, v128.load(row, 32), c2); c3 = madd(s, v128.load(row, 48), c3);
    c4 = madd(s, v128.load(row, 64), c4); c5 = madd(s, v128.load(row, 80), c5);
    c6 = madd(s, v128.load(row, 96), c6); c7 = madd(s, v128.load(row, 112), c7);
    offs += 4; vals += 4;
  }
  v128.store(c, c0); v128.store(c, c1, 16); v128.store(c, c2, 32); v128.store(c, c3, 48);
  v128.store(c, c4, 64); v128.store(c, c5, 80); v128.store(c, c6, 96); v128.store(c, c7, 112);
}

/** The fused optimizer step (step.ts) on one C row chunk of 32 floats just summed: C keeps the
 *  gradient, P (and v) at the same offsets get their update. */
@inline
function step32(c: usize, p: usize, v: usize, vnlr: v128, vmu: v128, vdecay: v128, decay: bool): void {
  for (let at: usize = 0; at < 128; at += 16) v128.store(c + at, stepVec(v128.load(c + at), p, v, at, vnlr, vmu, vdecay, decay));
}

/**
 * Rows [0, mc ≤ SKIP_MC) of C[·×n] (=|+=) A·B skipping A's zeros (see the top of the file), or false
 * before writing anything when the first depth block is denser than MAX_DENSITY (the caller then
 * runs the dense driver on these rows). aPtr, cPtr (and pPtr, vPtr) point at the block's first row.
 * Layouts as gemmLd: aTrans: A stored k×m (column r of it is row r of C's A), else m×k; B stored
 * k×n, rows ldb floats apart; C rows ldc floats apart. pPtr ≠ 0: the fused optimizer step
 * (step.ts) on each finished C row chunk, P and v with C's layout.
 */
export function skipZerosRows(aPtr: usize, aTrans: bool, lda: i32, bPtr: usize, ldb: i32, cPtr: usize, ldc: i32,
  mc: i32, n: i32, k: i32, accumulate: bool, workPtr: usize, pPtr: usize, vPtr: usize, hPtr: usize): bool {
  // mc ≤ min(m, SKIP_MC) of the whole GEMM, and k's blocks ≤ min(k, SKIP_KC): inside skipWorkBytes(m, k).
  const depth = min(k, SKIP_KC);
  const panel = workPtr, offs = workPtr + workPart(mc, depth, 1), vals = workPtr + workPart(mc, depth, 2);
  const counts = workPtr + workPart(mc, depth, 3), tail = workPtr + workPart(mc, depth, 4);
  const ldbBytes = <usize>ldb << 2, ldcBytes = <usize>ldc << 2;
  const vnlr = f32x4.splat(pPtr ? -<f32>load<f64>(hPtr, STEP_LR) : 0), vmu = f32x4.splat(pPtr ? <f32>load<f64>(hPtr, STEP_MU) : 0);
  const fdecay: f32 = pPtr ? <f32>load<f64>(hPtr, STEP_DECAY) : 0, vdecay = f32x4.splat(fdecay), decay = fdecay != 0;
  for (let pc = 0; pc < k; pc += SKIP_KC) {
    const kc = min(SKIP_KC, k - pc);
    // The count reads the first block once more, but listing a dense block only to throw it away costs 3× as much.
    if (pc == 0 && <f32>countNonzeros(aPtr, aTrans, lda, mc, kc) > MAX_DENSITY * <f32>mc * <f32>kc) return false;
    listNonzeros(aPtr, aTrans, lda, mc, pc, kc, offs, vals, counts);
    const first = pc == 0 && !accumulate;
    const last = pc + kc == k;
    for (let jc = 0; jc < n; jc += SKIP_W) {
      const w = min(SKIP_W, n - jc);
      packPanel(panel, bPtr, ldbBytes, pc, kc, jc, w);
      for (let r = 0; r < mc; r++) {
        const count = <usize>load<u32>(counts + (<usize>r << 2));
        const at = <usize>r * ldcBytes + (<usize>jc << 2);
        const c = cPtr + at;
        const o = offs + <usize>r * LIST_ROW, x = vals + <usize>r * LIST_ROW;
        if (w == SKIP_W) {
          row32(o, x, count, panel, c, first);
          if (last && pPtr) step32(c, pPtr + at, vPtr ? vPtr + at : 0, vnlr, vmu, vdecay, decay);
        } else {
          // A narrow last chunk: through a full-width scratch row, the valid floats copied back.
          for (let j = 0; j < w; j++) store<f32>(tail + (<usize>j << 2), first ? 0 : load<f32>(c + (<usize>j << 2)));
          row32(o, x, count, panel, tail, first);
          for (let j = 0; j < w; j++) store<f32>(c + (<usize>j << 2), load<f32>(tail + (<usize>j << 2)));
          if (last && pPtr) stepTile(c, pPtr + at, vPtr ? vPtr + at : 0, ldcBytes, 1, w, hPtr);
        }
      }
    }
  }
  return true;
}
