/**
 * Tell someone (`IPDB_NOTIFY`, docs/SPEC.md §9, docs/hosts-design.md): the one place that decides
 * whether a stop runs the user's command, and with what. Called by the front-ends (and dump mode)
 * at the moment the stop can be reached: the socket listens, the page is served, the console session
 * opens or a rank starts waiting for its turn on the terminal, the report is printed, the snapshot is
 * written.
 *
 * - Once per stop (a stop that waits for the terminal and then opens is told once), at most
 *   {@link NOTIFY_MAX} per process; the stop after that says so in one line, once.
 * - The command runs in a supervisor process (notify-runner.ts), detached, unref'd: the program never
 *   waits for it (its main thread may be blocked in a session at once), and the supervisor outlives
 *   it if need be. The supervisor ends the command after 10 s and reports its failure in one line.
 * - Nothing here throws: a fault is one line on stderr, and the user's error goes on unchanged.
 *
 * Touches: a child process, stderr. The token of a session is never put in the command's
 * environment (it would travel wherever the command sends its message): see {@link connectToSocket}.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { notifyCommand } from '../../config';
import { stoppedOn } from '../../render/boxed';
import type { SessionStart } from '../front-end';
import { stderr } from './environment';
import { reachableFrom } from './reachable-address';

/** Commands a process runs at most; the next stop says so in one line, and no more run. */
export const NOTIFY_MAX = 10;

/** The supervisor's file, beside this one once built. */
export const RUNNER = path.join(__dirname, 'notify-runner.js');

/** Where the command is told the stop can be reached. */
export interface StopAddress {
  /** `TS_PDB_CONNECT`: the command to paste or the URL; '' (the default) for a console session. */
  connect?: string;
  /** `TS_PDB_SNAPSHOT`: the snapshot file the stop left, when it left one. */
  snapshot?: string;
}

/** Commands this process started. */
let ran = 0;
/** The limit was said (once per process). */
let limitSaid = false;
/** The stops that were told already: a stop is told once. */
const told = new WeakSet<SessionStart>();

/**
 * Runs `IPDB_NOTIFY` for the stop `start`, unless it is unset, this stop was told already, or the
 * process has run {@link NOTIFY_MAX} commands. Returns at once. Never throws.
 */
export function notifyStop(start: SessionStart, where: StopAddress = {}): void {
  try {
    const command = notifyCommand();
    if (command === undefined || told.has(start)) return;
    told.add(start);
    const who = start.rank.source === 'vitest' ? `Vitest worker ${start.rank.rank + 1}` : `rank ${start.rank.rank}`;
    if (ran >= NOTIFY_MAX) {
      if (!limitSaid)
        stderr(`ts-pdb: ${who}: IPDB_NOTIFY ran ${NOTIFY_MAX} times in this process, its limit; no more runs for its stops.\n`);
      limitSaid = true;
      return;
    }
    ran++;
    const snapshot = where.snapshot ? path.resolve(where.snapshot) : '';
    const env = notifyEnvironment(process.env, {
      TS_PDB_RANK: String(start.rank.rank),
      TS_PDB_HOST: os.hostname(),
      TS_PDB_PID: String(process.pid),
      TS_PDB_JOB: start.rank.jobId ?? '',
      TS_PDB_ERROR: oneLine(start.options.breakpoint ? 'a breakpoint' : stoppedOn(start.source.thrown, start.options)),
      TS_PDB_CONNECT: oneLine(where.connect ?? ''),
      TS_PDB_SNAPSHOT: snapshot,
      TS_PDB_NOTIFY_WHO: who,
    });
    // node:child_process loads only for a command: most stops run none, and it costs milliseconds.
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    const child = spawn(process.execPath, [RUNNER, command], { detached: true, stdio: ['ignore', 'ignore', 'inherit'], env });
    // Without a listener an 'error' event (the supervisor cannot start) would end the program.
    child.on('error', (e) => stderr(`ts-pdb: ${who}: the IPDB_NOTIFY command could not start: ${e.message}.\n`));
    child.unref();
  } catch (e) {
    stderr(`ts-pdb: the IPDB_NOTIFY command could not start: ${(e as Error)?.message ?? String(e)}.\n`);
  }
}

/**
 * The supervisor's environment: the program's, the stop's `TS_PDB_` facts, and the program's
 * `NODE_OPTIONS` set aside (the supervisor is a plain node, not the program: a `--require` or
 * `--import` of the program's would load into it) for the supervisor to give back to the command.
 */
export function notifyEnvironment(env: NodeJS.ProcessEnv, facts: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, ...facts };
  delete out.NODE_OPTIONS;
  delete out.TS_PDB_NOTIFY_NODE_OPTIONS;
  if (env.NODE_OPTIONS !== undefined) out.TS_PDB_NOTIFY_NODE_OPTIONS = env.NODE_OPTIONS;
  return out;
}

/** `text` as one line an environment variable can hold: control characters (NUL among them) become spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 1000);
}

/** `word` quoted for a POSIX shell when it needs to be (a path with spaces), else as it is. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `TS_PDB_CONNECT` of a socket session: `nc -U PATH`, `nc HOST PORT`, or, for a session that asks for
 * a token, `ts-pdb attach RANK` (with `--job ID` when the job is known): attach reads the token from
 * the registry, which only the user can read, so that the token itself is never in the command's
 * environment (a webhook would carry it to a third party).
 * @param where the socket path, or `host:port` for TCP.
 */
export function connectToSocket(where: string, how: { tcp: boolean; token?: string; rank: number; job?: string }): string {
  if (how.token) return `ts-pdb attach ${how.rank}${how.job !== undefined ? ` --job ${shellWord(how.job)}` : ''}`;
  if (!how.tcp) return `nc -U ${shellWord(where)}`;
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(where);
  return m ? `nc ${reachableHost(m[1])} ${m[2]}` : `nc ${where}`;
}

/**
 * `TS_PDB_CONNECT` of a page: its URL (without a token); for a page bound to every interface
 * (`0.0.0.0`, `::`), whose URL names this host by its name, at the IP address other hosts use (the
 * registry's, reachable-address.ts: host names need not resolve on every host).
 * @param bound the address the page is bound to (`IPDB_HOST`).
 */
export function connectToPage(url: string, bound: string): string {
  try {
    const ip = reachableHost(bound);
    if (ip === bound) return url;
    const u = new URL(url);
    u.hostname = ip.includes(':') ? `[${ip}]` : ip;
    return u.toString();
  } catch {
    return url;
  }
}

/** `host`, or for a wildcard (`0.0.0.0`, `::`) the IP address other hosts reach this one at (itself when there is none). */
function reachableHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host;
  return reachableFrom(host).ip ?? host;
}

/** `TS_PDB_CONNECT` of a snapshot: `ts-pdb open FILE`, the file's absolute path. */
export function connectToSnapshot(file: string): string {
  return `ts-pdb open ${shellWord(path.resolve(file))}`;
}
