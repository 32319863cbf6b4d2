import type { BinaryName } from './binaries.ts';
export function ascFlags(name: BinaryName): string[];
export function buildWasm(names?: readonly BinaryName[]): Promise<void>;
