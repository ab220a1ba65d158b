// The program every fuzz test debugs (test/fuzz/): a real TypeScript file run by `ts-pdb run` (the
// transform applied at load time), whose marked function throws. Also what it prints without the
// debugger, which the debugged run must end with after `q`: the same error, message and stack.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { collect, linkedProject } from '../helpers/socket.mjs';

export const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');

/** Longest wait for the program to end, in ms (generous: the machine is shared). */
export const EXIT_WAIT_MS = 30_000;

/** `train` throws at step 3 with these locals; `label` is not ASCII, so a mangled decoder would show. */
export const APP = `// @debuggable
function train(step: number) {
  const lr = 0.01 * step;
  const label = 'naïve ✓ 😀';
  if (step > 2) throw new RangeError(\`loss is NaN at step \${step}\`);
  return lr;
}
for (let s = 0; s < 5; s++) train(s);
`;

/** How `p label` prints. */
export const LABEL = "'naïve ✓ 😀'";

/** A scratch project with {@link APP} and ts-pdb linked in. */
export function fuzzProject() {
  return linkedProject('fuzz-', APP);
}

/** Environment of every run: no CI report mode, no colours, the registry in the project. */
function baseEnv(dir, env) {
  return {
    ...process.env,
    CI: 'true',
    NO_COLOR: '1',
    IPDB_MODE: '',
    IPDB_TIMEOUT: '',
    IPDB_HOST: '',
    TS_PDB_HOME: path.join(dir, 'home'),
    ...env,
  };
}

/** The first line of the error `train` throws. */
export const ERROR_LINE = 'RangeError: loss is NaN at step 3';

/**
 * The error as Node prints it, from its first line to the end of stderr: message, every stack line,
 * Node's version line. (The code frame Node prints above it is left out: it shows where the error
 * was rethrown, which differs after any session, fuzzed or not, as it does between build setups.)
 */
export function errorBlock(stderr) {
  const at = stderr.lastIndexOf(`\n${ERROR_LINE}\n`);
  return at < 0 ? undefined : stderr.slice(at + 1);
}

/**
 * What the program prints on stderr without the debugger (IPDB_DEBUG=0), and its exit code: the
 * debugged run, after `q`, must end with the same error block (message and every stack line) and
 * exit with the same code.
 */
export function baseline(dir) {
  const r = spawnSync(process.execPath, [CLI, 'run', 'app.ts'], { cwd: dir, encoding: 'utf8', env: baseEnv(dir, { IPDB_DEBUG: '0' }) });
  assert.match(r.stderr, /RangeError: loss is NaN at step 3\n {4}at train \(/, 'the plain run throws');
  return { error: errorBlock(r.stderr), status: r.status };
}

/**
 * Starts `ts-pdb run app.ts` in `dir` with `env` added, stdout and stderr collected; killed with
 * its process group when the test ends (`t.after`).
 * @returns `{ child, out, err, exited }`: `exited` resolves to `{ code, signal }`, or rejects with
 *   the output when the program does not end within {@link EXIT_WAIT_MS} once asked for.
 */
export function startProgram(t, dir, env) {
  // Its own process group: `ts-pdb run` starts the program as its child, and a failed test must
  // kill both (an orphan would hold the pipes open and keep the test runner waiting).
  const child = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: baseEnv(dir, env),
    detached: true,
  });
  t.after(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  });
  const out = collect(child.stdout, "the program's stdout");
  const err = collect(child.stderr, "the program's stderr");
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let exited;
  return {
    child,
    out,
    err,
    get exited() {
      exited ??= new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the program did not end within ${EXIT_WAIT_MS} ms; stderr:\n${err.text.slice(-3000)}`)),
          EXIT_WAIT_MS,
        );
        closed.then((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      });
      return exited;
    },
  };
}

/** Asserts the program ended as it does without the debugger: same exit code, the same error block (message, stack) at the end of stderr. */
export async function assertRethrownIntact(program, plain) {
  const { code, signal } = await program.exited;
  assert.equal(signal, null, `the program was not killed by a signal; stderr:\n${program.err.text.slice(-3000)}`);
  assert.equal(code, plain.status, 'the exit code is the one without the debugger');
  assert.equal(
    errorBlock(program.err.text),
    plain.error,
    `stderr ends with the error exactly as without the debugger; stderr:\n${program.err.text.slice(-3000)}`,
  );
}
