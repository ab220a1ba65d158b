/**
 * The supervisor of one `IPDB_NOTIFY` command (notify.ts starts it, detached, and never waits for
 * it): `node notify-runner.js COMMAND`, with the stop's `TS_PDB_` facts in its environment. Runs
 * `/bin/sh -c COMMAND` in a process group of its own, ends that group (the command and whatever it
 * started) after {@link NOTIFY_TIMEOUT_MS}, and says in one line on stderr when the command failed:
 * a non-zero exit code, a signal, the timeout, or it could not start. Its output is dropped (the
 * program's stdout is the program's); its errors go to the program's stderr.
 *
 * A plain script: it loads nothing of ts-pdb's, so that it starts fast and nothing of the program's
 * state can reach it. Touches: one child process group, stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

/** How long the command may run, in ms; then its process group is killed (SIGKILL). */
export const NOTIFY_TIMEOUT_MS = 10_000;

/** Says `text` on stderr in one line naming the stop (`rank 3`). */
function say(text: string): void {
  const who = process.env.TS_PDB_NOTIFY_WHO || `rank ${process.env.TS_PDB_RANK ?? '?'}`;
  try {
    fs.writeSync(2, `ts-pdb: ${who}: the IPDB_NOTIFY command ${text}\n`);
  } catch {
    // stderr closed: nobody to tell.
  }
}

/** What sh's exit codes 126 and 127 mean (POSIX): the command could not be run at all. */
const CANNOT_RUN: Record<number, string> = { 126: 'not executable', 127: 'not found' };

function main(): void {
  const command = process.argv[2] ?? '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The program's NODE_OPTIONS, set aside for this node (notify.ts), given back to the command.
  delete env.NODE_OPTIONS;
  if (env.TS_PDB_NOTIFY_NODE_OPTIONS !== undefined) env.NODE_OPTIONS = env.TS_PDB_NOTIFY_NODE_OPTIONS;
  delete env.TS_PDB_NOTIFY_NODE_OPTIONS;
  delete env.TS_PDB_NOTIFY_WHO;
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', 'ignore', 'inherit'], env });
  } catch (e) {
    say(`could not start: ${(e as Error).message}.`);
    process.exitCode = 1;
    return;
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      // The group: a shell's children (`curl ... & wait`) go with it.
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }, NOTIFY_TIMEOUT_MS);
  child.on('error', (e) => {
    clearTimeout(timer);
    say(`could not start: ${e.message}.`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    clearTimeout(timer);
    if (timedOut) say(`did not end within ${NOTIFY_TIMEOUT_MS / 1000} s: it was ended, with what it started.`);
    else if (signal) say(`failed: it was ended by ${signal}.`);
    else if (code !== null && CANNOT_RUN[code]) say(`could not start: exit code ${code} (${CANNOT_RUN[code]}).`);
    else if (code) say(`failed: exit code ${code}.`);
    process.exitCode = code || signal || timedOut ? 1 : 0;
  });
}

main();
