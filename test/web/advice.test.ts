// The page's loss-explosion warning fires on a climb far past the start and past guessing, and
// stays quiet on ordinary training curves, on small bumps and on a first epoch alone.
import { describe, expect, it } from 'vitest';
import { lossAlarm } from '../../src/web/advice.js';

describe('lossAlarm', () => {
  it('warns when the loss explodes (learning rate 10 on digits: 2.3 → 2e4)', () => {
    const m = lossAlarm([2.3, 55, 20431], 10, 10);
    expect(m).toMatch(/^The training loss is exploding: 2\.0e\+4, up from 2\.3, where a uniform guess scores 2\.30\. The learning rate 10 is probably too high: try 1 /);
  });

  it('is quiet for converging, noisy or barely worse curves', () => {
    expect(lossAlarm([2.3, 0.8, 0.3, 0.1, 0.12, 0.09], 10, 0.01)).toBeUndefined();
    expect(lossAlarm([0.69, 0.2, 0.05, 0.3], 2, 0.01)).toBeUndefined(); // 6× the best, below 3·ln 2
    expect(lossAlarm([0.7, 0.01, 0.2], 2, 0.01)).toBeUndefined(); // 20× the best, still under 3·ln 2
    expect(lossAlarm([4], 10, 10)).toBeUndefined(); // a poor start, under 10× a uniform guess (2.3)
    expect(lossAlarm([], 10, 10)).toBeUndefined();
    expect(lossAlarm([2.3, NaN], 10, 10)).toBeUndefined();
  });

  it('warns on a first loss far above a uniform guess (adam at 10 on digits: 6.5e3 in epoch 1)', () => {
    expect(lossAlarm([6510], 10, 10)).toMatch(/^The training loss is exploding: 6\.5e\+3, where a uniform guess scores 2\.30\. /);
    expect(lossAlarm([2.5, 6510], 10, 10)).toMatch(/6\.5e\+3, up from 2\.5, where/);
  });

  it('counts a class count below 2 as 2', () => {
    expect(lossAlarm([0.5, 100], 1, 1)).toMatch(/uniform guess scores 0\.69/);
  });
});
