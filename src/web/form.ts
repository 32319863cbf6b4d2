// The demo page's training form: every field is read as typed and either accepted or rejected
// with a message naming what is wrong; nothing is clamped or replaced by a default. parseSettings
// is pure (test/web/form.test.ts); showErrors puts the messages under the fields.

import type { ActivationName, OptimizerName } from './browser.js';

export interface Settings {
  hidden: number[];
  activation: ActivationName;
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
  batchSize: number;
}

export type Field = 'hidden' | 'lr' | 'epochs' | 'batch';
export const FIELDS: readonly Field[] = ['hidden', 'lr', 'epochs', 'batch'];
export type FieldErrors = Partial<Record<Field, string>>;

export const MAX_UNITS = 1024;
export const MAX_EPOCHS = 10_000;

const count = (n: number) => n.toLocaleString('en-US');
const shown = (s: string) => (s.trim() === '' ? 'nothing' : `"${s.trim()}"`);

/** A whole number written as digits only (no sign, no exponent, no decimals). */
function wholeNumber(s: string): number | undefined {
  const t = s.trim();
  return /^\d+$/.test(t) ? Number(t) : undefined;
}

/** A decimal number (e.g. 0.01, .5, 1e-3); undefined for anything else, including an empty field. */
function decimal(s: string): number | undefined {
  const t = s.trim();
  if (!/^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Reads the form's raw values. `trainingRows` bounds the batch size (a larger batch would
 * silently become full-batch).
 * @example parseSettings({ hidden: '64, 32', activation: 'relu', optimizer: 'adam', lr: '0.01', epochs: '20', batch: '32' }, 1437)
 */
export function parseSettings(raw: Record<'hidden' | 'activation' | 'optimizer' | Field, string>, trainingRows: number): { settings?: Settings; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const parts = raw.hidden.split(/[\s,]+/).filter(Boolean);
  const hidden = parts.map(wholeNumber);
  if (parts.length === 0 || hidden.some((u) => u === undefined || u < 1 || u > MAX_UNITS)) {
    errors.hidden = `Give unit counts like "32" or "64, 32", each a whole number from 1 to ${count(MAX_UNITS)}; got ${shown(raw.hidden)}.`;
  }
  const learningRate = decimal(raw.lr);
  if (learningRate === undefined || !(learningRate > 0)) errors.lr = `A number above 0, like 0.01; got ${shown(raw.lr)}.`;
  const epochs = wholeNumber(raw.epochs);
  if (epochs === undefined || epochs < 1 || epochs > MAX_EPOCHS) errors.epochs = `A whole number from 1 to ${count(MAX_EPOCHS)}; got ${shown(raw.epochs)}.`;
  const batchSize = wholeNumber(raw.batch);
  if (batchSize === undefined || batchSize < 1 || batchSize > trainingRows) {
    errors.batch = `A whole number from 1 to ${count(trainingRows)} (the training samples; ${count(trainingRows)} is full-batch); got ${shown(raw.batch)}.`;
  }
  if (Object.keys(errors).length) return { errors };
  return {
    settings: { hidden: hidden as number[], activation: raw.activation as ActivationName, optimizer: raw.optimizer as OptimizerName, learningRate: learningRate!, epochs: epochs!, batchSize: batchSize! },
    errors,
  };
}

/** Marks each field (aria-invalid, a message below it) or clears it; returns whether all are valid. */
export function showErrors(errors: FieldErrors): boolean {
  for (const f of FIELDS) {
    const input = document.getElementById(f) as HTMLInputElement;
    const msg = document.getElementById(`err-${f}`)!;
    const e = errors[f];
    msg.textContent = e ?? '';
    msg.hidden = !e;
    if (e) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  return Object.keys(errors).length === 0;
}
