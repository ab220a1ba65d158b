/**
 * A folder of snapshots (`ts-pdb open DIR`, issue #11; docs/snapshot-design.md): lists them (job,
 * rank, host, pid, time, error, file) and picks the one `--rank N` (and `--job ID` when the folder
 * holds several jobs) names. Each file is read with snapshot/read-snapshot.ts (nothing from it is
 * run); one that cannot be read is a row saying why, not a failure of the whole folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printable } from '../render/printable';
import { readSnapshot } from '../snapshot/read-snapshot';
import { SNAPSHOT_EXTENSION, type SnapshotFile } from '../snapshot/snapshot-format';

/** One snapshot of a folder: its file and what the listing shows, or why it cannot be read. */
export interface FolderEntry {
  file: string;
  /** The job id, or undefined without one. */
  job?: string;
  rank?: number;
  host?: string;
  pid?: number;
  /** When it was taken (ISO 8601, as recorded). */
  time?: string;
  /** The thrown error in one line (`TypeError: ...`), or why the file cannot be read. */
  error: string;
  /** False when the file cannot be read. */
  ok: boolean;
}

/** The snapshots in `dir` (files ending in `.tspdb.json.gz`), in name order (job, rank, host, pid, time). Throws when `dir` cannot be listed. */
export function listFolder(dir: string): FolderEntry[] {
  const names = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(SNAPSHOT_EXTENSION))
    .sort();
  return names.map((n) => entryOf(path.join(dir, n)));
}

function entryOf(file: string): FolderEntry {
  const read = readSnapshot(file);
  if (!read.ok) return { file, error: `(cannot be read: ${read.error})`, ok: false };
  const p = read.snapshot.process;
  return { file, job: p.jobId, rank: p.rank, host: p.host, pid: p.pid, time: p.time, error: errorLine(read.snapshot), ok: true };
}

/** The thrown value's `Name: message` as recorded, on one line and at most 100 characters. */
function errorLine(s: SnapshotFile): string {
  const ref = s.thrown;
  let text: string;
  if (Array.isArray(ref) && ref[0] === 'o') {
    const node = s.values[ref[1]];
    text = node?.t === 'error' ? `${node.name ?? 'Error'}: ${node.message ?? ''}` : `a thrown ${node?.t ?? 'value'}`;
  } else text = `thrown ${JSON.stringify(ref)}`;
  text = text.replace(/\s+/g, ' ');
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

/** The listing as a table, and how to open one. */
export function formatFolder(dir: string, entries: FolderEntry[]): string {
  if (!entries.length) return `no snapshots (*${SNAPSHOT_EXTENSION}) in ${dir}\n`;
  const rows = [['JOB', 'RANK', 'HOST', 'PID', 'TIME', 'ERROR', 'FILE']];
  for (const e of entries) {
    // What comes from a file is shown with its control characters escaped (render/printable.ts).
    rows.push(
      [
        e.ok ? (e.job ?? '-') : '?',
        e.rank !== undefined ? String(e.rank) : '?',
        e.host ?? '?',
        e.pid !== undefined ? String(e.pid) : '?',
        e.time ?? '?',
        e.error,
        path.basename(e.file),
      ].map(printable),
    );
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const table = rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n');
  const several = jobsOf(entries).length > 1;
  return `${table}\nopen one: ts-pdb open ${dir} --rank N${several ? ' --job ID' : ''}, or ts-pdb open FILE\n`;
}

/** The distinct job ids of the readable entries (`undefined` for snapshots without one). */
function jobsOf(entries: FolderEntry[]): Array<string | undefined> {
  return [...new Set(entries.filter((e) => e.ok).map((e) => e.job))];
}

/** The file to open for `--rank` (and `--job`), or why none (one line). */
export type FolderPick = { ok: true; file: string; note: string } | { ok: false; error: string };

/**
 * Picks the snapshot of `rank` (in `job`, required when the folder holds several jobs). When the
 * rank left several snapshots (several errors), the first taken: the later ones often follow from it.
 */
export function pickSnapshot(dir: string, entries: FolderEntry[], rank: number, job?: string): FolderPick {
  const readable = entries.filter((e) => e.ok);
  const jobs = jobsOf(readable);
  if (job === undefined && jobs.length > 1) {
    return {
      ok: false,
      error: `${dir} holds snapshots of ${jobs.length} jobs (${jobs.map((j) => printable(j ?? 'no job id')).join(', ')}): say which with --job ID`,
    };
  }
  const matches = readable
    .filter((e) => e.rank === rank && (job === undefined || (e.job ?? '') === job))
    .sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  if (!matches.length) return { ok: false, error: `no snapshot of rank ${rank}${job !== undefined ? ` in job ${job}` : ''} in ${dir}` };
  const note =
    matches.length > 1
      ? `ts-pdb: rank ${rank} left ${matches.length} snapshots in ${dir}; opening the first taken (the others: ts-pdb open FILE).\n`
      : '';
  return { ok: true, file: matches[0].file, note };
}
