// The label column: classification (classes sorted, numbers numerically) or regression (the
// target standardized for training, predictions scaled back), inferred from the label's values
// unless given. Saved as plain JSON beside the column pipeline.

import { ModelFormatError, ValidationError } from '../../errors.js';
import { parseGrouped, parseNumber, thousandsMark, type Dialect } from '../dialect.js';
import { inferTask } from './infer.js';
import { MAX_DISTINCT, type ColumnStats } from './stats.js';

export type Task = 'classification' | 'regression';

export interface ClassificationTargetJSON {
  task: 'classification';
  name: string;
  /** Class values 0..k−1: numbers when every label is a number, else the strings as written. */
  classes: (number | string)[];
  /** The numeric labels are written with this thousands separator (2,107); absent: they are plain. */
  thousands?: ',' | '.';
}

export interface RegressionTargetJSON {
  task: 'regression';
  name: string;
  /** The network learns (y − center) / scale; predictions are scaled back. */
  center: number;
  scale: number;
  /** The labels are written with this thousands separator (2,107); absent: they are plain. */
  thousands?: ',' | '.';
}

export type TargetJSON = ClassificationTargetJSON | RegressionTargetJSON;

export class Target {
  private readonly index = new Map<string, number>();
  private readonly numeric: boolean;

  private constructor(readonly json: TargetJSON, private readonly decimal: '.' | ',') {
    this.numeric = json.task === 'regression' || json.classes.every((c) => typeof c === 'number');
    if (json.task === 'classification') json.classes.forEach((c, i) => this.index.set(String(c), i));
  }

  /** A label cell's number: plain, or strictly grouped when the labels were written so (NaN otherwise). */
  private number(cell: string): number {
    const v = parseNumber(cell, this.decimal);
    return v !== v && this.json.thousands ? parseGrouped(cell, this.decimal) : v;
  }

