/**
 * Whether a console session can reach a person at a terminal, and through which descriptors.
 *
 * Launchers (torchrun, mpirun, `child_process` with pipes) often leave stdin closed or shared, so
 * the controlling terminal is reached through `/dev/tty` first, as torch's breakpoint does with
 * `/dev/stdin`. A session must never wait for a keyboard that does not exist (SPEC §6): in CI
 * with a non-terminal stdin the answer is "no terminal" even if `/dev/tty` happens to open.
 */
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import type { TerminalSpec } from './protocol';

/** Default device path for the controlling terminal. */
export const TTY_DEVICE = '/dev/tty';

/** The terminal to use, or why there is none. */
export type TerminalChoice = { spec: TerminalSpec; reason?: undefined } | { spec: undefined; reason: string };

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
