// Ending what a test started, children included. `ts-pdb run` starts the program as its child: a
// SIGKILL to ts-pdb run alone would leave the program behind, waiting in a session for ever (and
// holding the test run open). Spawned with `detached: true`, ts-pdb run leads a process group of
// its own, which its program joins; killing the group ends both. Launchers such as mpirun put each
// rank in a group of its own: processTree/killTree find and end every process below one, and show
// their states (a rank stopped by the terminal's job control is in state T).

import fs from 'node:fs';

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
    try {
      process.kill(child.pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * `pid` and every process below it, as /proc shows them now: pid, ppid, state (`T`: stopped),
 * process group, the terminal's foreground group (tpgid) and the command line. Linux only.
 * @returns {{ pid: number, ppid: number, state: string, pgrp: number, tpgid: number, cmd: string }[]}
 */
export function processTree(pid) {
  const all = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields are read after the last ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      all.push({ pid: Number(name), ppid: Number(f[1]), state: f[0], pgrp: Number(f[2]), tpgid: Number(f[5]), cmd });
    } catch {
      /* gone meanwhile */
    }
  }
  const tree = all.filter((p) => p.pid === pid);
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i].pid));
  return tree;
}

/** {@link processTree} as lines for a failure message: `pid ppid state pgrp tpgid cmd`. */
export function describeTree(pid) {
  return [
    'PID PPID STATE PGRP TPGID COMMAND',
    ...processTree(pid).map((p) => `${p.pid} ${p.ppid} ${p.state} ${p.pgrp} ${p.tpgid} ${p.cmd}`),
  ].join('\n');
}

/**
 * SIGKILLs `pid` and every process below it (found first, so that orphans are not missed): a
 * launcher's ranks lead process groups of their own, which killing the launcher's group misses,
 * and a stopped rank would otherwise stay behind for ever. Never throws.
 */
export function killTree(pid) {
  if (!pid) return;
  for (const p of processTree(pid).reverse()) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
