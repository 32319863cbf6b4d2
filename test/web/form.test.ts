// The demo page's form parser: values are taken as typed or rejected with a message; nothing is
// clamped or replaced (0 epochs, learning rate 0, batch 0, 99999 epochs were once swapped for
// defaults). The page itself is checked in test/browser/demo-form.test.ts.
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/web/form.js';

const ok = { hidden: '64, 32', activation: 'relu', optimizer: 'adam', lr: '0.01', epochs: '20', batch: '32' };

describe('parseSettings', () => {
  it('takes valid values exactly as typed', () => {
    expect(parseSettings(ok, 1437)).toEqual({
      settings: { hidden: [64, 32], activation: 'relu', optimizer: 'adam', learningRate: 0.01, epochs: 20, batchSize: 32 },
      errors: {},
    });
    expect(parseSettings({ ...ok, hidden: ' 8 ', lr: '1e-3', epochs: '10000', batch: '1437' }, 1437).settings)
      .toMatchObject({ hidden: [8], learningRate: 0.001, epochs: 10000, batchSize: 1437 });
    expect(parseSettings({ ...ok, lr: '10' }, 1437).settings?.learningRate).toBe(10);
  });

  const bad: [string, Partial<typeof ok>, RegExp][] = [
    ['learning rate 0', { lr: '0' }, /^A number above 0, like 0\.01; got "0"\.$/],
    ['an empty learning rate', { lr: '' }, /got nothing/],
    ['a learning rate that is not a number', { lr: 'fast' }, /got "fast"/],
    ['a negative learning rate', { lr: '-0.1' }, /got "-0\.1"/],
    ['0 epochs', { epochs: '0' }, /^A whole number from 1 to 10,000; got "0"\.$/],
    ['99999 epochs', { epochs: '99999' }, /got "99999"/],
    ['2.5 epochs', { epochs: '2.5' }, /got "2\.5"/],
    ['batch 0', { batch: '0' }, /^A whole number from 1 to 1,437 \(the training samples; 1,437 is full-batch\); got "0"\.$/],
    ['a batch larger than the training set', { batch: '5000' }, /got "5000"/],
    ['no hidden layer', { hidden: '' }, /each a whole number from 1 to 1,024; got nothing/],
    ['a hidden layer of 0 units', { hidden: '32, 0' }, /got "32, 0"/],
    ['2048 units', { hidden: '2048' }, /got "2048"/],
    ['letters in the layers', { hidden: '32, abc' }, /got "32, abc"/],
  ];
  for (const [what, change, message] of bad) {
    it(`rejects ${what} with a message and no settings`, () => {
      const r = parseSettings({ ...ok, ...change }, 1437);
      expect(r.settings).toBeUndefined();
      const field = Object.keys(change)[0] as 'lr' | 'epochs' | 'batch' | 'hidden';
      expect(r.errors[field]).toMatch(message);
      expect(Object.keys(r.errors)).toEqual([field]);
    });
  }

  it('reports every bad field at once', () => {
    const r = parseSettings({ ...ok, lr: '0', epochs: '0', batch: '0', hidden: 'x' }, 100);
    expect(Object.keys(r.errors).sort()).toEqual(['batch', 'epochs', 'hidden', 'lr']);
  });
});
