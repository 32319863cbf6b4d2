// Activations written as several ONNX operators, recognized on import: GELU as the Erf form
// (torch.onnx below opset 20: x·(erf(x/√2) + 1)·0.5; tf2onnx: (0.5·x)·(1 + erf(x·(1/√2))), any
// order of the products), SiLU/swish as x·Sigmoid(x), and simdnet's own forms for step, ISRU,
// ISRLU, SQNL, bipolar ReLU and softplus with β ≠ 1 (onnx-activations.ts writes them). A pattern
// matches only when every use of x inside the network belongs to it.

import type { ActivationName } from '../nn/activations.js';
import type { ActivationParams } from './netbuilder.js';
import { near, scalarOf, type GraphView } from './onnx-graph.js';
import { DT, type OnnxNode } from './onnx-proto.js';

export interface Match { activation: ActivationName; params: ActivationParams; out: string; first: OnnxNode }

interface Ctx { g: GraphView; within: Set<OnnxNode>; size: number }

function uses(c: Ctx, v: string): OnnxNode[] {
  return c.g.consumers(v, c.within);
}

/** The only node using v (and v is not also a graph output), or undefined. */
function sole(c: Ctx, v: string, op?: string): OnnxNode | undefined {
  const u = uses(c, v);
  if (u.length !== 1 || c.g.outputs.has(v)) return undefined;
  return op === undefined || (u[0]!.opType === op && u[0]!.domain === '') ? u[0] : undefined;
}

function other(n: OnnxNode, v: string): string | undefined {
  if (n.inputs.length !== 2) return undefined;
  if (n.inputs[0] === v) return n.inputs[1];
  if (n.inputs[1] === v) return n.inputs[0];
  return undefined;
}

function scalar(c: Ctx, name: string | undefined): number | undefined {
  return name === undefined ? undefined : scalarOf(c.g.constant(name));
}

function coversUses(c: Ctx, x: string, nodes: OnnxNode[]): boolean {
  return uses(c, x).every((n) => nodes.includes(n));
}

function gelu(c: Ctx, x: string): Match | undefined {
  for (const start of uses(c, x)) {
    const k = scalar(c, other(start, x));
    const scaled = (start.opType === 'Div' && start.inputs[0] === x && near(k, Math.SQRT2))
      || (start.opType === 'Mul' && near(k, Math.SQRT1_2));
    if (!scaled) continue;
    const erf = sole(c, start.outputs[0]!, 'Erf');
    const add = erf && sole(c, erf.outputs[0]!, 'Add');
    if (!add || !near(scalar(c, other(add, erf!.outputs[0]!)), 1)) continue;
    const nodes = [start, erf!, add];
    let val = add.outputs[0]!;
    let needX = true;
    let needHalf = true;
    while (needX || needHalf) {
      const m = sole(c, val, 'Mul');
      const o = m && other(m, val);
      if (!m || o === undefined) break;
      if (o === x && needX) needX = false;
      else if (needHalf && near(scalar(c, o), 0.5)) needHalf = false;
      else {
        const h = c.g.producer.get(o);
        const hx = h && h.opType === 'Mul' ? other(h, x) : undefined;
        if (!h || !needX || !needHalf || !near(scalar(c, hx), 0.5) || uses(c, o).length !== 1) break;
        nodes.push(h);
        needX = needHalf = false;
      }
      nodes.push(m);
      val = m.outputs[0]!;
    }
    if (!needX && !needHalf && coversUses(c, x, nodes)) return { activation: 'gelu', params: {}, out: val, first: start };
  }
  return undefined;
}

function silu(c: Ctx, x: string): Match | undefined {
  const sig = uses(c, x).find((n) => n.opType === 'Sigmoid');
  const mul = sig && sole(c, sig.outputs[0]!, 'Mul');
  if (!sig || !mul || other(mul, sig.outputs[0]!) !== x || !coversUses(c, x, [sig, mul])) return undefined;
  return { activation: 'silu', params: {}, out: mul.outputs[0]!, first: sig };
}

/** x / √(αx² + 1) from x; returns the Div node and α. */
function isruFrom(c: Ctx, x: string): { nodes: OnnxNode[]; alpha: number; out: string } | undefined {
  const sq = uses(c, x).find((n) => n.opType === 'Mul' && n.inputs[0] === x && n.inputs[1] === x);
  const ma = sq && sole(c, sq.outputs[0]!, 'Mul');
  const alpha = ma && scalar(c, other(ma, sq!.outputs[0]!));
  const add = ma && sole(c, ma.outputs[0]!, 'Add');
  const sqrt = add && near(scalar(c, other(add, ma!.outputs[0]!)), 1) ? sole(c, add.outputs[0]!, 'Sqrt') : undefined;
  const div = sqrt && sole(c, sqrt.outputs[0]!, 'Div');
  if (!div || alpha === undefined || div.inputs[0] !== x || div.inputs[1] !== sqrt!.outputs[0]) return undefined;
  return { nodes: [sq!, ma!, add!, sqrt!, div], alpha, out: div.outputs[0]! };
}

