// A drawn digit → the 8×8 format of the digits data set (Alpaydin & Kaynak): the ink's bounding
// box is scaled to fit a 20×20 box (aspect kept) centred in a 32×32 bitmap, which is cut into 4×4
// blocks; each block's ink coverage becomes 0..16. That mirrors how the UCI set was made (32×32
// bitmaps normalized to a 20×20 box, blocks of 4×4 counted).

/**
 * Downsamples ink (one value per pixel in 0..1, row-major, e.g. a canvas' alpha / 255) to 64 values in 0..16.
 * @example const x = downsampleDigit(alpha, 256, 256); // Float32Array(64)
 */
export function downsampleDigit(ink: ArrayLike<number>, width: number, height: number): Float32Array {
  if (ink.length !== width * height) throw new Error(`downsampleDigit: ink has ${ink.length} values, expected width·height = ${width * height}`);
  let x0 = width, x1 = -1, y0 = height, y1 = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (ink[r * width + c]! > 0.05) {
        if (c < x0) x0 = c;
        if (c > x1) x1 = c;
        if (r < y0) y0 = r;
        if (r > y1) y1 = r;
      }
    }
  }
  const out = new Float32Array(64);
  if (x1 < 0) return out;
  const box = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const scale = 20 / box;
  // Top-left of the scaled ink inside the 32×32 bitmap, centred.
  const ox = 16 - ((x1 - x0 + 1) * scale) / 2;
  const oy = 16 - ((y1 - y0 + 1) * scale) / 2;
  const bitmap = new Float32Array(32 * 32);
  // Each of the 32×32 cells averages the source pixels that map into it (area sampling, 3×3 sub-samples).
  const S = 3;
  for (let r = 0; r < 32; r++) {
    for (let c = 0; c < 32; c++) {
      let sum = 0;
      for (let i = 0; i < S; i++) {
        for (let j = 0; j < S; j++) {
          const sx = x0 + (c + (j + 0.5) / S - ox) / scale;
          const sy = y0 + (r + (i + 0.5) / S - oy) / scale;
          const px = Math.floor(sx);
          const py = Math.floor(sy);
          if (px >= x0 && px <= x1 && py >= y0 && py <= y1) sum += Math.min(1, Math.max(0, ink[py * width + px]!));
        }
      }
      bitmap[r * 32 + c] = sum / (S * S) > 0.3 ? 1 : 0;
    }
  }
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 8; c++) {
      let count = 0;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) count += bitmap[(4 * r + i) * 32 + 4 * c + j]!;
      out[r * 8 + c] = count;
    }
  }
  return out;
}
