// Stands in for src/data/datasets/digits.ts in simdnet.js (the browser build swaps it in): the
// 1797 images are 47 KB of gzip, more than the library itself, so they stay in digits.txt beside
// the bundle until preloadDigits() fetches them. ESM live bindings let loadDigits() see the text.

import { SimdnetError } from '../errors.js';

export const DIGITS_ROWS = 1797;

const missing = {
  split(): never {
    throw new SimdnetError('loadDigits: simdnet.js does not embed the digits data; `await preloadDigits()` first (it fetches digits.txt beside the bundle), or use simdnet.inline.js');
  },
} as unknown as string;

export let DIGITS_PACKED: string = missing;

// Set by the browser build; undeclared elsewhere.
declare const __SIMDNET_DIGITS_EMBEDDED__: boolean;

/**
 * Fetches the digits data set so that loadDigits() works in the browser bundle (a no-op when it is
 * already there, as in simdnet.inline.js or in Node).
 * @example await preloadDigits(); const { X, y } = loadDigits();
 */
export async function preloadDigits(url?: string | URL): Promise<void> {
  if (DIGITS_PACKED !== missing || typeof __SIMDNET_DIGITS_EMBEDDED__ === 'boolean') return;
  // A static literal, so bundlers see the file and emit it beside their output.
  const href = url ?? new URL('./digits.txt', import.meta.url);
  const response = await fetch(href);
  if (!response.ok) throw new SimdnetError(`preloadDigits: could not fetch ${String(href)}: HTTP ${response.status}`);
  const text = await response.text();
  if (text.split(/\s+/).filter((l) => l.length > 0).length !== DIGITS_ROWS) throw new SimdnetError(`preloadDigits: ${String(href)} is not the digits data`);
  DIGITS_PACKED = text;
}