function geZero(c: Ctx, x: string): OnnxNode | undefined {
  return uses(c, x).find((n) => n.opType === 'GreaterOrEqual' && n.inputs[0] === x && scalar(c, n.inputs[1]) === 0);
}

function isrlu(c: Ctx, x: string): Match | undefined {
  const ge = geZero(c, x);
  const r = ge && isruFrom(c, x);
  const where = r && sole(c, r.out, 'Where');
  if (!ge || !r || !where || where.inputs[0] !== ge.outputs[0] || where.inputs[1] !== x || where.inputs[2] !== r.out) return undefined;
  if (!coversUses(c, x, [ge, ...r.nodes, where])) return undefined;
  return { activation: 'isrlu', params: { alpha: r.alpha }, out: where.outputs[0]!, first: ge };
}

function isru(c: Ctx, x: string): Match | undefined {
  const r = isruFrom(c, x);
  if (!r || !coversUses(c, x, r.nodes)) return undefined;
  return { activation: 'isru', params: { alpha: r.alpha }, out: r.out, first: r.nodes[0]! };
}

function step(c: Ctx, x: string): Match | undefined {
  const ge = geZero(c, x);
  const cast = ge && sole(c, ge.outputs[0]!, 'Cast');
  if (!ge || !cast || c.g.attrInt(cast, 'to', 0) !== DT.FLOAT || !coversUses(c, x, [ge])) return undefined;
  return { activation: 'step', params: {}, out: cast.outputs[0]!, first: ge };
}

function sqnl(c: Ctx, x: string): Match | undefined {
  const clip = sole(c, x, 'Clip');
  if (!clip || scalar(c, clip.inputs[1]) !== -2 || scalar(c, clip.inputs[2]) !== 2) return undefined;
  const cv = clip.outputs[0]!;
  const u = uses(c, cv);
  const abs = u.find((n) => n.opType === 'Abs');
  const mul = abs && sole(c, abs.outputs[0]!, 'Mul');
  const quarter = mul && other(mul, abs!.outputs[0]!) === cv ? sole(c, mul.outputs[0]!, 'Mul') : undefined;
  const sub = quarter && scalar(c, other(quarter, mul!.outputs[0]!)) === 0.25 ? sole(c, quarter.outputs[0]!, 'Sub') : undefined;
  if (!sub || sub.inputs[0] !== cv || sub.inputs[1] !== quarter!.outputs[0] || u.length !== 3) return undefined;
  return { activation: 'sqnl', params: {}, out: sub.outputs[0]!, first: clip };
}

function alternatingSign(c: Ctx, name: string | undefined): boolean {
  const v = name === undefined ? undefined : c.g.constant(name)?.values;
  return !!v && v.length === c.size && v.every((s, j) => s === (j % 2 === 0 ? 1 : -1));
}

function bipolarRelu(c: Ctx, x: string): Match | undefined {
  const m1 = sole(c, x, 'Mul');
  const sign = m1 && other(m1, x);
  const relu = m1 && alternatingSign(c, sign) ? sole(c, m1.outputs[0]!, 'Relu') : undefined;
  const m2 = relu && sole(c, relu.outputs[0]!, 'Mul');
  if (!m2 || other(m2, relu!.outputs[0]!) !== sign) return undefined;
  return { activation: 'bipolarRelu', params: {}, out: m2.outputs[0]!, first: m1! };
}

function softplusBeta(c: Ctx, x: string): Match | undefined {
  const m = sole(c, x, 'Mul');
  const beta = m && scalar(c, other(m, x));
  const sp = m && sole(c, m.outputs[0]!, 'Softplus');
  const div = sp && sole(c, sp.outputs[0]!, 'Div');
  if (beta === undefined || !div || div.inputs[0] !== sp!.outputs[0] || scalar(c, div.inputs[1]) !== beta || !(beta > 0)) return undefined;
  return { activation: 'softplus', params: { beta }, out: div.outputs[0]!, first: sole(c, x, 'Mul')! };
}

function mish(c: Ctx, x: string): Match | undefined {
  const sp = uses(c, x).find((n) => n.opType === 'Softplus');
  const th = sp && sole(c, sp.outputs[0]!, 'Tanh');
  const mul = th && sole(c, th.outputs[0]!, 'Mul');
  if (!sp || !mul || other(mul, th!.outputs[0]!) !== x || !coversUses(c, x, [sp, mul])) return undefined;
  return { activation: 'mish', params: {}, out: mul.outputs[0]!, first: sp };
}

const PATTERNS = [gelu, silu, mish, isrlu, isru, step, sqnl, bipolarRelu, softplusBeta];

/** The multi-operator activation starting at value x, if any. */
export function matchActivation(g: GraphView, within: Set<OnnxNode>, x: string, size: number): Match | undefined {
  const c: Ctx = { g, within, size };
  for (const p of PATTERNS) {
    const m = p(c, x);
    if (m) return m;
  }
  return undefined;
}
