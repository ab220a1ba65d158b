// Runs a node program with pipes (no terminal), for the tests of what happens without one.
import { spawn } from 'node:child_process';

/** Default longest run of {@link runPiped}, in ms. */
export const DEFAULT_RUN_MS = 15_000;

/**
 * Runs `node args` with stdin, stdout and stderr on pipes, in a new session (`detached`), so it
 * has no controlling terminal even when the tests run from one.
 * @param {string[]} args
 * @param {{ env?: Record<string, string|undefined>, timeoutMs?: number }} [options] env is added to
 *   `process.env` (`undefined` removes a variable); timeoutMs default 15000: the process is then
 *   killed and the promise rejects with everything it printed.
 * @returns {Promise<{ code: number|null, signal: string|null, stdout: string, stderr: string }>}
 */
export function runPiped(args, options = {}) {
  const env = { ...process.env, ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const timeoutMs = options.timeoutMs ?? DEFAULT_RUN_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`still running after ${timeoutMs} ms (a session waiting for a terminal?)\n` + `stdout:\n${stdout}\nstderr:\n${stderr}`),
      );
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
