// The TypeScript compiler (typescript@5.9.3's lib/_tsc.js, the devDependency "typescript-5-9")
// instrumented in full, as a program: shared by test/conformance/real-programs.test.mjs (its output
// must equal the plain compiler's) and test/bench/tsc-program.mjs (its wall time against the plain
// compiler's).
//
// _tsc.js finds its lib.*.d.ts next to itself (__filename), so each build of the compiler lives in
// a folder of its own with links to them: a "home". Homes must lie inside this package (a scratch
// folder under .tmp/), so that the instrumented compiler's `require("ts-pdb/capture")` resolves to
// this checkout's dist/ by self-reference.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/build.mjs';

export const TS_LIB = join(ROOT, 'node_modules', 'typescript-5-9', 'lib');
/** The plain compiler, as npm installed it. */
export const TSC_SOURCE = join(TS_LIB, '_tsc.js');
const COMPILE_FILE = join(ROOT, 'test', 'conformance', 'compile-file.cjs');

/** Runs `node ...args`; resolves on its exit with status, output and wall time in whole ms (never rejects). */
export function node(args, { env = {}, cwd = ROOT } = {}) {
  return new Promise((resolve) => {
    const full = { ...process.env, ...env };
    for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - t0) }));
  });
}

/**
 * Compiles the JavaScript file `input` with build `build` of compile-js.cjs (`ts`, `babel`, or
 * their `-plain` forms) into `output`, in a child process (the compiler's 6 MB through Babel takes
 * about 1.5 GB of heap). Resolves with `{ ms, bytes }`; rejects when the compile fails.
 */
export async function compileFile(build, input, output) {
  const r = await node([COMPILE_FILE, build, input, output]);
  if (r.code !== 0) throw new Error(`compiling ${relative(ROOT, input)} with ${build} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Makes `home` (a new folder) a place for a _tsc.js: links to the compiler's lib.*.d.ts files. */
export function makeTscHome(home) {
  if (!existsSync(TSC_SOURCE)) throw new Error(`${relative(ROOT, TSC_SOURCE)} is missing: npm install (devDependency "typescript-5-9")`);
  mkdirSync(home, { recursive: true });
  for (const f of readdirSync(TS_LIB)) if (/^lib\..*\.d\.ts$/.test(f)) symlinkSync(join(TS_LIB, f), join(home, f));
  return home;
}

/**
 * A home with the compiler built by `build` (`ts` or `babel`: every function instrumented;
 * `plain`: the file as npm installed it, copied). Resolves with `{ tsc, ms, bytes }`: the path of
 * its _tsc.js and, for an instrumented build, the compile's time and output size.
 */
export async function tscBuild(home, build) {
  makeTscHome(home);
  const tsc = join(home, '_tsc.js');
  if (build === 'plain') {
    copyFileSync(TSC_SOURCE, tsc);
    return { tsc, ms: 0, bytes: 0 };
  }
  return { tsc, ...(await compileFile(build, TSC_SOURCE, tsc)) };
}