  /**
   * Fits the label from its statistics. `task` 'auto' (default) infers it: text, or at most 20
   * distinct integers, is classification; other numbers are regression. `note` says which and why.
   */
  static fit(stats: ColumnStats, dialect: Dialect, options: { task?: Task | 'auto'; scale?: boolean } = {}): { target: Target; note: string } {
    const name = stats.name;
    const given = options.task ?? 'auto';
    if (given !== 'auto' && given !== 'classification' && given !== 'regression') {
      throw new ValidationError('task', `expected 'classification', 'regression' or 'auto', got ${JSON.stringify(given)}`);
    }
    if (stats.present === 0) throw new ValidationError('label', `the label column ${JSON.stringify(name)} has no values: all ${stats.rows} cells are missing`);
    const inferred = inferTask(stats);
    const task = given === 'auto' ? inferred.task : given;
    const note = given === 'auto' ? `task: ${task} (inferred: ${inferred.reason}; --task ${task === 'regression' ? 'classification' : 'regression'} to override)` : `task: ${task} (as given)`;
    if (task === 'regression') {
      if (!stats.allNumbers) {
        if (stats.mixedGrouping) throw new ValidationError('label', `the label ${JSON.stringify(name)} mixes numbers with thousands separators (as 2,107) and numbers of four or more digits without them (as 2107), so neither reading holds for every cell; write them one way`);
        const bad = stats.notNumbers[0]!;
        throw new ValidationError('label', `line ${bad.line}: the label ${JSON.stringify(name)} is ${JSON.stringify(bad.value)}, not a number; regression needs a numeric label (or use task classification)`);
      }
      const s = stats.numeric;
      const scale = options.scale ?? true;
      const json: RegressionTargetJSON = { task, name, center: scale ? s.mean : 0, scale: scale ? Math.sqrt(s.variance) || 1 : 1, ...grouping(stats, dialect) };
      return { target: new Target(json, dialect.decimal), note };
    }
    if (stats.overflow > 0) {
      throw new ValidationError('label', `the label ${JSON.stringify(name)} has more than ${MAX_DISTINCT} distinct values; classification cannot use that many classes (is it a numeric target? use task regression)`);
    }
    const values = [...stats.counts.keys()];
    let classes: (number | string)[];
    const numbers = stats.allNumbers;
    if (numbers) {
      const read = (v: string) => { const x = parseNumber(v, dialect.decimal); return x === x ? x : parseGrouped(v, dialect.decimal); };
      classes = [...new Set(values.map(read))].sort((a, b) => a - b);
    } else {
      classes = values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    if (classes.length < 2) {
      throw new ValidationError('label', `the label ${JSON.stringify(name)} has a single class (${JSON.stringify(classes[0])}) in the training rows; classification needs at least two`);
    }
    return { target: new Target({ task, name, classes, ...(numbers ? grouping(stats, dialect) : {}) }, dialect.decimal), note };
  }

  static fromJSON(json: unknown, decimal: '.' | ',' = '.'): Target {
    const o = json as { task?: unknown; name?: unknown; classes?: unknown[]; center?: unknown; scale?: unknown; thousands?: unknown } | null;
    if (!o || typeof o !== 'object' || typeof o.name !== 'string') throw new ModelFormatError('target: expected { task, name, ... }');
    if (!(o.thousands === undefined || o.thousands === ',' || o.thousands === '.')) throw new ModelFormatError(`target: thousands must be "," or "." when present, got ${JSON.stringify(o.thousands)}`);
    const thousands: { thousands?: ',' | '.' } = o.thousands === undefined ? {} : { thousands: o.thousands };
    if (o.task === 'classification') {
      if (!Array.isArray(o.classes) || o.classes.length < 2 || !o.classes.every((c) => typeof c === 'string' || (typeof c === 'number' && Number.isFinite(c)))) {
        throw new ModelFormatError('target: a classification target needs at least two classes (numbers or strings)');
      }
      return new Target({ task: 'classification', name: o.name, classes: o.classes.slice() as (number | string)[], ...thousands }, decimal);
    }
    if (o.task === 'regression') {
      if (typeof o.center !== 'number' || typeof o.scale !== 'number' || !Number.isFinite(o.center) || !Number.isFinite(o.scale) || o.scale === 0) {
        throw new ModelFormatError('target: a regression target needs a finite center and a finite scale ≠ 0');
      }
      return new Target({ task: 'regression', name: o.name, center: o.center, scale: o.scale, ...thousands }, decimal);
    }
    throw new ModelFormatError(`target: task must be 'classification' or 'regression', got ${JSON.stringify(o.task)}`);
  }

  get task(): Task { return this.json.task; }
  get name(): string { return this.json.name; }
  /** Class values (classification). */
  get classes(): (number | string)[] { return this.json.task === 'classification' ? this.json.classes.slice() : []; }
  get classNames(): string[] { return this.classes.map(String); }

  /** The same target reading numbers with another decimal mark (a file written in another dialect). */
  withDecimal(decimal: '.' | ','): Target { return new Target(this.json, decimal); }

  /**
   * Encodes label cells (trimmed; missing ones are the caller's business): class indices for
   * classification, scaled values for regression. `where(i)` names the cell in errors.
   */
  encode(cells: readonly string[], where: (i: number) => string): Int32Array | Float32Array {
    const j = this.json;
    if (j.task === 'regression') {
      const out = new Float32Array(cells.length);
      for (let i = 0; i < cells.length; i++) {
        const v = this.number(cells[i]!);
        if (!Number.isFinite(v)) throw new ValidationError('label', `${where(i)}: the label is ${JSON.stringify(cells[i])}, not a number (the model does regression)`);
        out[i] = (v - j.center) / j.scale;
      }
      return out;
    }
    const out = new Int32Array(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      const key = this.numeric ? String(this.number(cell)) : cell;
      const c = this.index.get(key);
      if (c === undefined) {
        const shown = j.classes.slice(0, 12).map((l) => JSON.stringify(l)).join(', ');
        throw new ValidationError('label', `${where(i)}: the label is ${JSON.stringify(cell)}, a class the model was not trained on (classes: ${shown}${j.classes.length > 12 ? ', ...' : ''})`);
      }
      out[i] = c;
    }
    return out;
  }

  /** The class index of a label cell (classification), or −1 for a class the model was not trained on. */
  classIndex(cell: string): number {
    return this.index.get(this.numeric ? String(this.number(cell)) : cell) ?? -1;
  }

  /** One label cell: its class index, or its scaled value (regression); `where()` names it in errors. */
  encodeCell(cell: string, line: number, where: (line: number) => string): number {
    const j = this.json;
    if (j.task === 'regression') {
      const v = this.number(cell);
      if (!Number.isFinite(v)) throw new ValidationError('label', `${where(line)}: the label is ${JSON.stringify(cell)}, not a number (the model does regression)`);
      return this.scaled(v);
    }
    const c = this.index.get(this.numeric ? String(this.number(cell)) : cell);
    if (c === undefined) {
      const shown = j.classes.slice(0, 12).map((l) => JSON.stringify(l)).join(', ');
      throw new ValidationError('label', `${where(line)}: the label is ${JSON.stringify(cell)}, a class the model was not trained on (classes: ${shown}${j.classes.length > 12 ? ', ...' : ''})`);
    }
    return c;
  }

  /** A regression label's value as encodeCell gives it (scaled). */
  scaled(v: number): number {
    const j = this.json as { center: number; scale: number };
    return (v - j.center) / j.scale;
  }

  /** Model outputs (scaled) back to label values (regression). */
  unscale(v: ArrayLike<number>): Float64Array {
    const j = this.json;
    if (j.task !== 'regression') throw new ValidationError('target', 'unscale applies to a regression target');
    return Float64Array.from(v, (x) => x * j.scale + j.center);
  }

  toJSON(): TargetJSON { return JSON.parse(JSON.stringify(this.json)) as TargetJSON; }
}

/** The thousands separator of a label whose numbers are written strictly grouped (2,107), for its JSON. */
function grouping(stats: ColumnStats, dialect: Dialect): { thousands?: ',' | '.' } {
  return stats.thousands ? { thousands: thousandsMark(dialect.decimal) } : {};
}
