// A drawn digit → the 8×8 format of the bundled digits data set (Alpaydin & Kaynak, UCI "optdigits"):
// 32×32 bitmaps cut into 4×4 blocks, each block's count of ink pixels (0..16) one feature.
//
// How the drawing is placed in the 32×32 box follows the data, not the MNIST convention (20×20
// inside 28×28): in all 1,797 images ink reaches the top and the bottom row of the 8×8 grid, while
// the width varies with the digit (a "0" spans columns 1–6, a "1" often 2–5; column 0 is almost
// always empty, and almost no image has ink in fewer than 4 columns). So the ink's bounding box
// is scaled to the full 32 pixels of height, the width by the same factor (aspect kept; squeezed
// to 32 when wider, stretched to MIN_WIDTH when narrower), and centred horizontally.
//
// A pen drawing has whatever stroke width the pen and the size of the drawing give (a digit drawn
// small with the same pen has fat strokes once scaled up), so the ink is first thickened or thinned
// (a distance transform) to the data's stroke width, STROKE_WIDTH, measured as 2·area / perimeter.
// test/web/draw.test.ts checks these statistics and how drawn strokes are classified.

import { ValidationError } from '../errors.js';

const BOX = 32;
/** Target stroke width in pixels of the 32-pixel box. The data's images, traced back onto a pad
 *  (test/helpers/strokes.ts) and measured by strokeWidth(), have a median of 4.7 (quartiles 4.1 and
 *  5.2); drawings normalized to 4 come out of the 8×8 blocks measuring 4.7 the same way. */
export const STROKE_WIDTH = 4;

/** Narrowest ink in the box (a plain "1" is stretched to it): 12 of 32 pixels, centred, touch 4 block
 *  columns, and only 5 of the data's 1,797 images have ink in fewer than 4. */
export const MIN_WIDTH = 12;

export interface DownsampleOptions {
  /** Thicken or thin the strokes to the data set's width (default true). */
  normalizeStroke?: boolean;
}

/** Stroke width of a binary image: 2·area / perimeter (a stroke of width w and length L has area wL, perimeter ≈ 2L). */
export function strokeWidth(ink: Uint8Array, width: number, height: number): number {
  let area = 0;
  let edges = 0;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (!ink[r * width + c]) continue;
      area++;
      if (c === 0 || !ink[r * width + c - 1]) edges++;
      if (c === width - 1 || !ink[r * width + c + 1]) edges++;
      if (r === 0 || !ink[(r - 1) * width + c]) edges++;
      if (r === height - 1 || !ink[(r + 1) * width + c]) edges++;
    }
  }
  return edges ? (2 * area) / edges : 0;
}

/** Chamfer distance (1, √2) of every pixel to the nearest pixel whose ink equals `target`. */
function distanceTo(ink: Uint8Array, target: 0 | 1, width: number, height: number): Float32Array {
  const d = new Float32Array(width * height);
  const far = width + height;
  for (let i = 0; i < d.length; i++) d[i] = ink[i] === target ? 0 : far;
  const D = Math.SQRT2;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      let v = d[i]!;
      if (v === 0) continue;
      if (c > 0) v = Math.min(v, d[i - 1]! + 1);
      if (r > 0) {
        v = Math.min(v, d[i - width]! + 1);
        if (c > 0) v = Math.min(v, d[i - width - 1]! + D);
        if (c < width - 1) v = Math.min(v, d[i - width + 1]! + D);
      }
      d[i] = v;
    }
  }
  for (let r = height - 1; r >= 0; r--) {
    for (let c = width - 1; c >= 0; c--) {
      const i = r * width + c;
      let v = d[i]!;
      if (v === 0) continue;
      if (c < width - 1) v = Math.min(v, d[i + 1]! + 1);
      if (r < height - 1) {
        v = Math.min(v, d[i + width]! + 1);
        if (c < width - 1) v = Math.min(v, d[i + width + 1]! + D);
        if (c > 0) v = Math.min(v, d[i + width - 1]! + D);
      }
      d[i] = v;
    }
  }
  return d;
}

