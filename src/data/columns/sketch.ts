// Quantiles of a stream in bounded memory. The first `exactCap` values are kept as they are, so
// quantiles of small columns are exact (NumPy's linear interpolation: the median of an even count
// is the mean of the two middle values). Past that the values go into a KLL sketch (Karnin, Lang &
// Liberty, "Optimal Quantile Approximation in Streams", 2016): compactors of capacity ⌈k·(2/3)^d⌉
// at depth d below the top; a full one sorts itself and promotes every other item (alternating
// offsets, so the sketch is deterministic) with twice the weight. With k = 256 the rank error is
// about 1 % of the count.

export class QuantileSketch {
  private exact: Float64Array | null;
  private exactCount = 0;
  private levels: number[][] = [];
  private size = 0;
  private flip = 0;
  count = 0;

  constructor(private readonly exactCap = 65536, private readonly k = 256) {
    this.exact = new Float64Array(Math.min(exactCap, 1024));
  }

  add(x: number): void {
    this.count++;
    if (this.exact) {
      if (this.exactCount === this.exact.length) {
        if (this.exactCount < this.exactCap) {
          const grown = new Float64Array(Math.min(this.exactCap, this.exact.length * 2));
          grown.set(this.exact);
          this.exact = grown;
        } else {
          const values = this.exact.subarray(0, this.exactCount);
          this.exact = null;
          this.levels = [[]];
          for (let i = 0; i < values.length; i++) this.push(values[i]!);
          this.push(x);
          return;
        }
      }
      this.exact[this.exactCount++] = x;
      return;
    }
    this.push(x);
  }

  /** True while every value is still held. */
  get isExact(): boolean { return this.exact !== null; }

  private capacity(level: number): number {
    const depth = this.levels.length - 1 - level;
    return Math.max(2, Math.ceil(this.k * Math.pow(2 / 3, depth)));
  }

  private total = 0;

  private push(x: number): void {
    this.levels[0]!.push(x);
    this.size++;
    if (this.total === 0) for (let h = 0; h < this.levels.length; h++) this.total += this.capacity(h);
    if (this.size >= this.total) {
      const depth = this.levels.length;
      this.compress();
      if (this.levels.length !== depth) this.total = 0;
    }
  }

  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      const level = this.levels[h]!;
      if (level.length < this.capacity(h)) continue;
      if (h + 1 === this.levels.length) this.levels.push([]);
      level.sort((a, b) => a - b);
      const keepOdd = level.length % 2 === 1 ? level.pop()! : undefined;
      const offset = this.flip;
      this.flip ^= 1;
      const up = this.levels[h + 1]!;
      for (let i = offset; i < level.length; i += 2) up.push(level[i]!);
      this.size -= level.length - Math.ceil((level.length - offset) / 2);
      level.length = 0;
      if (keepOdd !== undefined) level.push(keepOdd);
      return;
    }
  }

  /** The q-quantile (0 ≤ q ≤ 1); NaN for an empty sketch. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    if (this.exact) {
      const v = Float64Array.from(this.exact.subarray(0, this.exactCount)).sort();
      const pos = q * (v.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.min(v.length - 1, lo + 1);
      return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
    }
    const items: [number, number][] = [];
    this.levels.forEach((level, h) => { for (const x of level) items.push([x, 2 ** h]); });
    items.sort((a, b) => a[0] - b[0]);
    const total = items.reduce((s, [, w]) => s + w, 0);
    const target = q * total;
    let acc = 0;
    for (const [x, w] of items) {
      acc += w;
      if (acc >= target) return x;
    }
    return items[items.length - 1]![0];
  }
}
