// Cells of a byte buffer as the strings the text path gives, without decoding the same bytes
// over and over: ByteStrings keeps the strings of recent distinct cells of a column (a category,
// a boolean, a date, a label, a missing spelling), found by an FNV-1a hash of the bytes and
// compared byte for byte, so a repeated cell costs a hash and no new string. UTF-8 decoding of
// a span that starts and ends at ASCII bytes (delimiters, line ends) gives exactly the substring
// the whole-text decoding gives there: the decoder resynchronises at every ASCII byte.

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The UTF-8 text of buf[s, e) (a BOM kept, as it is inside a decoded text). */
export function decodeSpan(buf: Uint8Array, s: number, e: number): string {
  return s === e ? '' : decoder.decode(buf.subarray(s, e));
}

/** Spans longer than this are decoded every time, not kept. */
const MAX_KEY = 128;

export class ByteStrings {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly offsets: Int32Array;
  private readonly lengths: Int32Array;
  private readonly values: (string | undefined)[];
  private readonly keys: Uint8Array;
  private used = 0;
  private count = 0;

  /** Holds up to `capacity` distinct cells (a power of two); when full it starts again empty. */
  constructor(private readonly capacity = 4096) {
    this.mask = capacity * 2 - 1;
    this.hashes = new Int32Array(capacity * 2);
    this.offsets = new Int32Array(capacity * 2);
    this.lengths = new Int32Array(capacity * 2);
    this.values = new Array<string | undefined>(capacity * 2).fill(undefined);
    this.keys = new Uint8Array(capacity * 32);
  }

  /** The string of buf[s, e). */
  get(buf: Uint8Array, s: number, e: number): string {
    const len = e - s;
    if (len > MAX_KEY) return decodeSpan(buf, s, e);
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const { mask, hashes, offsets, lengths, values, keys } = this;
    let k = h & mask;
    for (let v = values[k]; v !== undefined; v = values[k]) {
      if (hashes[k] === h && lengths[k] === len) {
        const o = offsets[k]!;
        let i = 0;
        while (i < len && keys[o + i] === buf[s + i]) i++;
        if (i === len) return v;
      }
      k = (k + 1) & mask;
    }
    const str = decodeSpan(buf, s, e);
    if (this.count === this.capacity || this.used + len > keys.length) { this.clear(); return str; }
    keys.set(buf.subarray(s, e), this.used);
    hashes[k] = h;
    offsets[k] = this.used;
    lengths[k] = len;
    values[k] = str;
    this.used += len;
    this.count++;
    return str;
  }

  private clear(): void {
    this.values.fill(undefined);
    this.used = 0;
    this.count = 0;
  }
}