function bounds(ink: Uint8Array, width: number, height: number): [number, number, number, number] | undefined {
  let x0 = width, x1 = -1, y0 = height, y1 = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (!ink[r * width + c]) continue;
      if (c < x0) x0 = c;
      if (c > x1) x1 = c;
      if (r < y0) y0 = r;
      if (r > y1) y1 = r;
    }
  }
  return x1 < 0 ? undefined : [x0, x1, y0, y1];
}

/** The strokes thickened or thinned so that, scaled into the box, they are STROKE_WIDTH wide. */
function normalizeStroke(ink: Uint8Array, width: number, height: number, h: number): Uint8Array {
  const w = strokeWidth(ink, width, height);
  // Thickening by δ on each side makes the box taller too: solve w + 2δ = STROKE_WIDTH·(h + 2δ)/BOX.
  const t = STROKE_WIDTH / BOX;
  const delta = (t * h - w) / (2 * (1 - t));
  if (Math.abs(delta) < 0.5) return ink;
  const out = new Uint8Array(ink.length);
  if (delta > 0) {
    const d = distanceTo(ink, 1, width, height);
    for (let i = 0; i < d.length; i++) out[i] = d[i]! <= delta ? 1 : 0;
    return out;
  }
  // Thinning never removes a stroke: pixels on its middle line (none of their neighbours farther
  // from the background) stay.
  const keep = -delta;
  const d = distanceTo(ink, 0, width, height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const v = d[i]!;
      if (v > keep) { out[i] = 1; continue; }
      if (v === 0) continue;
      let ridge = 1;
      for (let dr = -1; dr <= 1 && ridge; dr++) {
        const rr = r + dr;
        if (rr < 0 || rr >= height) continue;
        for (let dc = -1; dc <= 1; dc++) {
          const cc = c + dc;
          if (cc >= 0 && cc < width && d[rr * width + cc]! > v) { ridge = 0; break; }
        }
      }
      out[i] = ridge;
    }
  }
  return out;
}

/**
 * Downsamples ink (one value per pixel in 0..1, row-major, e.g. a canvas' alpha / 255) to 64 values in 0..16.
 * @example const x = downsampleDigit(alpha, 256, 256); // Float32Array(64)
 */
export function downsampleDigit(ink: ArrayLike<number>, width: number, height: number, options: DownsampleOptions = {}): Float32Array {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new ValidationError('width, height', `downsampleDigit needs positive integers, got ${width} × ${height}`);
  }
  if (ink.length !== width * height) throw new ValidationError('ink', `downsampleDigit expected width·height = ${width * height} values, got ${ink.length}`);
  let binary: Uint8Array = new Uint8Array(width * height);
  for (let i = 0; i < binary.length; i++) binary[i] = ink[i]! >= 0.5 ? 1 : 0;
  const out = new Float32Array(64);
  let box = bounds(binary, width, height);
  if (!box) return out;
  if (options.normalizeStroke ?? true) {
    binary = normalizeStroke(binary, width, height, box[3] - box[2] + 1);
    box = bounds(binary, width, height)!;
  }
  const [x0, x1, y0, y1] = box;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const sy = BOX / h;
  const sx = Math.max(Math.min(sy, BOX / w), MIN_WIDTH / w);
  const ox = (BOX - w * sx) / 2;
  const bitmap = new Uint8Array(BOX * BOX);
  // Each cell of the 32×32 bitmap averages the pixels under it (area sampling on a 4×4 sub-grid)
  // and is ink when at least half covered.
  const S = 4;
  for (let r = 0; r < BOX; r++) {
    for (let c = 0; c < BOX; c++) {
      let sum = 0;
      for (let i = 0; i < S; i++) {
        const py = Math.floor(y0 + (r + (i + 0.5) / S) / sy);
        if (py < y0 || py > y1) continue;
        for (let j = 0; j < S; j++) {
          const px = Math.floor(x0 + (c + (j + 0.5) / S - ox) / sx);
          if (px >= x0 && px <= x1) sum += binary[py * width + px]!;
        }
      }
      bitmap[r * BOX + c] = sum / (S * S) >= 0.5 ? 1 : 0;
    }
  }
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 8; c++) {
      let count = 0;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) count += bitmap[(4 * r + i) * BOX + 4 * c + j]!;
      out[r * 8 + c] = count;
    }
  }
  return out;
}
