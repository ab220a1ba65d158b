/**
 * The registry as `ts-pdb ls` prints it: one table, its rows grouped by job, then host (this host's
 * first), each group under a line naming them; an entry's note, snapshot and state follow its row,
 * indented. A `gone` entry says how long its heartbeat has been silent; an entry of another host that
 * only its own host can reach says so and what to set.
 */
import * as os from 'node:os';
import { reachOf, type RegistryEntry } from './registry';

/** What to set so that other hosts can attach (said wherever a session is for its host only). */
export const REACH_HINT = 'IPDB_CONNECTION_TYPE=tcp IPDB_HOST=0.0.0.0, or web mode with IPDB_HOST';

/** `42s`, `5m 3s`, `2h 1m`: a span of time, for people. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** How a session of another host is reached, for the note that says other hosts cannot. */
function howLocal(e: RegistryEntry): string {
  return e.mode === 'socket' ? 'a Unix socket' : 'a loopback address';
}

/** The lines under an entry's row. */
function notes(e: RegistryEntry, here: string, now: number): string[] {
  const lines: string[] = [];
  if (e.state === 'gone') lines.push(`gone: no heartbeat for ${ago(now - (e.beat ?? e.since))} (its host or process may be down)`);
  if (e.host !== here && reachOf(e) === 'host')
    lines.push(`note: waits on ${howLocal(e)}: other hosts cannot reach it (attach on ${e.host}, or run with ${REACH_HINT})`);
  if (e.note) lines.push(`note: ${e.note}`);
  if (e.snapshot) lines.push(`snapshot: ${e.snapshot}`);
  return lines;
}

/** `entries` in groups: by job (jobs by name, then sessions without one), then host (this host first). */
export function groupEntries(entries: RegistryEntry[], here = os.hostname()): { job?: string; host: string; entries: RegistryEntry[] }[] {
  const groups = new Map<string, { job?: string; host: string; entries: RegistryEntry[] }>();
  for (const e of entries) {
    const key = JSON.stringify([e.job ?? null, e.host]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...(e.job !== undefined ? { job: e.job } : {}), host: e.host, entries: [] }));
    g.entries.push(e);
  }
  const jobKey = (job: string | undefined): string => (job === undefined ? '\uffff' : job);
  return [...groups.values()].sort(
    (a, b) =>
      jobKey(a.job).localeCompare(jobKey(b.job)) || Number(b.host === here) - Number(a.host === here) || a.host.localeCompare(b.host),
  );
}

/** The registry as a table (`ts-pdb ls`). */
export function formatList(entries: RegistryEntry[], now = Date.now(), here = os.hostname()): string {
  if (!entries.length) return 'no waiting ts-pdb sessions\n';
  const header = ['RANK', 'PID', 'HOST', 'MODE', 'ADDRESS', 'AGE', 'ERROR'];
  const cells = (e: RegistryEntry): string[] => [
    String(e.rank),
    String(e.pid),
    e.host,
    e.mode,
    e.address,
    `${Math.max(0, Math.round((now - e.since) / 1000))}s`,
    e.error,
  ];
  const groups = groupEntries(entries, here);
  const rows = [header, ...groups.flatMap((g) => g.entries.map(cells))];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ');
  const out = [line(header)];
  for (const g of groups) {
    out.push(`${g.job !== undefined ? `job ${g.job}` : 'no job'}, host ${g.host}${g.host === here ? ' (this host)' : ''}:`);
    for (const e of g.entries) out.push(line(cells(e)), ...notes(e, here, now).map((n) => `      ${n}`));
  }
  return out.join('\n') + '\n';
}
