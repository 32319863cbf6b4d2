// Which Chromium the browser tests drive: SIMDNET_CHROMIUM if set, else Debian's /usr/bin/chromium
// if installed, else the one @sparticuz/chromium (a devDependency) ships inside its npm package,
// brotli-packed: unpacked once into the temp directory on first use, nothing downloaded. It needs
// only libc, libexpat and libgcc, so `npm install && npm test` runs the browser tests on a machine
// with nothing but Node and npm.

import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface Chromium { executablePath: string; source: 'SIMDNET_CHROMIUM' | 'system' | 'npm'; args: string[] }

let npmChromium: Promise<string> | undefined;

/** The Chromium to launch, and the flags its build needs. */
export async function findChromium(): Promise<Chromium> {
  const fromEnv = process.env.SIMDNET_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`SIMDNET_CHROMIUM is ${JSON.stringify(fromEnv)}, but no file is there`);
    return { executablePath: fromEnv, source: 'SIMDNET_CHROMIUM', args: [] };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: 'system', args: [] };
  return chromiumFromNpm();
}

/** The Chromium inside the @sparticuz/chromium package (unpacked to <tmp>/chromium once). */
export async function chromiumFromNpm(): Promise<Chromium> {
  npmChromium ??= import('@sparticuz/chromium').then((m) => m.default.executablePath());
  return { executablePath: await npmChromium, source: 'npm', args: [] };
}
