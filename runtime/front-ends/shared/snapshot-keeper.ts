/**
 * The snapshot a stop leaves (issue #11, docs/snapshot-design.md): the one place that decides
 * whether a stop writes one, where, and under which limits, for every front-end.
 *
 * - `IPDB_MODE=dump`: written at once, and the error goes on (open-session.ts).
 * - With debugging on, wherever a session would otherwise be lost: the frames printed instead of a
 *   session (no terminal, a front-end that cannot serve), and a rank that waits for a client, a
 *   page or its turn on the terminal. A waiting rank's main thread is blocked and runs no signal
 *   handler, so its snapshot is written as the wait begins (after the socket or page is ready: the
 *   time to a session does not grow) and removed when a client ends the session normally; whatever
 *   ends the rank instead (SIGTERM, SIGKILL, `IPDB_TIMEOUT`), the file is already there.
 *
 * Switches: `IPDB_DUMP=0` (no snapshots but in dump mode), `IPDB_DUMP_DIR` (default `ts-pdb-dumps/`),
 * `IPDB_DUMP_MAX` (per process, default 5, 0: none), `IPDB_DUMP_DIR_MAX_MB` (default 200), `IPDB_DUMP_MAX_MB`
 * (default 5), `IPDB_REDACT`. Touches the snapshot folder and stderr only; loads the snapshot
 * writer only when it writes. Never throws.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { types } from 'node:util';
import type { SessionStart, SnapshotKeeper } from '../front-end';

/** Snapshots a process keeps at most (`IPDB_DUMP_MAX`); further stops write none and say so in one line. */
export const DEFAULT_DUMP_MAX = 5;
/** Megabytes of snapshots a folder may hold before no more are written (`IPDB_DUMP_DIR_MAX_MB`). */
export const DEFAULT_DUMP_DIR_MAX_MB = 200;
/** The size budget of one snapshot, in megabytes of JSON (`IPDB_DUMP_MAX_MB`). */
export const DEFAULT_DUMP_MAX_MB = 5;

/** The dump switches, read from the environment. */
export interface DumpSettings {
  /** False with `IPDB_DUMP=0` (dump mode writes anyway: it is what was asked for). */
  on: boolean;
  /** `IPDB_DUMP_DIR`, default `ts-pdb-dumps` (relative to the working directory). */
  dir: string;
  /** `IPDB_DUMP_MAX`: snapshots kept per process, 0: none. Default {@link DEFAULT_DUMP_MAX}. */
  max: number;
  /** `IPDB_DUMP_DIR_MAX_MB` in bytes. Default {@link DEFAULT_DUMP_DIR_MAX_MB} MB. */
  dirMaxBytes: number;
  /** `IPDB_DUMP_MAX_MB` in bytes. Default {@link DEFAULT_DUMP_MAX_MB} MB. */
  maxBytes: number;
  /** `IPDB_REDACT`, the pattern of names to redact. */
  redact: string | undefined;
  /** The settings above that were not numbers as they must be (their default applies), one line each. */
  problems: string[];
}

/**
 * The switches of `env`. `IPDB_DUMP_MAX` is a whole number (0: no snapshots), the megabytes are
 * numbers above 0; unset or blank gives the default, and so does any other value, with a line
 * in `problems` that says so.
 */
export function dumpSettings(env: NodeJS.ProcessEnv = process.env): DumpSettings {
  const problems: string[] = [];
  const num = (name: string, valid: (n: number) => boolean, what: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text.trim() === '') return fallback;
    const n = Number(text);
    if (valid(n)) return n;
    problems.push(`${name}=${text} is not ${what}; the default, ${fallback}, applies`);
    return fallback;
  };
  const megabytes = (n: number): boolean => Number.isFinite(n) && n > 0;
  const off = (env.IPDB_DUMP ?? '').trim().toLowerCase();
  return {
    on: !['0', 'false', 'no', 'off'].includes(off),
    dir: env.IPDB_DUMP_DIR || 'ts-pdb-dumps',
    max: num('IPDB_DUMP_MAX', (n) => Number.isInteger(n) && n >= 0, 'a whole number of snapshots (0: none)', DEFAULT_DUMP_MAX),
    dirMaxBytes: num('IPDB_DUMP_DIR_MAX_MB', megabytes, 'a number of megabytes above 0', DEFAULT_DUMP_DIR_MAX_MB) * 1024 * 1024,
    maxBytes: num('IPDB_DUMP_MAX_MB', megabytes, 'a number of megabytes above 0', DEFAULT_DUMP_MAX_MB) * 1024 * 1024,
    redact: env.IPDB_REDACT || undefined,
    problems,
  };
}

/** Snapshots this process wrote and keeps (a removed one no longer counts). */
let kept = 0;
/** The folder limit was said once already (it is said once per process). */
let folderFullSaid = false;
/** The settings that are not numbers were said (once per process). */
let problemsSaid = false;

/** A keeper that writes nothing (`IPDB_DUMP=0`, the limit reached, or a session opened on a snapshot). */
export const NO_SNAPSHOT: SnapshotKeeper = { planned: undefined, write: () => undefined, discard: () => {}, line: () => '' };

