// Heap per captured frame (issue #8 item 6). A function with K = 4 locals (two parameters, two
// consts; small integers and one shared string, so no value of the program's is allocated per
// frame) recurses 10 frames deep and throws; the program keeps N = 2,000 of the errors (so that
// their captures stay alive: ts-pdb keys them by the error object). Built plain and instrumented
// (`instrument: "all"`), run with IPDB_DEBUG=1 in one process started with --expose-gc; heapUsed
// after a full GC, before and after keeping the errors; the two builds alternate, 3 times each.
//
//   bytes per captured frame = (heap delta, instrumented - heap delta, plain) / (N x 10)
//
// It counts what a capture holds besides the values themselves: the frame record, its bindings
// and whatever the capture adds to the error (plain: the error and its stack only).
//
//   node test/bench/frame-memory.mjs            (also a row of `npm run bench`)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratch, writeBuild } from '../helpers/build.mjs';

const SELF = fileURLToPath(import.meta.url);
const N = 2000;
const DEPTH = 10;
const LOCALS = 4;

const SOURCE = `function level(depth: number, tag: string): number {
  const here = depth * 2;
  const next = depth - 1;
  if (depth === 0) throw new RangeError(tag);
  return level(next, tag) + here;
}

/** Throws through ${DEPTH} frames n times; keeps every error in \`into\`. */
export function keep(n: number, into: unknown[]): void {
  for (let i = 0; i < n; i++) {
    try {
      level(${DEPTH - 1}, 'bad input');
    } catch (e) {
      into.push(e);
    }
  }
}
`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function child(dir) {
  const require = createRequire(import.meta.url);
  const keep = { plain: require(join(dir, 'plain.js')).keep, instr: require(join(dir, 'instr.js')).keep };
  const heap = () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  // Warm up both builds (compiled code, the capture runtime's own state), nothing kept.
  for (const v of ['plain', 'instr']) keep[v](200, []);
  const delta = { plain: [], instr: [] };
  for (let r = 0; r < 3; r++) {
    for (const v of r % 2 ? ['instr', 'plain'] : ['plain', 'instr']) {
      const kept = [];
      const h0 = heap();
      keep[v](N, kept);
      const h1 = heap();
      if (kept.length !== N) throw new Error('not every error kept');
      delta[v].push(h1 - h0);
    }
  }
  process.stdout.write(JSON.stringify(delta));
}

/** Runs the measure in a child process; returns the figures. */
export function frameMemory() {
  const dir = scratch('frame-memory-');
  writeBuild(dir, 'plain', SOURCE, { transform: false });
  writeBuild(dir, 'instr', SOURCE, { transform: { instrument: 'all' } });
  const env = { ...process.env, IPDB_DEBUG: '1' };
  const r = spawnSync(process.execPath, ['--expose-gc', SELF, '--child', dir], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`frame-memory child failed:\n${r.stderr}`);
  const delta = JSON.parse(r.stdout);
  const plain = median(delta.plain);
  const instr = median(delta.instr);
  return {
    errors: N,
    depth: DEPTH,
    locals: LOCALS,
    plainPerError: plain / N,
    instrPerError: instr / N,
    bytesPerFrame: (instr - plain) / (N * DEPTH),
    delta,
  };
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === '--child') child(process.argv[3]);
  else {
    const f = frameMemory();
    console.log(
      `${f.errors} errors through ${f.depth} frames of ${f.locals} locals kept: plain ${Math.round(f.plainPerError)} B per error, instrumented ${Math.round(f.instrPerError)} B per error; ${Math.round(f.bytesPerFrame)} B per captured frame`,
    );
  }
}
