// Runs the CLI in a child process: src/cli/main.ts through the TypeScript loader (no build needed).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Run { code: number; stdout: string; stderr: string }

export function simdnet(args: string[], cwd = ROOT): Run {
  const r = spawnSync(process.execPath, ['--import', `${ROOT}bench/ts-loader.mjs`, `${ROOT}src/cli/main.ts`, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