/**
 * The keeper of a stop. Says, in one line, when the process limit leaves this stop without a
 * snapshot.
 * @param dump true in `IPDB_MODE=dump` (written even with `IPDB_DUMP=0`, never removed).
 */
export function snapshotKeeper(start: SessionStart, how: { dump: boolean }, env: NodeJS.ProcessEnv = process.env): SnapshotKeeper {
  try {
    const settings = dumpSettings(env);
    if (!settings.on && !how.dump) return NO_SNAPSHOT;
    if (settings.problems.length && !problemsSaid) start.env.stderr(settings.problems.map((p) => `ts-pdb: ${p}.\n`).join(''));
    problemsSaid = true;
    const what = `rank ${start.rank.rank}`;
    if (kept >= settings.max) {
      const why = settings.max === 0 ? 'IPDB_DUMP_MAX is 0' : `this process already keeps ${settings.max} (IPDB_DUMP_MAX)`;
      start.env.stderr(`ts-pdb: ${what}: no snapshot of this stop: ${why}.\n`);
      return NO_SNAPSHOT;
    }
    const time = new Date();
    const planned = path.join(settings.dir, plannedName(start, time));
    let written: string | undefined;
    let tried = false;
    return {
      planned,
      write() {
        if (tried) return written;
        tried = true;
        try {
          written = writeNow(start, settings, time, what);
        } catch {
          written = undefined; // writeNow says why itself; this is only so that nothing escapes
        }
        if (written !== undefined) kept++;
        return written;
      },
      discard() {
        if (how.dump || written === undefined) return;
        try {
          fs.unlinkSync(written);
          kept--;
        } catch {
          /* already gone: someone took it */
        }
        written = undefined;
      },
      line: () => (written === undefined ? '' : `ts-pdb: ${what}: snapshot written: ${written} (open it with: ts-pdb open ${written})\n`),
    };
  } catch {
    return NO_SNAPSHOT;
  }
}

/** The file name the writer will give (snapshot-name.ts `snapshotName`), known before anything heavy loads. */
function plannedName(start: SessionStart, time: Date): string {
  const { snapshotName } = require('../../snapshot/snapshot-name') as typeof import('../../snapshot/snapshot-name');
  return snapshotName({
    process: {
      time: time.toISOString(),
      host: os.hostname(),
      pid: process.pid,
      rank: start.rank.rank,
      ...(start.rank.jobId !== undefined ? { jobId: start.rank.jobId } : {}),
    } as Parameters<typeof snapshotName>[0]['process'],
  });
}

/** Takes and writes the snapshot; its path, or undefined after one line on stderr saying why not. */
function writeNow(start: SessionStart, settings: DumpSettings, time: Date, what: string): string | undefined {
  try {
    const { redactionOf } = require('../../snapshot/redaction') as typeof import('../../snapshot/redaction');
    const redaction = redactionOf(settings.redact);
    if (!redaction.ok) {
      start.env.stderr(`ts-pdb: ${what}: ${redaction.error}.\n`);
      return undefined;
    }
    const { takeSnapshot } = require('../../snapshot/take-snapshot') as typeof import('../../snapshot/take-snapshot');
    const { writeSnapshot } = require('../../snapshot/write-snapshot') as typeof import('../../snapshot/write-snapshot');
    const { options, rank } = start;
    const snapshot = takeSnapshot(
      start.source,
      {
        rank: rank.rank,
        ...(rank.worldSize !== undefined ? { worldSize: rank.worldSize } : {}),
        ...(rank.jobId !== undefined ? { jobId: rank.jobId } : {}),
        ...(options.where !== undefined ? { where: options.where } : {}),
        uncaught: options.uncaught,
        breakpoint: options.breakpoint,
        transformed: options.transformed,
        time,
        tsPdb: version(),
      },
      redaction.redaction,
      { maxBytes: settings.maxBytes },
    );
    const result = writeSnapshot(snapshot, settings.dir, settings.dirMaxBytes);
    if (result.ok) return result.path;
    if (!/IPDB_DUMP_DIR_MAX_MB/.test(result.error) || !folderFullSaid) start.env.stderr(`ts-pdb: ${what}: ${result.error}.\n`);
    folderFullSaid ||= /IPDB_DUMP_DIR_MAX_MB/.test(result.error);
    return undefined;
  } catch (e) {
    start.env.stderr(`ts-pdb: ${what}: no snapshot written: ${reason(e)}.\n`);
    return undefined;
  }
}

/**
 * The message of what was thrown while the snapshot was taken, read without running anything: a
 * value of the program can get here (a Proxy's trap that throws it), and its `message` or
 * `toString` may be getters that throw in turn.
 */
function reason(e: unknown): string {
  try {
    if (typeof e === 'string') return e;
    if (types.isNativeError(e) && !types.isProxy(e)) {
      const message = Object.getOwnPropertyDescriptor(e, 'message')?.value as unknown;
      if (typeof message === 'string') return message;
    }
  } catch {
    /* below */
  }
  return 'something was thrown that cannot be shown';
}

let versionText: string | undefined;
/** The installed ts-pdb's version (package.json next to dist/), for the snapshot's `process.tsPdb`. */
function version(): string {
  if (versionText === undefined) {
    try {
      versionText = (
        JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
      ).version;
    } catch {
      versionText = 'unknown';
    }
  }
  return versionText;
}
