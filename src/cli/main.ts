#!/usr/bin/env node
// The `simdnet` command. Node 20 validates relaxed SIMD only behind a V8 flag; set it before any
// module compiles WebAssembly, then load the rest of the CLI.

import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const { main } = await import('./app.js');
process.exitCode = await main(process.argv.slice(2));
