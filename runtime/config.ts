/**
 * The switches of docs/SPEC.md §2 (their type, the modes, the runtime's error class); the live values,
 * read from the environment once and changeable from code (`Debugger.enabled = true`,
 * `Debugger.mode = 'web'`, ...), are `settings` in capture.ts. Kept tiny: a program that imports
 * `ts-pdb` loads this module.
 */

/**
 * The session modes, in the order the error message lists them. `dump` opens no session: the stop
 * writes its snapshot (issue #11) and the error goes on at once.
 */
export const MODES = ['console', 'web', 'socket', 'dump'] as const;
/** A session mode. */
export type Mode = (typeof MODES)[number];

/** An internal fault or a bad setting, with a stable `code` (as `ws` does). */
export class TsPdbError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TsPdbError';
  }
}

/**
 * Parses `IPDB_MODE`. Unset or empty gives `undefined` (docs/SPEC.md §3: console for rank 0, socket for
 * the other ranks); anything not in {@link MODES} is a {@link TsPdbError} naming the valid values.
 */
export function parseMode(value: string | undefined, source = 'IPDB_MODE'): Mode | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if ((MODES as readonly string[]).includes(v)) return v as Mode;
  throw new TsPdbError('ERR_TS_PDB_MODE', `${source}=${JSON.stringify(value)} is not a mode of ts-pdb; use one of: ${MODES.join(', ')}`);
}

/** The live settings. */
export interface Settings {
  /** `IPDB_DEBUG`; default false. When false a throw costs one call per instrumented frame, nothing more. */
  enabled: boolean;
  /** Raw `IPDB_MODE` text (validated when a session opens, so a typo never breaks a program that does not throw). */
  modeText: string | undefined;
  /** `IPDB_CONTEXT_SIZE`; default 11 lines, as in ipdb. */
  contextSize: number;
}

/**
 * `IPDB_NOTIFY`: a shell command (`/bin/sh -c`) run once per stop, when the stop can be reached (the
 * socket listens, the page is served, the console session opens, the snapshot is written), with
 * `TS_PDB_RANK`, `TS_PDB_HOST`, `TS_PDB_PID`, `TS_PDB_JOB`, `TS_PDB_ERROR`, `TS_PDB_CONNECT` and
 * `TS_PDB_SNAPSHOT` in its environment; at most 10 per process, each ended after 10 s, never waited
 * for (front-ends/shared/notify.ts, docs/SPEC.md §9). Read at each stop, so that a program may set it
 * in `process.env` before it stops.
 * @returns the command; undefined (none runs) when unset or blank.
 */
export function notifyCommand(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const command = env.IPDB_NOTIFY;
  return command === undefined || command.trim() === '' ? undefined : command;
}

// The switches themselves (`settings`) live in capture.ts, the one module instrumented code loads
// at startup; this file imports nothing, so that every layer may use it.

/**
 * `IPDB_REGISTRY`: the folder of waiting sessions shared by every host of a job (NFS, Lustre, a
 * Kubernetes volume), trimmed; undefined when unset or blank: each host's private registry under
 * `TS_PDB_HOME` (docs/hosts-design.md). Checked where it is used (front-ends/shared/registry-folder.ts):
 * made 0700 when missing, refused when it is not the user's or its group or others may write it.
 */
export function registrySetting(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.IPDB_REGISTRY?.trim();
  return dir ? dir : undefined;
}
