/**
 * The waiting ranks as the extension shows them, and the attach configurations it makes of them.
 *
 * Reads `ts-pdb ls --json` (an array of registry entries, runtime/front-ends/shared/registry.ts),
 * turns its entries into quick-pick items, and a picked entry or snapshot file into the attach
 * configuration `ts-pdb dap` takes (docs/dap-design.md). No `vscode` import: the tests load this
 * module in plain Node; extension.ts shows what it returns.
 */

/** One waiting session, as `ts-pdb ls --json` gives it (the registry's `RegistryEntry`). */
export interface RegistryEntry {
  rank: number;
  pid: number;
  host: string;
  /** `socket` (a Unix socket path), `tcp` (`host:port`) or `web` (a page's URL). */
  mode: string;
  /** A socket path, `host:port`, or the page's URL. */
  address: string;
  /** The error's first line. */
  error: string;
  /** When the session started waiting (ms since the epoch). */
  since: number;
  /** The token a TCP client sends first, when the rank asks for one. */
  token?: string;
  /** Why the session is not of the mode asked for. */
  note?: string;
  /** The snapshot the wait leaves. */
  snapshot?: string;
  /** The job the rank belongs to, when its launcher says. */
  job?: string;
  /** When the program stopped, and the entry's last heartbeat (ms since the epoch). */
  thrown?: number;
  beat?: number;
  /** `network`: other hosts can connect; `host`: its own host only. */
  reach?: string;
  /** `waiting`, or `gone`: an entry of another host whose heartbeat stopped (absent from older ts-pdb). */
  state?: string;
}

/** An attach configuration of the `ts-pdb` debug type, as launch.json holds it (its other keys are kept). */
export interface AttachConfiguration {
  type: string;
  request: string;
  name: string;
  rank?: number | string;
  job?: string;
  host?: string;
  address?: string;
  token?: string;
  snapshot?: string;
  ranks?: string;
  [key: string]: unknown;
}

/** A quick-pick item (the shape of `vscode.QuickPickItem`) that carries its registry entry. */
export interface RankItem {
  label: string;
  description: string;
  detail: string;
  entry: RegistryEntry;
}

/** What a snapshot file's name ends with (runtime/snapshot). */
export const SNAPSHOT_SUFFIX = '.tspdb.json.gz';

/** The value of `rank` or `snapshot` that asks the extension to choose. */
export const PICK = 'pick';

/**
 * The entries of `ts-pdb ls --json`'s output.
 * @throws an Error whose message says what was wrong with the output (the extension shows it).
 */
export function parseRegistry(stdout: string): RegistryEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    throw new Error(`ts-pdb ls --json did not print JSON (is this ts-pdb too old for ls --json?): ${excerpt(stdout)}`);
  }
  if (!Array.isArray(data)) throw new Error(`ts-pdb ls --json printed ${excerpt(stdout)}, not a list of waiting sessions`);
  return data.map((e: unknown, i) => {
    const x = e as Partial<RegistryEntry> | null;
    if (
      !x ||
      typeof x !== 'object' ||
      !Number.isInteger(x.rank) ||
      !Number.isInteger(x.pid) ||
      typeof x.mode !== 'string' ||
      typeof x.address !== 'string'
    )
      throw new Error(`ts-pdb ls --json: entry ${i} is not a waiting session: ${excerpt(JSON.stringify(e))}`);
    return {
      rank: x.rank!,
      pid: x.pid!,
      host: typeof x.host === 'string' ? x.host : '',
      mode: x.mode,
      address: x.address,
      error: typeof x.error === 'string' ? x.error : '',
      since: typeof x.since === 'number' ? x.since : 0,
      ...(typeof x.token === 'string' ? { token: x.token } : {}),
      ...(typeof x.note === 'string' ? { note: x.note } : {}),
      ...(typeof x.snapshot === 'string' ? { snapshot: x.snapshot } : {}),
      ...(typeof x.job === 'string' ? { job: x.job } : {}),
      ...(typeof x.thrown === 'number' ? { thrown: x.thrown } : {}),
      ...(typeof x.beat === 'number' ? { beat: x.beat } : {}),
      ...(typeof x.reach === 'string' ? { reach: x.reach } : {}),
      ...(typeof x.state === 'string' ? { state: x.state } : {}),
    };
  });
}

/** True for the entries `ts-pdb dap` can attach to: socket and TCP sessions (a web session is a page). */
export function attachable(entry: RegistryEntry): boolean {
  return entry.mode === 'socket' || entry.mode === 'tcp';
}

/**
 * The quick-pick items of the attachable entries, in the registry's order (by rank, then pid), and
 * a line for each entry left out (web sessions: the adapter cannot attach to a page; gone entries:
 * another host's rank whose heartbeat stopped).
 * @param now the time the ages are counted to (default: now)
 */
export function rankItems(entries: RegistryEntry[], now = Date.now()): { items: RankItem[]; leftOut: string[] } {
  const items: RankItem[] = [];
  const leftOut: string[] = [];
  for (const entry of entries) {
    if (entry.state === 'gone') {
      leftOut.push(`rank ${entry.rank} (pid ${entry.pid}) on ${entry.host} is gone: its heartbeat stopped`);
      continue;
    }
    if (!attachable(entry)) {
      leftOut.push(`rank ${entry.rank} (pid ${entry.pid}) waits as a ${entry.mode} session: open ${entry.address}`);
      continue;
    }
    items.push({
      label: `rank ${entry.rank}`,
      description: `pid ${entry.pid} · ${entry.host} · ${entry.mode} ${entry.address} · waiting ${age(now - entry.since)}`,
      detail: entry.error,
      entry,
    });
  }
  return { items, leftOut };
}

/** True when `config` asks for a waiting rank to be picked: `rank: "pick"`, or no target at all. */
export function wantsRankPick(config: AttachConfiguration): boolean {
  if (config.rank === PICK) return true;
  return config.rank === undefined && config.address === undefined && config.snapshot === undefined && config.ranks === undefined;
}

/** True when `config` asks for a snapshot file to be picked (`snapshot: "pick"`). */
export function wantsSnapshotPick(config: AttachConfiguration): boolean {
  return config.snapshot === PICK;
}

/**
 * The configuration that attaches to the picked `entry`: its address (and token, when it has
 * one), which names that one session even when two jobs wait with the same rank; `rank`, `job`
 * and `host` (the registry look-up the address replaces) are dropped, the rest is kept.
 */
export function attachConfiguration(config: AttachConfiguration, entry: RegistryEntry): AttachConfiguration {
  const { rank: _rank, job: _job, host: _host, token: _token, ...rest } = config;
  return { ...rest, address: entry.address, ...(entry.token !== undefined ? { token: entry.token } : {}) };
}

/** True when `file`'s name is a snapshot's (`*.tspdb.json.gz`). */
export function isSnapshotFile(file: string): boolean {
  return file.endsWith(SNAPSHOT_SUFFIX);
}

/** The configuration that opens the snapshot `file` (a path), in place of `snapshot: "pick"`. */
export function snapshotConfiguration(config: AttachConfiguration, file: string): AttachConfiguration {
  return { ...config, snapshot: file };
}

/** A short quotation of a text, for messages. */
function excerpt(text: string): string {
  const one = text.trim().replace(/\s+/g, ' ');
  return one ? JSON.stringify(one.length > 120 ? one.slice(0, 117) + '...' : one) : 'nothing';
}

/** `42s`, `5m`, `3h`, `2d`: how long a session has waited. */
function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
