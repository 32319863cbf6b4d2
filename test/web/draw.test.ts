// downsampleDigit against the bundled digits data set it feeds: what it makes of pen strokes has
// the data's pixel statistics (ink in every row, the outer columns nearly empty, the data's stroke
// width), held-out images traced back onto a pad come back close to themselves and are classified
// almost as well, and plainly written digits are read right by the demo page's default model.
import { beforeAll, describe, expect, it } from 'vitest';
import { adam, dense, loadDigits, Sequential, trainTestSplit, ValidationError, type Matrix } from '../../src/index.js';
import { Rng } from '../../src/rng.js';
import { downsampleDigit, strokeWidth } from '../../src/web/draw.js';
import { DIGIT_STROKES, place, rasterize, renderImage, type Placement } from '../helpers/strokes.js';

const PAD = 224; // the page's pad (canvas#pad), pen width PAD / 11
const digits = loadDigits();
const split = trainTestSplit(digits.X, digits.y, { testSize: 0.2, stratify: true, seed: 1 });
const scaled = (M: Matrix): Matrix => ({ data: M.data.map((v) => v / 16), rows: M.rows, cols: M.cols });

/** Per-row and per-column ink of 8×8 images, and the 2·area/perimeter stroke width of each traced back onto a pad. */
function pixelStats(images: Float32Array, n: number) {
  let allRows = 0;
  let narrow = 0;
  const colMean = new Float64Array(8);
  const widths: number[] = [];
  for (let i = 0; i < n; i++) {
    const img = images.subarray(i * 64, i * 64 + 64);
    let rows = 0;
    for (let r = 0; r < 8; r++) {
      let any = false;
      for (let c = 0; c < 8; c++) { colMean[c]! += img[r * 8 + c]! / (8 * n); if (img[r * 8 + c]! > 0) any = true; }
      if (any) rows++;
    }
    if (rows === 8) allRows++;
    let cols = 0;
    for (let c = 0; c < 8; c++) { let any = false; for (let r = 0; r < 8; r++) if (img[r * 8 + c]! > 0) any = true; if (any) cols++; }
    if (cols < 4) narrow++;
    widths.push((strokeWidth(Uint8Array.from(renderImage(img, PAD, PAD, 0, 0)), PAD, PAD) * 32) / PAD);
  }
  widths.sort((a, b) => a - b);
  return { allRows: allRows / n, narrow: narrow / n, colMean, widthMedian: widths[n >> 1]!, widthQ1: widths[n >> 2]!, widthQ3: widths[(3 * n) >> 2]!, widthP10: widths[Math.floor(n / 10)]!, widthP90: widths[Math.floor((9 * n) / 10)]! };
}

/** Ten digits per placement drawn with the page's pen. */
function drawn(placements: Placement[], pen = 1): { X: Float32Array; y: number[] } {
  const X = new Float32Array(placements.length * 10 * 64);
  const y: number[] = [];
  placements.forEach((p, k) => DIGIT_STROKES.forEach((s, d) => {
    X.set(downsampleDigit(rasterize(place(s, PAD, p), PAD, (PAD / 11) * pen), PAD, PAD), (k * 10 + d) * 64);
    y.push(d);
  }));
  return { X, y };
}

function jittered(count: number, seed: number): { placements: Placement[]; pens: number[] } {
  const rng = new Rng(seed);
  const placements: Placement[] = [];
  const pens: number[] = [];
  for (let i = 0; i < count; i++) {
    // Sizes from a third of the pad to most of it, anywhere, the slant of a right-handed writer, pens ±30 %.
    placements.push({ height: rng.uniformRange(0.35, 0.85), cx: rng.uniformRange(0.35, 0.65), cy: rng.uniformRange(0.4, 0.6), slant: rng.uniformRange(-0.1, 0.25), widthScale: rng.uniformRange(0.6, 0.95) });
    pens.push(rng.uniformRange(0.7, 1.3));
  }
  return { placements, pens };
}

