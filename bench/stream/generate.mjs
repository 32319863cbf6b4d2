// Writes a synthetic CSV table of about BYTES bytes (default 2 GB) for the streaming benchmark:
// a row number, six numbers (1 % missing), a 4-level and a 30-level text column, a date, a
// yes/no column and a 3-class label that depends on them (with noise). Seeded: the same file
// every time. Usage: node bench/stream/generate.mjs out.csv [bytes]
import { createWriteStream } from 'node:fs';

const [out, bytesArg] = process.argv.slice(2);
if (!out) { console.error('usage: node bench/stream/generate.mjs out.csv [bytes]'); process.exit(2); }
const target = Number(bytesArg ?? 2e9);
let s = 12345;
const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const colors = ['red', 'green', 'blue', 'grey'];
const cities = Array.from({ length: 30 }, (_, i) => `city_${String.fromCharCode(97 + (i % 26))}${i}`);
const w = createWriteStream(out, { highWaterMark: 1 << 22 });
let written = 0;
let row = 0;
const header = 'id,a,b,c,d,e,f,color,city,day,member,label\n';
w.write(header);
written += header.length;
const fmt = (x) => (rnd() < 0.01 ? '' : x.toFixed(3));
function chunk() {
  const lines = [];
  for (let k = 0; k < 20000 && written < target; k++) {
    const a = gauss(), b = gauss(), c = gauss(), d = gauss() * 10 + 50, e = rnd() * 100, f = gauss();
    const color = Math.floor(rnd() * 4), city = Math.floor(rnd() * 30);
    const month = 1 + Math.floor(rnd() * 12), day = 1 + Math.floor(rnd() * 28);
    const member = rnd() < 0.3;
    const z = a + 0.5 * b - 0.8 * c + 0.05 * (d - 50) + (color === 2 ? 1 : 0) - (city < 10 ? 0.7 : 0) + Math.sin((2 * Math.PI * (month - 1)) / 12) + (member ? 0.5 : 0) + 0.5 * gauss();
    const label = z < -0.6 ? 'low' : z < 0.8 ? 'mid' : 'high';
    const line = `${++row},${fmt(a)},${fmt(b)},${fmt(c)},${fmt(d)},${fmt(e)},${fmt(f)},${colors[color]},${cities[city]},2021-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')},${member ? 'yes' : 'no'},${label}\n`;
    written += line.length;
    lines.push(line);
  }
  return lines.join('');
}
function pump() {
  while (written < target) {
    if (!w.write(chunk())) { w.once('drain', pump); return; }
  }
  w.end(() => console.log(`${out}: ${row} rows, ${written} bytes`));
}
pump();
