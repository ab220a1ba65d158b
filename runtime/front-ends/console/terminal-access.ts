/**
 * Whether a console session can reach a person at a terminal, and through which descriptors.
 *
 * Launchers (torchrun, mpirun, `child_process` with pipes) often leave stdin closed or shared, so
 * the controlling terminal is reached through `/dev/tty` first, as torch's breakpoint does with
 * `/dev/stdin`. A session must never wait for a keyboard that does not exist (docs/SPEC.md §6): in CI
 * with a non-terminal stdin the answer is "no terminal" even if `/dev/tty` happens to open.
 *
 * Nor may it touch a terminal it does not have the foreground of. mpirun runs every rank in a
 * process group of its own, none of them the terminal's foreground group, and a shell does the
 * same for `cmd &`: a process there that reads the terminal is stopped by SIGTTIN, and one that
 * sets raw mode by SIGTTOU, for ever under a launcher (measured: state `T`). So the process group
 * is compared with the terminal's foreground group (`/proc/self/stat`, no native code) before the
 * terminal is opened, and such a process is told to wait on a socket instead (open-console.ts).
 */
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import type { TerminalSpec } from './protocol';

/** Default device path for the controlling terminal. */
export const TTY_DEVICE = '/dev/tty';

/**
 * The terminal to use, or why there is none. `background`: there is one, but this process is not
 * in its foreground group and must not touch it (the session waits on a socket instead).
 */
export type TerminalChoice =
  { spec: TerminalSpec; reason?: undefined; background?: undefined } | { spec: undefined; reason: string; background?: boolean };

/** What `/proc/<pid>/stat` says about a process's state and its place on its controlling terminal. */
export interface ProcStat {
  /** `R`, `S`, `D`, `T` (stopped), `t` (stopped by a tracer), `Z` (zombie), ... (field 3). */
  state: string;
  /** Process group (field 5). */
  pgrp: number;
  /** Controlling terminal's device number, 0 for none (field 7). */
  ttyNr: number;
  /** The controlling terminal's foreground process group; -1 without a terminal, 0 when it has none (field 8). */
  tpgid: number;
}

/**
 * Parses the text of `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may hold
 * spaces and parentheses of its own (`process.title` sets it), so the fields are read after the
 * last `)`. Undefined when the text is not of that form.
 */
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  const [pgrp, ttyNr, tpgid] = [Number(f[2]), Number(f[4]), Number(f[5])];
  if (!f[0] || ![pgrp, ttyNr, tpgid].every(Number.isInteger)) return undefined;
  return { state: f[0], pgrp, ttyNr, tpgid };
}

/** {@link parseStat} of a process (default this one); undefined where there is no `/proc` or no such process. */
export function procStat(pid: number | 'self' = 'self'): ProcStat | undefined {
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * True when this process has a controlling terminal and is not in its foreground process group
 * (every rank under mpirun, a shell's `cmd &`): reading the terminal or setting raw mode from
 * there stops the process. False when it is in the foreground, has no terminal, or it cannot be
 * told (no `/proc`: not Linux).
 * @param stat default this process's {@link procStat}.
 */
export function inBackground(stat: ProcStat | undefined = procStat()): boolean {
  // tpgid 0: the terminal has no foreground group (its session leader is gone); the kernel then stops no one.
  return stat !== undefined && stat.ttyNr !== 0 && stat.tpgid > 0 && stat.tpgid !== stat.pgrp;
}

/**
 * What the box and `ts-pdb ls` say when a console session became a socket session because the
 * process runs in the background of its terminal, in a user's words: who put it there, and why it
 * does not read the terminal.
 * @param source where the rank came from (`detectRank().source`).
 */
export function backgroundNote(source: string): string {
  const launcher =
    source === 'mpi'
      ? 'mpirun runs this rank'
      : source === 'torchrun' || source === 'slurm' || source === 'pm2'
        ? 'the launcher runs this rank'
        : undefined;
  const where = launcher
    ? `${launcher} in the background of the terminal`
    : 'this process runs in the background of its terminal (a shell job started with &, or a launcher)';
  const who = launcher ? 'rank' : 'process';
  return (
    `console mode is not possible here: ${where}, where reading the terminal would stop the ${who}; ` +
    `so this ${who} waits on a socket instead`
  );
}

/** True for a set `CI` variable other than `0`, `false`, `no`, `off` (CI services set `true`, `1`, or a name). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v.trim() !== '' && !/^(0|false|no|off)$/i.test(v.trim());
}

/**
 * Finds the terminal for a console session.
 * @param env the environment; default `process.env`.
 * @param device the terminal device; default `/dev/tty`.
 */
export function findTerminal(env: NodeJS.ProcessEnv = process.env, device = TTY_DEVICE): TerminalChoice {
  const stdinIsTty = tty.isatty(0);
  if (isCi(env) && !stdinIsTty) {
    return { spec: undefined, reason: 'CI is set and stdin is not a terminal' };
  }
  // Before the terminal is opened: opening does not stop a background process, but everything after it would.
  if (inBackground()) return { spec: undefined, background: true, reason: 'this process runs in the background of its terminal' };
  let why = '';
  if (process.platform !== 'win32') {
    try {
      fs.closeSync(fs.openSync(device, 'r+'));
      return { spec: { kind: 'device', path: device } };
    } catch (e) {
      why = ` (${device}: ${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    }
  }
  if (stdinIsTty && tty.isatty(1)) return { spec: { kind: 'stdio', inFd: 0, outFd: 1 } };
  return { spec: undefined, reason: `no terminal: stdin is not a terminal and the controlling terminal cannot be opened${why}` };
}