describe('downsampleDigit', () => {
  const data = pixelStats(digits.X.data, digits.X.rows);
  const { placements, pens } = jittered(30, 3);
  const strokes = { X: new Float32Array(300 * 64), y: [] as number[] };
  placements.forEach((p, k) => { const d = drawn([p], pens[k]); strokes.X.set(d.X, k * 640); strokes.y.push(...d.y); });

  it('the data set: ink in every row of every image, in ≥ 4 columns of nearly all, outer columns nearly empty, strokes ~4.7 px of 32', () => {
    expect(data.allRows).toBe(1);
    expect(data.narrow).toBeLessThan(0.003);
    expect(data.colMean[0]).toBeLessThan(0.05);
    expect(data.colMean[7]).toBeLessThan(0.2);
    expect(data.widthMedian).toBeGreaterThan(4.6);
    expect(data.widthMedian).toBeLessThan(4.8);
  });

  it('drawn strokes get the data\'s statistics: ink in every row, empty outer columns, the data\'s stroke width', () => {
    const s = pixelStats(strokes.X, 300);
    console.log(`strokes: ink in every row ${(100 * s.allRows).toFixed(0)} %, in < 4 columns ${(100 * s.narrow).toFixed(1)} %, column means ${Array.from(s.colMean, (v) => v.toFixed(2)).join(' ')}, stroke width ${s.widthQ1.toFixed(2)} / ${s.widthMedian.toFixed(2)} / ${s.widthQ3.toFixed(2)} (data ${data.widthQ1.toFixed(2)} / ${data.widthMedian.toFixed(2)} / ${data.widthQ3.toFixed(2)})`);
    expect(s.allRows).toBe(1);
    expect(s.narrow).toBe(0);
    expect(s.colMean[0]).toBeLessThan(0.5);
    expect(s.colMean[7]).toBeLessThan(0.5);
    expect(s.widthMedian).toBeGreaterThan(data.widthQ1);
    expect(s.widthMedian).toBeLessThan(data.widthQ3);
    // The page's pen is pad/11: a digit drawn over 90 % of the pad has thin strokes once scaled into
    // the box, one drawn over 30 % fat ones. Without the stroke normalization they leave the data's
    // middle half of widths; with it they come back into its middle 80 %.
    for (const [height, pen] of [[0.9, 1], [0.3, 1]] as const) {
      const p = { height, cx: 0.5, cy: 0.5, widthScale: 0.75 };
      const raw = new Float32Array(640);
      DIGIT_STROKES.forEach((st, d) => raw.set(downsampleDigit(rasterize(place(st, PAD, p), PAD, (PAD / 11) * pen), PAD, PAD, { normalizeStroke: false }), d * 64));
      const w0 = pixelStats(raw, 10).widthMedian;
      const w1 = pixelStats(drawn([p], pen).X, 10).widthMedian;
      expect(w0 < data.widthQ1 || w0 > data.widthQ3, `height ${height}, pen ${pen}: ${w0}`).toBe(true);
      expect(w1, `height ${height}, pen ${pen}`).toBeGreaterThan(data.widthP10);
      expect(w1, `height ${height}, pen ${pen}`).toBeLessThan(data.widthP90);
    }
  });

  it('is invariant to where and how large a digit is drawn', () => {
    const a = downsampleDigit(rasterize(place(DIGIT_STROKES[3]!, PAD, { height: 0.8, cx: 0.5, cy: 0.5 }), PAD, (PAD / 11) * 1.6), PAD, PAD);
    const b = downsampleDigit(rasterize(place(DIGIT_STROKES[3]!, PAD, { height: 0.4, cx: 0.3, cy: 0.7 }), PAD, (PAD / 11) * 0.8), PAD, PAD);
    const diff = a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / 64;
    expect(diff).toBeLessThan(1.5);
  });

  it('rejects ink of the wrong size and non-integer dimensions; an empty pad gives zeros', () => {
    expect(() => downsampleDigit(new Float32Array(10), 4, 4)).toThrow(ValidationError);
    expect(() => downsampleDigit(new Float32Array(10), 4, 4)).toThrow(/ink: downsampleDigit expected width·height = 16 values, got 10/);
    expect(() => downsampleDigit(new Float32Array(16), 4.5, 4)).toThrow(/positive integers, got 4.5 × 4/);
    expect(Array.from(downsampleDigit(new Float32Array(PAD * PAD), PAD, PAD)).every((v) => v === 0)).toBe(true);
  });

  describe('with the demo page\'s default digits model (32 relu, adam 0.01, 20 epochs, batch 32, seed 1)', () => {
    let model: Sequential;
    const predict = (X: Float32Array, n: number) => model.predict(scaled({ data: X, rows: n, cols: 64 })).data;
    const argmax = (p: Float32Array, i: number) => { let b = 0; for (let c = 1; c < 10; c++) if (p[i * 10 + c]! > p[i * 10 + b]!) b = c; return b; };
    beforeAll(() => {
      model = new Sequential({ inputSize: 64, seed: 1, layers: [dense(32, { activation: 'relu' }), dense(10, { activation: 'softmax' })] });
      model.compile({ optimizer: adam({ learningRate: 0.01 }) });
      model.fitSync(scaled(split.XTrain), split.yTrain, { epochs: 20, batchSize: 32, validationData: [scaled(split.XTest), split.yTest] });
    });

    it('held-out images traced onto the pad come back close to themselves and are classified almost as well', () => {
      const rng = new Rng(9);
      // Every other held-out image (180), at a random size and place on the pad.
      const n = split.XTest.rows >> 1;
      const held = split.XTest.data.filter((_, j) => ((j / 64) | 0) % 2 === 0);
      const labels = split.yTest.filter((_, j) => j % 2 === 0);
      const back = new Float32Array(n * 64);
      let diff = 0;
      for (let i = 0; i < n; i++) {
        const img = held.subarray(i * 64, i * 64 + 64);
        const box = rng.uniformRange(90, 200);
        const x = downsampleDigit(renderImage(img, PAD, box, rng.uniformRange(0, PAD - box), rng.uniformRange(0, PAD - box)), PAD, PAD);
        back.set(x, i * 64);
        for (let j = 0; j < 64; j++) diff += Math.abs(x[j]! - img[j]!) / (64 * n);
      }
      const pOrig = predict(held, n);
      const pBack = predict(back, n);
      let orig = 0, traced = 0;
      for (let i = 0; i < n; i++) { if (argmax(pOrig, i) === labels[i]) orig++; if (argmax(pBack, i) === labels[i]) traced++; }
      console.log(`held-out digits: ${(100 * orig / n).toFixed(1)} % as given, ${(100 * traced / n).toFixed(1)} % traced onto the pad and downsampled; mean |Δ| ${diff.toFixed(2)} of 16 per pixel`);
      expect(diff).toBeLessThan(2);
      expect(traced / n).toBeGreaterThan(orig / n - 0.08);
    });

    it('reads plainly written 0, 1 and 7 right with ≥ 80 %, every digit right, and ≥ 88 % of 300 varied drawings', () => {
      const clean = drawn([{ height: 0.6, cx: 0.5, cy: 0.5, widthScale: 0.75 }]);
      const p = predict(clean.X, 10);
      const line = Array.from({ length: 10 }, (_, d) => `${d}→${argmax(p, d)} ${(100 * p[d * 10 + d]!).toFixed(1)} %`).join(', ');
      let hits = 0;
      const pv = predict(strokes.X, 300);
      for (let i = 0; i < 300; i++) if (argmax(pv, i) === strokes.y[i]) hits++;
      console.log(`plain digits: ${line}; varied drawings ${hits} / 300`);
      for (const d of [0, 1, 7]) expect(p[d * 10 + d], `digit ${d}`).toBeGreaterThanOrEqual(0.8);
      for (let d = 0; d < 10; d++) expect(argmax(p, d), `digit ${d}`).toBe(d);
      expect(hits / 300).toBeGreaterThanOrEqual(0.88);
    });
  });
});
