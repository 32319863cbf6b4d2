// Runs before the `relaxed` project's tests: Node 20 validates relaxed SIMD only with this V8 flag.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--experimental-wasm-relaxed-simd');
