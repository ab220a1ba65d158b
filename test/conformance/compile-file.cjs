// Compiles one JavaScript file with one build of compile-js.cjs, in a process of its own (the
// TypeScript compiler's 6 MB through Babel takes about 1.5 GB of heap; two adapters can run side
// by side on two CPUs).
//
//   node test/conformance/compile-file.cjs <build> <input.js> <output.js> [script|module]
//
// Prints `{ "ms": <compile time>, "bytes": <output size> }`.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { compileJs } = require('./compile-js.cjs');

const [build, input, output, sourceType = 'script'] = process.argv.slice(2);
const source = readFileSync(input, 'utf8');
const t0 = performance.now();
const code = compileJs(source, { build, fileName: output, sourceType });
const ms = Math.round(performance.now() - t0);
writeFileSync(output, code);
process.stdout.write(JSON.stringify({ ms, bytes: Buffer.byteLength(code) }) + '\n');
