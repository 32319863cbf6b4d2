// The main browser bundle's twin of checkpoint.ts (src/web/build.mjs swaps it in; the bundle has a
// size budget): the same exports, each saying where the real ones are. simdnet/checkpoint brings
// the implementation, and importing it makes fit({ checkpoint, resumeFrom }) work.

import { ValidationError } from '../errors.js';
import type { Checkpoint, CheckpointSource } from './types.js';

export const CHECKPOINT_FORMAT = 'simdnet.checkpoint';

function apart(name: string): never {
  throw new ValidationError(name, "checkpoints are not in this bundle: import { " + name + " } from 'simdnet/checkpoint'");
}

export function readCheckpoint(_source: CheckpointSource, _what?: string): Checkpoint { return apart('readCheckpoint'); }
export function encodeCheckpoint(_c: Checkpoint): Uint8Array { return apart('encodeCheckpoint'); }
export function decodeCheckpoint(_bytes: Uint8Array | ArrayBuffer, _what?: string): Checkpoint { return apart('decodeCheckpoint'); }
