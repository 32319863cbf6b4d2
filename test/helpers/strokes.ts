// Pen strokes on a square pad, rasterized as the demo page's canvas draws them (round caps and
// joins, a pen of pad/11, anti-aliased edges), and stroke templates of the ten digits written the
// plain way. Also renders an 8×8 digits image back onto a pad (bilinear, thresholded): what a
// person tracing that image with a thick pen would leave. Used by test/web/draw.test.ts.

export type Point = [number, number];
export type Strokes = Point[][];

/** Ink coverage in 0..1 per pixel of a size × size pad for polylines in pad pixels. */
export function rasterize(strokes: Strokes, size: number, lineWidth = size / 11): Float32Array {
  const ink = new Float32Array(size * size);
  const r = lineWidth / 2;
  for (const s of strokes) {
    const segs: [Point, Point][] = s.length === 1 ? [[s[0]!, s[0]!]] : s.slice(1).map((p, i) => [s[i]!, p]);
    for (const [a, b] of segs) {
      const xMin = Math.max(0, Math.floor(Math.min(a[0], b[0]) - r - 1));
      const xMax = Math.min(size - 1, Math.ceil(Math.max(a[0], b[0]) + r + 1));
      const yMin = Math.max(0, Math.floor(Math.min(a[1], b[1]) - r - 1));
      const yMax = Math.min(size - 1, Math.ceil(Math.max(a[1], b[1]) + r + 1));
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const len2 = dx * dx + dy * dy;
      for (let y = yMin; y <= yMax; y++) {
        for (let x = xMin; x <= xMax; x++) {
          const px = x + 0.5 - a[0];
          const py = y + 0.5 - a[1];
          const t = len2 ? Math.max(0, Math.min(1, (px * dx + py * dy) / len2)) : 0;
          const d = Math.hypot(px - t * dx, py - t * dy);
          const cover = Math.max(0, Math.min(1, r + 0.5 - d));
          const i = y * size + x;
          if (cover > ink[i]!) ink[i] = cover;
        }
      }
    }
  }
  return ink;
}

const ellipse = (cx: number, cy: number, rx: number, ry: number, from = 0, to = 2 * Math.PI, n = 28): Point[] =>
  Array.from({ length: n + 1 }, (_, i) => { const t = from + ((to - from) * i) / n; return [cx + rx * Math.sin(t), cy - ry * Math.cos(t)]; });

/** The ten digits as strokes in a unit box (x right, y down), written plainly. */
export const DIGIT_STROKES: Strokes[] = [
  [ellipse(0.5, 0.5, 0.3, 0.45)],
  [[[0.5, 0.05], [0.5, 0.95]]],
  [[[0.22, 0.25], [0.3, 0.1], [0.5, 0.04], [0.7, 0.1], [0.77, 0.27], [0.7, 0.45], [0.22, 0.95], [0.82, 0.95]]],
  [[[0.22, 0.12], [0.45, 0.03], [0.7, 0.1], [0.75, 0.3], [0.48, 0.48], [0.76, 0.6], [0.78, 0.82], [0.52, 0.97], [0.22, 0.88]]],
  [[[0.58, 0.05], [0.18, 0.65], [0.85, 0.65]], [[0.62, 0.35], [0.62, 0.95]]],
  [[[0.78, 0.05], [0.3, 0.05], [0.26, 0.45], [0.55, 0.38], [0.75, 0.5], [0.78, 0.75], [0.6, 0.93], [0.25, 0.9]]],
  [[[0.7, 0.05], [0.42, 0.22], [0.27, 0.52], [0.28, 0.83], [0.5, 0.96], [0.72, 0.85], [0.74, 0.62], [0.55, 0.5], [0.3, 0.6]]],
  [[[0.2, 0.05], [0.8, 0.05], [0.45, 0.95]]],
  [ellipse(0.5, 0.27, 0.22, 0.22), ellipse(0.5, 0.72, 0.27, 0.24)],
  [ellipse(0.5, 0.3, 0.25, 0.25), [[0.75, 0.3], [0.72, 0.95]]],
];

export interface Placement {
  /** Height of the digit as a fraction of the pad. */
  height: number;
  /** Centre of the digit (fractions of the pad). */
  cx: number;
  cy: number;
  /** Shear: x += slant · (0.5 − y) · height (a right-leaning hand for slant > 0). */
  slant?: number;
  /** Width scale against the template. */
  widthScale?: number;
}

/** A digit template placed on a size × size pad, in pad pixels. */
export function place(strokes: Strokes, size: number, p: Placement): Strokes {
  const h = p.height * size;
  const w = h * (p.widthScale ?? 1);
  return strokes.map((s) => s.map(([x, y]) => [
    p.cx * size + (x - 0.5) * w + (p.slant ?? 0) * (0.5 - y) * h,
    p.cy * size + (y - 0.5) * h,
  ]));
}

/**
 * An 8×8 image (values 0..16) rendered onto a pad: the image's 32×32 box becomes a box of
 * `box` pixels whose top-left corner is at (left, top), intensities interpolated bilinearly
 * between block centres and thresholded at half ink.
 */
export function renderImage(image: ArrayLike<number>, size: number, box: number, left: number, top: number): Float32Array {
  const ink = new Float32Array(size * size);
  const at = (r: number, c: number) => image[Math.max(0, Math.min(7, r)) * 8 + Math.max(0, Math.min(7, c))]! / 16;
  for (let y = 0; y < size; y++) {
    const gy = ((y + 0.5 - top) / box) * 8 - 0.5;
    if (gy < -0.5 || gy > 7.5) continue;
    const r0 = Math.floor(gy);
    const fy = gy - r0;
    for (let x = 0; x < size; x++) {
      const gx = ((x + 0.5 - left) / box) * 8 - 0.5;
      if (gx < -0.5 || gx > 7.5) continue;
      const c0 = Math.floor(gx);
      const fx = gx - c0;
      const v = (1 - fy) * ((1 - fx) * at(r0, c0) + fx * at(r0, c0 + 1)) + fy * ((1 - fx) * at(r0 + 1, c0) + fx * at(r0 + 1, c0 + 1));
      ink[y * size + x] = v >= 0.5 ? 1 : 0;
    }
  }
  return ink;
}
