// The descriptor tables (activations, optimizers, losses) and the names users give: a lookup of a
// user-given name never finds what Object.prototype holds, every listed name works, and what each
// record states (state buffers, defaults, preferred init) is what the runtime does.
import { describe, expect, it } from 'vitest';
import { ACTIVATION_TABLE, type ActivationRecord } from '../../src/kernels/activations.js';
import {
  ACTIVATIONS, createBackendSync, dense, encodeCheckpoint, LOSSES, OPTIMIZERS, Sequential, ValidationError, type ActivationName, type Checkpoint,
} from '../../src/index.js';
import { optimizerRecord, resolveOptimizer } from '../../src/train/optimizers.js';
import { normalizeSpec } from '../../src/nn/layers.js';

const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('user-given names are looked up in the tables only', () => {
  const model = () => new Sequential({ inputSize: 2, seed: 1, backend: 'js', layers: [dense(3, { activation: 'softmax' })] });

  it.each(PROTO_NAMES)('optimizer %j is a ValidationError naming the choices', (name) => {
    const m = model();
    expect(() => m.compile({ optimizer: name as never })).toThrow(ValidationError);
    expect(() => m.compile({ optimizer: name as never })).toThrow(/unknown optimizer .*expected one of sgd, momentum/);
    expect(() => m.compile({ optimizer: { type: name } as never })).toThrow(ValidationError);
    m.dispose();
  });

  it.each(PROTO_NAMES)('activation, loss and layer type %j are ValidationErrors', (name) => {
    expect(() => dense(2, { activation: name as never })).toThrow(/unknown activation/);
    const m = model();
    expect(() => m.compile({ loss: name as never })).toThrow(/unknown loss/);
    m.dispose();
    expect(() => normalizeSpec({ type: name }, 0)).toThrow(ValidationError);
  });

  it('null and non-object optimizers are ValidationErrors too', () => {
    expect(() => resolveOptimizer(null as never)).toThrow(ValidationError);
    expect(() => resolveOptimizer(42 as never)).toThrow(ValidationError);
  });
});

describe('the optimizer table', () => {
  it.each(OPTIMIZERS.map((n) => [n]))('%s: its name builds its defaults, it keeps the stated state buffers and a step moves the weights', (name) => {
    const rec = optimizerRecord(name);
    const spec = resolveOptimizer(name);
    expect(spec.type).toBe(name);
    for (const [key, value] of Object.entries(rec.defaults)) expect(spec[key as keyof typeof spec]).toBe(value);
    const backend = createBackendSync({ backend: 'js' });
    const m = new Sequential({ inputSize: 3, seed: 2, backend, layers: [dense(4, { activation: 'tanh' }), dense(2, { activation: 'softmax' })] });
    const before = backend.arena.liveCount;
    m.compile({ optimizer: name });
    // one state buffer per parameter tensor (W, b, W, b) and state, and for an optimizer that can run inside the
    // dW GEMMs (record.fuses) the one 24-byte block of the fused step's numbers
    expect(backend.arena.liveCount - before).toBe(4 * rec.states + (rec.fuses ? 1 : 0));
    const w0 = m.getParams();
    m.fitSync([[1, 2, 3], [-1, 0, 2]], [0, 1], { epochs: 1, batchSize: 2 });
    const w1 = m.getParams();
    expect(w1.some((v, i) => v !== w0[i])).toBe(true);
    m.dispose();
    expect(backend.arena.liveCount).toBe(0);
  });
});

describe('every optimizer of the table round-trips its state', () => {
  const X = [[1, 2, 3], [-1, 0, 2], [0.5, -2, 1], [2, 1, -1], [0, 0.3, -0.7]];
  const Y = [0, 1, 1, 0, 1];
  const make = (name: string) => new Sequential({ inputSize: 3, seed: 4, backend: 'js', layers: [dense(4, { activation: 'tanh' }), dense(2, { activation: 'softmax' })] })
    .compile({ optimizer: name as never, l2: 1e-3 });
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

  it.each(OPTIMIZERS.map((n) => [n]))('%s: resumed from the checkpoint of epoch 2 (object and bytes) = 5 epochs straight, bit for bit; the model file keeps the spec', (name) => {
    const straight = make(name);
    straight.fitSync(X, Y, { epochs: 5, batchSize: 2, seed: 3 });
    let at2: Checkpoint | undefined;
    const first = make(name);
    first.fitSync(X, Y, { epochs: 5, batchSize: 2, seed: 3, checkpoint: { onSave: (c) => { if (c.epoch === 2) at2 = c; } } });
    // one moment buffer per state and parameter tensor (W, b, W, b)
    expect(at2!.optimizer.moments.length).toBe(4 * optimizerRecord(name).states);
    for (const from of [at2!, encodeCheckpoint(at2!)]) {
      const resumed = make(name);
      resumed.fitSync(X, Y, { epochs: 5, batchSize: 2, seed: 3, resumeFrom: from });
      expect(bits(resumed.getParams())).toEqual(bits(straight.getParams()));
      resumed.dispose();
    }
    const back = Sequential.fromJSON(JSON.parse(JSON.stringify(straight.toJSON())), { backend: 'js' });
    expect(back.compiled!.optimizer).toEqual(straight.compiled!.optimizer);
    for (const m of [straight, first, back]) m.dispose();
  });
});

describe('the activation table', () => {
  it.each(ACTIVATIONS.map((n) => [n]))('%s: dense() takes its preferred init and parameter defaults', (name: ActivationName) => {
    const rec: ActivationRecord = ACTIVATION_TABLE[name];
    const spec = dense(3, { activation: name });
    expect(spec.init).toBe(rec.init);
    expect(spec.alpha).toBe(rec.alpha?.default ?? 0);
    expect(spec.beta).toBe(rec.beta?.default ?? 0);
  });

  it('every loss is listed once and compiles with its output activation', () => {
    expect(new Set(LOSSES).size).toBe(LOSSES.length);
    for (const [loss, act] of [['categoricalCrossentropy', 'softmax'], ['binaryCrossentropy', 'sigmoid'], ['meanSquaredError', 'identity']] as const) {
      const m = new Sequential({ inputSize: 2, seed: 1, backend: 'js', layers: [dense(2, { activation: act })] });
      expect(() => m.compile({ loss })).not.toThrow();
      m.dispose();
    }
  });
});
