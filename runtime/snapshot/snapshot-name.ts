/**
 * The file name of a snapshot, apart from its writer: a socket session plans the name its snapshot
 * will have before it listens (front-ends/shared/snapshot-keeper.ts), and the writer, with the
 * encoder's JSON, loads only when a snapshot is written (issue #19 §4: fewer loads before a rank
 * listens). Imports nothing but the extension.
 */
import { SNAPSHOT_EXTENSION, type SnapshotFile } from './snapshot-format';

/** A component of a file name: letters, digits, `.`, `_` and `-` only, at most 64 characters. */
function part(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || '_';
}

/**
 * The file name of a snapshot: `<job>-rank<00003>-<host>-<pid>-<time>.tspdb.json.gz`; `nojob`
 * without a job id. Ranks are zero-padded so that they sort; the time is UTC, to the millisecond.
 */
export function snapshotName(s: Pick<SnapshotFile, 'process'>): string {
  const p = s.process;
  const time = p.time.replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '.$1Z');
  return `${part(p.jobId ?? 'nojob')}-rank${String(p.rank).padStart(5, '0')}-${part(p.host)}-${p.pid}-${part(time)}${SNAPSHOT_EXTENSION}`;
}
