/**
 * The registry of waiting sessions (docs/SPEC.md §3, §9; docs/hosts-design.md): each session that
 * waits for a client writes one small file, refreshes it every 5 s from the thread that serves it,
 * and removes it when it ends; `ts-pdb ls`, `ts-pdb attach`, the overview page and `ts-pdb dap`
 * read them. The folder is this user's private one, or with `IPDB_REGISTRY` one shared by the hosts
 * of a job (registry-folder.ts). An entry of this host whose process is gone is removed by its
 * readers (killed sessions cannot remove their own); one of another host cannot be checked by pid:
 * its heartbeat says whether it still waits.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Reach } from './reachable-address';
import { isLoopback } from './session-token';
import { registryFolders } from './registry-folder';

export { privateDir } from './registry-folder';

/** How often a waiting session rewrites its entry's `beat`, in ms. */
export const HEARTBEAT_MS = 5_000;
/** An entry of another host whose last beat is older than this is `gone`, in ms. */
export const GONE_MS = 15_000;
/** An entry of another host whose last beat is older than this is removed by whoever reads it, in ms. */
export const PRUNE_MS = 3_600_000;

/** `waiting`: the session waits for a client; `gone`: an entry of another host without a heartbeat for {@link GONE_MS}. */
export type EntryState = 'waiting' | 'gone';

/** One waiting session, as `ts-pdb ls` shows it. */
export interface RegistryEntry {
  rank: number;
  pid: number;
  /** The host name, for display (`os.hostname()`). */
  host: string;
  /** How a client reaches it: `socket` (a Unix socket path), `tcp` (`host:port`) or `web` (the page's URL). */
  mode: string;
  /** Where to connect: a socket path, `ip:port`, or the page's URL (without its token); for `reach: "network"`, at an IP other hosts can use. */
  address: string;
  /** The error's first line. */
  error: string;
  /** When the session started waiting (ms since the epoch). */
  since: number;
  /** The token a TCP client sends first (the page's URL carries it), when the session asks for one. */
  token?: string;
  /** Why the session is not of the mode asked for (a console session that waits on a socket because its process runs in the background of the terminal). */
  note?: string;
  /** The snapshot the wait leaves (issue #11), removed when a client ends the session: `ts-pdb open` it if the rank is gone. */
  snapshot?: string;
  /** The job the rank belongs to (rank.ts `detectJobId`: torchrun, Slurm, MPI, cluster), when known. */
  job?: string;
  /** When the program stopped (ms since the epoch). */
  thrown?: number;
  /** The last heartbeat (ms since the epoch); `since` for entries written before heartbeats. */
  beat?: number;
  /** `network`: other hosts can connect (TCP or web on a non-loopback bind); `host`: this host only. Inferred when absent ({@link reachOf}). */
  reach?: Reach;
  /** Set by {@link list}, never stored. */
  state?: EntryState;
}

/** A registered entry: refreshed by `beat()` (or every {@link HEARTBEAT_MS} once `keepBeating()`), removed by `remove()`. */
export interface Registration {
  /** The entry's file; undefined when nothing could be written. */
  readonly file: string | undefined;
  /** Rewrites the entry with `beat` now. Never throws. */
  beat(): void;
  /** Beats every `ms` (default {@link HEARTBEAT_MS}) on an unref'd timer of the calling thread, until `remove()`. */
  keepBeating(ms?: number): Registration;
  /** Stops the heartbeat and removes the entry. Never throws. */
  remove(): void;
}

/** A part of an entry's name: characters other than `[A-Za-z0-9_-]` become `_`. */
function namePart(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
}

/** The entry's file name, unique across hosts and jobs: `<job>.<host>.<pid>.<rank>.json` (`nojob` without a job id). */
export function entryName(e: Pick<RegistryEntry, 'job' | 'host' | 'pid' | 'rank'>): string {
  return `${namePart(e.job ?? 'nojob')}.${namePart(e.host)}.${e.pid}.${e.rank}.json`;
}

