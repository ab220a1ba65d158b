/**
 * The registry of waiting sessions (docs/SPEC.md §3): each session that waits for a client writes one small
 * file in a private folder of the user, and removes it when it ends; `ts-pdb ls` reads them, and
 * prunes those of processes that are gone (killed sessions cannot remove their own).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One waiting session, as `ts-pdb ls` shows it. */
export interface RegistryEntry {
  rank: number;
  pid: number;
  host: string;
  /** How a client reaches it: `socket` (a Unix socket path), `tcp` (`host:port`) or `web` (the page's URL). */
  mode: string;
  /** Where to connect: a socket path, `host:port`, or the page's URL (with its token, if any). */
  address: string;
  /** The error's first line. */
  error: string;
  /** When the session started waiting (ms since the epoch). */
  since: number;
  /** The token a TCP client sends first, when the bind is not loopback (the registry folder is private). */
  token?: string;
  /** Why the session is not of the mode asked for (a console session that waits on a socket because its process runs in the background of the terminal). */
  note?: string;
  /** The snapshot the wait leaves (issue #11), removed when a client ends the session: `ts-pdb open` it if the rank is gone. */
  snapshot?: string;
  /** The job the rank belongs to (rank.ts `detectJobId`: torchrun, Slurm, MPI, cluster), when known: `ts-pdb dap` attaches by rank within a job. */
  job?: string;
}

/**
 * The user's private folder of ts-pdb (mode 0700), created when missing: `$TS_PDB_HOME`, else
 * `$TMPDIR/ts-pdb-<uid>`.
 * @throws when it exists but is not a private folder of this user (never trust someone else's).
 */
export function privateDir(): string {
  const uid = process.getuid?.() ?? 'user';
  const dir = process.env.TS_PDB_HOME || path.join(os.tmpdir(), `ts-pdb-${uid}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || (st.mode & 0o077) !== 0) {
    throw new Error(`${dir} is not a private folder of this user`);
  }
  return dir;
}

function sessionsDir(): string {
  const dir = path.join(privateDir(), 'sessions');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Registers a waiting session; returns a function that removes the entry. Never throws. */
export function register(entry: RegistryEntry): () => void {
  try {
    const file = path.join(sessionsDir(), `${entry.pid}-${entry.rank}.json`);
    fs.writeFileSync(file, JSON.stringify(entry), { mode: 0o600 });
    return () => {
      try {
        fs.unlinkSync(file);
      } catch {
        /* already gone */
      }
    };
  } catch {
    // No registry (a read-only temporary folder): the box on stderr still says how to connect.
    return () => {};
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

/** The waiting sessions of this user, by rank then pid; entries of dead processes are removed. */
export function list(): RegistryEntry[] {
  let dir: string;
  try {
    dir = sessionsDir();
  } catch {
    return [];
  }
  const out: RegistryEntry[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    let entry: RegistryEntry;
    try {
      entry = JSON.parse(fs.readFileSync(file, 'utf8')) as RegistryEntry;
    } catch {
      continue;
    }
    if (entry.host === os.hostname() && !alive(entry.pid)) {
      try {
        fs.unlinkSync(file);
      } catch {
        /* someone else pruned it */
      }
      continue;
    }
    out.push(entry);
  }
  return out.sort((a, b) => a.rank - b.rank || a.pid - b.pid);
}

/** The registry as a table (`ts-pdb ls`); an entry's note and snapshot follow its row, indented. */
export function formatList(entries: RegistryEntry[], now = Date.now()): string {
  if (!entries.length) return 'no waiting ts-pdb sessions\n';
  const rows = [['RANK', 'PID', 'HOST', 'MODE', 'ADDRESS', 'AGE', 'ERROR']];
  for (const e of entries) {
    const age = Math.max(0, Math.round((now - e.since) / 1000));
    rows.push([String(e.rank), String(e.pid), e.host, e.mode, e.address, `${age}s`, e.error]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return (
    rows
      .map(
        (r, i) =>
          r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ') +
          (i > 0 && entries[i - 1].note ? `\n      note: ${entries[i - 1].note}` : '') +
          (i > 0 && entries[i - 1].snapshot ? `\n      snapshot: ${entries[i - 1].snapshot}` : ''),
      )
      .join('\n') + '\n'
  );
}
