// Ending what a test started, children included. `ts-pdb run` starts the program as its child: a
// SIGKILL to ts-pdb run alone would leave the program behind, waiting in a session for ever (and
// holding the test run open). Spawned with `detached: true`, ts-pdb run leads a process group of
// its own, which its program joins; killing the group ends both.

/** Options for `spawn` that put the child in a process group of its own (see {@link killGroup}). */
export const OWN_GROUP = Object.freeze({ detached: true });

/**
 * Sends `signal` (default SIGKILL) to the process group that `child` leads, or to `child` alone
 * when it leads none (spawned without {@link OWN_GROUP}). Never throws: what is gone is gone.
 */
export function killGroup(child, signal = 'SIGKILL') {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try { process.kill(child.pid, signal); } catch { /* already gone */ }
  }
}