/** Writes `entry` to `file` whole (a temporary name in the same folder, then `rename`), 0600: a reader over NFS never sees half of it. */
function writeWhole(file: string, entry: RegistryEntry): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${threadId}.tmp`);
  try {
    fs.unlinkSync(tmp);
  } catch {
    /* none left over */
  }
  try {
    fs.writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* not there */
    }
    throw e;
  }
}

/** Said once per thread: a refused `IPDB_REGISTRY` (the session registers in the private registry). */
let refusalSaid = false;

/**
 * Registers a waiting session (`beat` set now) in the shared registry when `IPDB_REGISTRY` is set
 * and accepted, else in the private one; a refused `IPDB_REGISTRY` is one line on stderr. Never
 * throws: with no registry at all, the box on stderr still says how to connect.
 * @param how `written: true`: another thread of this process wrote the entry already (a socket the
 *   main thread listened on, whose worker keeps it beating): it is not written again until its next beat.
 */
export function register(entry: RegistryEntry, how: { written?: boolean } = {}): Registration {
  const folders = registryFolders();
  if (folders.refused && !refusalSaid) {
    refusalSaid = true;
    try {
      fs.writeSync(2, `ts-pdb: ${folders.refused}; this session registers in the private registry of this host instead\n`);
    } catch {
      /* stderr closed */
    }
  }
  const { state: _state, ...stored } = entry;
  let file = folders.write ? path.join(folders.write, entryName(entry)) : undefined;
  let timer: NodeJS.Timeout | undefined;
  let removed = false;
  const write = (): void => {
    if (!file || removed) return;
    try {
      writeWhole(file, { ...stored, beat: Date.now() });
    } catch {
      // A folder gone or full: the next beat tries again; the box still says how to connect.
    }
  };
  try {
    if (file && !how.written) writeWhole(file, { ...stored, beat: Date.now() });
  } catch {
    file = undefined;
  }
  const registration: Registration = {
    file,
    beat: write,
    keepBeating(ms = HEARTBEAT_MS) {
      if (!timer && file && !removed) {
        timer = setInterval(write, ms);
        // The process must not stay for its heartbeat (the main thread sleeps in Atomics.wait meanwhile).
        timer.unref();
      }
      return registration;
    },
    remove() {
      removed = true;
      if (timer) clearInterval(timer);
      if (file)
        try {
          fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
    },
  };
  return registration;
}

/** Removes the entry named by `e` from the folder this process registers in (a session that ended). Never throws. */
export function unregister(e: Pick<RegistryEntry, 'job' | 'host' | 'pid' | 'rank'>): void {
  const dir = registryFolders().write;
  if (!dir) return;
  try {
    fs.unlinkSync(path.join(dir, entryName(e)));
  } catch {
    /* already gone */
  }
}

/** True when process `pid` is alive (signal 0 checks without sending). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who can reach `e`: its `reach`, else inferred (a Unix socket or a loopback address: this host only). */
export function reachOf(e: RegistryEntry): Reach {
  if (e.reach === 'network' || e.reach === 'host') return e.reach;
  if (e.mode === 'socket') return 'host';
  let host = e.address.replace(/:\d+$/, '');
  try {
    if (e.mode === 'web') host = new URL(e.address).hostname;
  } catch {
    /* not a URL */
  }
  return isLoopback(host) ? 'host' : 'network';
}

/** True when `e` was written on this host. */
export function isLocal(e: RegistryEntry): boolean {
  return e.host === os.hostname();
}

/** Options of {@link list}. */
export interface ListOptions {
  /** Now, in ms since the epoch; default `Date.now()`. */
  now?: number;
  /** Told one line (no newline) when `IPDB_REGISTRY` is refused (only the private registry is read then). */
  warn?: (line: string) => void;
}

/**
 * The registered sessions of this user, by rank then pid, each with its `state`: the shared folder's
 * (`IPDB_REGISTRY`) and this host's private one's. An entry of this host whose process is dead is
 * removed; one of another host is `gone` when its last beat is older than {@link GONE_MS}, and
 * removed when older than {@link PRUNE_MS}. Never throws.
 */
export function list(options: ListOptions = {}): RegistryEntry[] {
  const now = options.now ?? Date.now();
  const folders = registryFolders();
  if (folders.refused) options.warn?.(folders.refused);
  const out: RegistryEntry[] = [];
  const seen = new Set<string>();
  for (const dir of folders.read) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.json') || name.startsWith('.') || seen.has(name)) continue;
      seen.add(name);
      const file = path.join(dir, name);
      let entry: RegistryEntry;
      try {
        entry = JSON.parse(fs.readFileSync(file, 'utf8')) as RegistryEntry;
      } catch {
        continue;
      }
      if (!entry || typeof entry !== 'object' || typeof entry.rank !== 'number' || typeof entry.pid !== 'number') continue;
      let state: EntryState = 'waiting';
      if (isLocal(entry)) {
        if (!alive(entry.pid)) {
          prune(file);
          continue;
        }
      } else {
        const age = now - (typeof entry.beat === 'number' ? entry.beat : entry.since);
        if (age > PRUNE_MS) {
          prune(file);
          continue;
        }
        if (age > GONE_MS) state = 'gone';
      }
      out.push({ ...entry, state });
    }
  }
  return out.sort((a, b) => a.rank - b.rank || a.pid - b.pid);
}

function prune(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    /* someone else pruned it */
  }
}
