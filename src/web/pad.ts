// The drawing pad: pointer strokes on a canvas, read back as ink (alpha) for downsampleDigit().

export class DrawingPad {
  private drawing = false;
  private last: [number, number] | undefined;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement, private readonly onStroke: () => void) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    canvas.addEventListener('pointerdown', (e) => { this.drawing = true; canvas.setPointerCapture(e.pointerId); this.last = this.at(e); this.dot(this.last); });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const p = this.at(e);
      this.line(this.last!, p);
      this.last = p;
    });
    const end = () => { if (this.drawing) { this.drawing = false; this.onStroke(); } };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  private at(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * this.canvas.width, ((e.clientY - r.top) / r.height) * this.canvas.height];
  }

  private style(): void {
    const c = this.ctx;
    c.strokeStyle = c.fillStyle = '#111';
    c.lineWidth = this.canvas.width / 11;
    c.lineCap = c.lineJoin = 'round';
  }

  private dot([x, y]: [number, number]): void {
    this.style();
    this.ctx.beginPath();
    this.ctx.arc(x, y, this.ctx.lineWidth / 2, 0, 2 * Math.PI);
    this.ctx.fill();
  }

  private line(a: [number, number], b: [number, number]): void {
    this.style();
    this.ctx.beginPath();
    this.ctx.moveTo(a[0], a[1]);
    this.ctx.lineTo(b[0], b[1]);
    this.ctx.stroke();
  }

  clear(): void {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Ink per pixel in 0..1 (the canvas' alpha), row-major. */
  ink(): Float32Array {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const out = new Float32Array(width * height);
    for (let i = 0; i < out.length; i++) out[i] = rgba[4 * i + 3]! / 255;
    return out;
  }

  isEmpty(): boolean {
    return this.ink().every((v) => v === 0);
  }
}
