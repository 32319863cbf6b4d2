// Warnings the demo page gives while a model trains: a training loss that explodes (far above a
// uniform guess, or climbing far above where it was) is said so before it turns NaN, with the
// likely cause. Pure, so test/web/advice.test.ts checks it without a page.

const fmt = (v: number) => (Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toExponential(1) : String(Number(v.toPrecision(3))));

/**
 * A message when the latest loss is more than 10× the loss of guessing uniformly among `classes`
 * (ln k), or more than 10× the lowest loss seen and 3× that guess (a climb); else undefined.
 * @example lossAlarm([2.3, 40, 2e4], 10, 10) // "The training loss is exploding: 2.0e+4 …"
 */
export function lossAlarm(losses: readonly number[], classes: number, learningRate: number): string | undefined {
  const seen = losses.filter(Number.isFinite);
  if (seen.length === 0) return undefined;
  const last = seen[seen.length - 1]!;
  const best = Math.min(...seen);
  const chance = Math.log(Math.max(2, classes));
  const climbing = last > 10 * best && last > 3 * chance;
  if (!(climbing || last > 10 * chance)) return undefined;
  return `The training loss is exploding: ${fmt(last)}${best < last / 2 ? `, up from ${fmt(best)}` : ''}, where a uniform guess scores ${chance.toFixed(2)}. `
    + `The learning rate ${learningRate} is probably too high: try ${fmt(learningRate / 10)} (the log scale shows the climb).`;
}
