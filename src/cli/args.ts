// Command-line parsing: `--name value`, `--name=value` and boolean `--flag`, checked against a
// table per command. Every mistake is a UsageError naming the option and what it accepts.

import { SimdnetError } from '../errors.js';

export class UsageError extends SimdnetError {
  override name = 'UsageError';
}

export type OptionType = 'string' | 'number' | 'int' | 'bool' | 'list';

export interface OptionSpec {
  type: OptionType;
  choices?: readonly string[];
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Exclusive upper bound for numbers. */
  below?: number;
  help: string;
  /** Shown as the value placeholder in --help. */
  value?: string;
}

export type OptionValue = string | number | boolean | number[];

export interface Parsed {
  positionals: string[];
  options: Record<string, OptionValue>;
}

function parseNumber(name: string, raw: string, spec: OptionSpec): number {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`--${name} expects a number, got ${JSON.stringify(raw)}`);
  if (spec.type === 'int' && !Number.isInteger(v)) throw new UsageError(`--${name} expects an integer, got ${JSON.stringify(raw)}`);
  if (spec.min !== undefined && v < spec.min) throw new UsageError(`--${name} must be ≥ ${spec.min}, got ${raw}`);
  if (spec.max !== undefined && v > spec.max) throw new UsageError(`--${name} must be ≤ ${spec.max}, got ${raw}`);
  if (spec.below !== undefined && !(v < spec.below)) throw new UsageError(`--${name} must be < ${spec.below}, got ${raw}`);
  return v;
}

function parseValue(name: string, raw: string, spec: OptionSpec): OptionValue {
  switch (spec.type) {
    case 'number':
    case 'int':
      return parseNumber(name, raw, spec);
    case 'list': {
      if (raw.trim() === '' || raw.trim() === 'none') return [];
      return raw.split(',').map((p) => {
        const v = Number(p.trim());
        if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} expects comma-separated positive integers (e.g. 64,32), got ${JSON.stringify(raw)}`);
        return v;
      });
    }
    case 'bool':
      return true;
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got ${JSON.stringify(raw)}`);
      }
      return raw;
  }
}

/** Parses argv (after the command name) against `specs`; `maxPositionals` extra words are allowed. */
export function parseArgs(command: string, argv: readonly string[], specs: Record<string, OptionSpec>, maxPositionals: number): Parsed {
  const positionals: string[] = [];
  const options: Record<string, OptionValue> = Object.create(null) as Record<string, OptionValue>;
  // A Map, not specs[name]: --constructor or --__proto__ must be an unknown option, not Object.prototype's.
  const byName = new Map(Object.entries(specs));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byName.get(name);
      if (!spec) {
        const near = Object.keys(specs).find((k) => k.startsWith(name) || name.startsWith(k));
        throw new UsageError(`unknown option --${name} for 'simdnet ${command}'${near ? ` (did you mean --${near}?)` : ''}; see 'simdnet ${command} --help'`);
      }
      if (spec.type === 'bool') {
        if (eq >= 0) throw new UsageError(`--${name} is a flag and takes no value`);
        options[name] = true;
        continue;
      }
      let raw: string;
      if (eq >= 0) raw = a.slice(eq + 1);
      else {
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} needs a value (${spec.value ?? spec.type})`);
        raw = next;
        i++;
      }
      options[name] = parseValue(name, raw, spec);
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      if (a === '-h') { options.help = true; continue; }
      throw new UsageError(`unknown option ${a} for 'simdnet ${command}'; options start with two dashes, see 'simdnet ${command} --help'`);
    } else {
      positionals.push(a);
    }
  }
  if (!options.help && positionals.length > maxPositionals) {
    throw new UsageError(`'simdnet ${command}' takes ${maxPositionals} argument${maxPositionals === 1 ? '' : 's'}, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  }
  return { positionals, options };
}

/** The options table as help text. */
export function optionsHelp(specs: Record<string, OptionSpec>): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const value = s.type === 'bool' ? '' : ` ${s.value ?? (s.choices ? s.choices.join('|') : s.type.toUpperCase())}`;
    return [`  --${name}${value}`, s.help] as const;
  });
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  return rows.map(([a, b]) => a.padEnd(width) + b).join('\n');
}

/** `--threads N|auto`, shared by every command that computes. */
export const THREADS_OPTION: OptionSpec = { type: 'string', value: 'N|auto', help: "worker threads for the kernels (default 1; 'auto': one per core, when the host allows shared memory)" };

/** The ready() options the common flags ask for (--backend, --threads). */
export function readyOptions(o: Record<string, unknown>): { backend?: 'wasm' | 'js'; threads?: number | 'auto' } {
  const out: { backend?: 'wasm' | 'js'; threads?: number | 'auto' } = {};
  if (o.backend !== undefined) out.backend = o.backend as 'wasm' | 'js';
  if (o.threads !== undefined) {
    const raw = String(o.threads);
    if (raw === 'auto') out.threads = 'auto';
    else if (/^[1-9][0-9]*$/.test(raw) && Number(raw) <= 64) out.threads = Number(raw);
    else throw new UsageError(`--threads expects a whole number from 1 to 64 or 'auto', got ${JSON.stringify(raw)}`);
  }
  return out;
}
