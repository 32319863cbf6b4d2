// Lets Node 20 run the TypeScript sources directly: `node --import ./bench/ts-loader.mjs bench/gemm.ts`.
// Types are stripped by esbuild; `./x.js` imports from a .ts file resolve to `./x.ts` as tsc does.
import { register } from 'node:module';
register('./ts-hooks.mjs', import.meta.url);
