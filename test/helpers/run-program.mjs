// `ts-pdb run app.ts` in a scratch project, without a terminal, as the socket and web tests start
// it: output awaited as it arrives, the exit code as a promise, and the whole process group killed
// when the test ends (the program is ts-pdb run's child: see process-group.mjs).
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from './build.mjs';
import { killGroup, OWN_GROUP } from './process-group.mjs';
import { collect } from './socket.mjs';

/** The CLI as built (`npm run build`). */
export const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');

/**
 * Starts `ts-pdb run app.ts` in `dir` with no terminal (CI=true), no colours and the registry in
 * `dir/home`; `env` adds to (or, with undefined, removes from) that environment.
 * @returns `{ child, out, err, exited, kill }`: `out`/`err` are {@link collect}ions, `exited`
 *   resolves to the exit code, `kill()` ends the process group (call it in `finally`).
 */
export function startRun(dir, env = {}, what = 'the program') {
  const merged = { ...process.env, CI: 'true', NO_COLOR: '1', IPDB_MODE: '', TS_PDB_HOME: path.join(dir, 'home'), ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const child = spawn(process.execPath, [CLI, 'run', 'app.ts'], { ...OWN_GROUP, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: merged });
  return {
    child,
    out: collect(child.stdout, `${what} (stdout)`),
    err: collect(child.stderr, `${what} (stderr)`),
    exited: new Promise((resolve) => child.on('close', resolve)),
    kill: () => killGroup(child),
  };
}

/**
 * Connects to a waiting socket session at `where` (a path) as `nc -U` would, and waits for the
 * first prompt (or `first`, a pattern).
 * @returns `{ socket, seen, send(line) }`: `seen` collects what the session sent.
 */
export async function connectSession(where, first = /\(rank-\d+-pdb\) $/, what = 'the client') {
  const socket = net.connect(where);
  const seen = collect(socket, what);
  await seen.until(first);
  return { socket, seen, send: (line) => socket.write(`${line}\n`) };
}
