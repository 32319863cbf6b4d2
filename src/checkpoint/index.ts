// simdnet/checkpoint: the checkpoint implementation and where browsers keep checkpoints. In Node
// the main entry already carries it (fit's checkpoint.path and resumeFrom work without this
// import); the browser library bundle leaves it out for its size budget, and importing this
// entry (dist/browser/simdnet.checkpoint.js, which imports ./simdnet.js) installs it there, so
// fit({ checkpoint, resumeFrom }) and Sequential.fromCheckpoint work in the page.

export { readCheckpoint, encodeCheckpoint, decodeCheckpoint, CHECKPOINT_FORMAT } from '../train/checkpoint.js';
export {
  saveCheckpointToIndexedDB, loadCheckpointFromIndexedDB, deleteCheckpointFromIndexedDB, checkpointBlob, downloadCheckpoint, loadCheckpointFromFile,
} from './store.js';
export type { Checkpoint, CheckpointOptions, CheckpointRun, CheckpointSource } from '../train/types.js';
