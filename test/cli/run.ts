// Runs the CLI in a child process: src/cli/main.ts through the TypeScript loader (no build needed).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The command that runs the CLI from source: `node --import <ts loader> src/cli/main.ts`. */
export const CLI = [process.execPath, '--import', `${ROOT}bench/ts-loader.mjs`, `${ROOT}src/cli/main.ts`] as const;

export interface Run { code: number; stdout: string; stderr: string }

/** Runs `simdnet ...args`; `input` (when given) is piped to its standard input. */
export function simdnet(args: string[], cwd = ROOT, input?: string | Uint8Array): Run {
  const r = spawnSync(CLI[0], [...CLI.slice(1), ...args], { cwd, encoding: 'utf8', timeout: 120_000, ...(input !== undefined ? { input } : {}) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
