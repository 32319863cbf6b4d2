// A tiny well-formedness checker for the generated HTML: every non-void tag closed in order,
// one html/head/body. Not a full HTML parser; enough for the report's own output.

const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'source', 'col', 'area', 'base', 'wbr']);

export interface HtmlCheck { errors: string[]; counts: Map<string, number> }

export function checkHtml(html: string): HtmlCheck {
  const errors: string[] = [];
  const counts = new Map<string, number>();
  const stack: string[] = [];
  // <style> is raw text (CSS child combinators are '>'): its content is not markup.
  const body = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE[^>]*>/i, '').replace(/(<style>)[^<]*(<\/style>)/g, '$1$2');
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*(\/?)>/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(body))) {
    const between = body.slice(last, m.index);
    if (/[<>]/.test(between)) errors.push(`stray < or > near ${JSON.stringify(between.slice(0, 60))}`);
    last = re.lastIndex;
    const [, close, rawName, , selfClose] = m;
    const name = rawName!.toLowerCase();
    if (close) {
      const top = stack.pop();
      if (top !== name) errors.push(`</${name}> closes <${top ?? 'nothing'}>`);
    } else {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (!selfClose && !VOID.has(name)) stack.push(name);
    }
  }
  if (/[<>]/.test(body.slice(last))) errors.push('stray < or > at the end');
  if (stack.length) errors.push(`unclosed: ${stack.join(' > ')}`);
  for (const t of ['html', 'head', 'body']) if (counts.get(t) !== 1) errors.push(`${counts.get(t) ?? 0} <${t}> elements, expected 1`);
  return { errors, counts };
}

/** The attributes of the first element matching `re` (a regex over the whole start tag). */
export function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** The start tag of `<svg id="id" ...>` and the markup up to its </svg>. */
export function svgById(html: string, id: string): { tag: string; inner: string } | undefined {
  const start = html.indexOf(`<svg id="${id}"`);
  if (start < 0) return undefined;
  const tagEnd = html.indexOf('>', start);
  const end = html.indexOf('</svg>', tagEnd);
  return { tag: html.slice(start, tagEnd + 1), inner: html.slice(tagEnd + 1, end) };
}

/** Maps a chart's polyline points back to data values using the documented scaling. */
export function seriesValues(html: string, chartId: string, series: string): { x: number; y: number }[] {
  const svg = svgById(html, chartId);
  if (!svg) throw new Error(`no <svg id="${chartId}">`);
  const a = attrs(svg.tag);
  const [left, top, width, height] = a['data-plot']!.split(' ').map(Number) as [number, number, number, number];
  const xMin = Number(a['data-x-min']);
  const xMax = Number(a['data-x-max']);
  const yMin = Number(a['data-y-min']);
  const yMax = Number(a['data-y-max']);
  const m = new RegExp(`<polyline data-series="${series}" points="([^"]*)"`).exec(svg.inner);
  if (!m) throw new Error(`no polyline ${series} in ${chartId}`);
  return m[1]!.trim().split(/\s+/).filter(Boolean).map((p) => {
    const [px, py] = p.split(',').map(Number) as [number, number];
    return { x: xMin + ((px - left) / width) * (xMax - xMin), y: yMin + ((top + height - py) / height) * (yMax - yMin) };
  });
}

/** Maps a chart's band polygon (upper edge left to right, then lower edge back) to data values. */
export function bandValues(html: string, chartId: string, band: string): { upper: { x: number; y: number }[]; lower: { x: number; y: number }[] } {
  const svg = svgById(html, chartId);
  if (!svg) throw new Error(`no <svg id="${chartId}">`);
  const a = attrs(svg.tag);
  const [left, top, width, height] = a['data-plot']!.split(' ').map(Number) as [number, number, number, number];
  const [xMin, xMax, yMin, yMax] = ['data-x-min', 'data-x-max', 'data-y-min', 'data-y-max'].map((k) => Number(a[k]));
  const m = new RegExp(`<polygon data-series="${band}" points="([^"]*)"`).exec(svg.inner);
  if (!m) throw new Error(`no band ${band} in ${chartId}`);
  const pts = m[1]!.trim().split(/\s+/).map((p) => {
    const [px, py] = p.split(',').map(Number) as [number, number];
    return { x: xMin! + ((px - left) / width) * (xMax! - xMin!), y: yMin! + ((top + height - py) / height) * (yMax! - yMin!) };
  });
  const n = pts.length / 2;
  return { upper: pts.slice(0, n), lower: pts.slice(n).reverse() };
}
