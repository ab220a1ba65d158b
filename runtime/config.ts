/**
 * The switches of SPEC §2, read from the environment once and changeable from code
 * (`Debugger.enabled = true`, `Debugger.mode = 'web'`, ...). Kept tiny: instrumented programs load
 * this module at startup even when debugging is off.
 */

/** The session modes, in the order the error message lists them. */
export const MODES = ['console', 'web', 'socket'] as const;
/** A session mode. */
export type Mode = (typeof MODES)[number];

/** An internal fault or a bad setting, with a stable `code` (as `ws` does). */
export class TsPdbError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'TsPdbError';
  }
}

/** True for `1`, `true`, `yes`, `on` (any case); false for unset, empty, `0`, `false`, `no`, `off`. */
export function parseFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/**
 * Parses `IPDB_MODE`. Unset or empty gives `undefined` (SPEC §3: console for rank 0, socket for
 * the other ranks); anything not in {@link MODES} is a {@link TsPdbError} naming the valid values.
 */
export function parseMode(value: string | undefined, source = 'IPDB_MODE'): Mode | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if ((MODES as readonly string[]).includes(v)) return v as Mode;
  throw new TsPdbError('ERR_TS_PDB_MODE',
    `${source}=${JSON.stringify(value)} is not a mode of ts-pdb; use one of: ${MODES.join(', ')}`);
}

/** A positive integer setting, or the default when unset or not a positive integer. */
export function parsePositiveInt(value: string | undefined, fallback: number): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
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

const env = process.env;
/** The process-wide settings, from the environment at load time. */
export const settings: Settings = {
  enabled: parseFlag(env.IPDB_DEBUG),
  modeText: env.IPDB_MODE,
  contextSize: parsePositiveInt(env.IPDB_CONTEXT_SIZE, 11),
};
