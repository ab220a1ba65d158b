/**
 * Opens a session over a snapshot file (`ts-pdb open FILE`, issue #11; docs/snapshot-design.md):
 * reads the file with snapshot/read-snapshot.ts, makes the snapshot frame source, builds a
 * `SessionStart` with the recorded rank and session facts (never recoverable: the program is
 * gone) and a notice saying whose snapshot it is and when it was taken, and hands it to the
 * console front-end, which works unchanged (or, with `withSnapshot`, to the web page of
 * `ts-pdb open --web`: web/open-snapshot-web.ts). Runs nothing from the file; a file that cannot
 * be opened is one line and exit code 1, never a stack trace.
 */
import type { SessionOptions } from '../engine/session';
import { printable } from '../render/printable';
import type { RankInfo } from '../rank';
import { oneLine, readSnapshot } from '../snapshot/read-snapshot';
import type { SnapshotFile } from '../snapshot/snapshot-format';
import { SnapshotFrameSource } from '../snapshot/snapshot-source';
import type { FrontEnd, SessionStart } from './front-end';
import { sessionEnvironment, type SessionEnvironment } from './shared/environment';

/** `list`'s size when `IPDB_CONTEXT_SIZE` is unset or not a positive integer. Default 11, as a live session. */
const DEFAULT_CONTEXT_SIZE = 11;

/**
 * Opens a session on the snapshot at `file` on the terminal and returns the exit code when it ends:
 * 0 after the session (or the report printed instead with no terminal), 1 when the file cannot
 * be opened (one line on stderr: `ts-pdb open: ...`). Never throws.
 * @param file the snapshot file.
 * @param env the environment (default: this process's): stderr, `IPDB_TIMEOUT` for the terminal's turn.
 * @param frontEnd the front-end (default: the console).
 */
export function openSnapshotFile(file: string, env: SessionEnvironment = sessionEnvironment(), frontEnd?: FrontEnd): number {
  return withSnapshot(file, env, (start) => {
    const fe = frontEnd ?? (require('./console/open-console') as typeof import('./console/open-console')).consoleFrontEnd;
    fe.open(start);
    return 0;
  });
}

/**
 * Reads the snapshot at `file`, builds its session start and hands both to `use`, whose answer is
 * the exit code. A file the reader refuses, or one that fails while it is restored or served (a
 * throw of `use`), is one line on stderr (`ts-pdb open: ...`) and exit code 1. Never throws.
 * @param file the snapshot file.
 * @param env the environment of the session (stderr, `IPDB_TIMEOUT`, the web front-end's address).
 * @param use serves the session (`ts-pdb open` on the terminal, `ts-pdb open --web` as a page).
 */
export function withSnapshot(file: string, env: SessionEnvironment, use: (start: SessionStart, snapshot: SnapshotFile) => number): number {
  const read = readSnapshot(file);
  if (!read.ok) {
    env.stderr(`ts-pdb open: ${read.error}\n`);
    return 1;
  }
  // A promise made at the prompt and rejected (`p load()` of a restored async function) is the
  // session's own business: there is no program here for it to end, so it must not end ts-pdb open
  // after the session with Node's stack trace.
  process.on('unhandledRejection', () => {});
  try {
    return use(snapshotStart(read.snapshot, file, env), read.snapshot);
  } catch (e) {
    // A file that passed the reader's checks but still could not be restored: one line, no stack.
    env.stderr(`ts-pdb open: cannot open ${file}: ${oneLine(e)}\n`);
    return 1;
  }
}

/** The session start of a snapshot: its frame source, its recorded rank and session facts, never recoverable. */
export function snapshotStart(snapshot: SnapshotFile, file: string, env: SessionEnvironment): SessionStart {
  const source = new SnapshotFrameSource(snapshot);
  const s = snapshot.session;
  const options: SessionOptions = {
    where: s.where,
    uncaught: s.uncaught === true,
    recoverable: false,
    breakpoint: s.breakpoint === true,
    transformed: s.transformed !== false,
    contextSize: contextSize(process.env.IPDB_CONTEXT_SIZE),
  };
  const p = snapshot.process;
  const rank: RankInfo = { rank: p.rank, localRank: p.rank, worldSize: p.worldSize, source: 'snapshot' };
  return { source, options, rank, notice: snapshotNotice(snapshot, file), env };
}

/**
 * The notice at the top of a snapshot's session: that it is a snapshot (the program is gone), of
 * which process (rank, host, pid, job) and when it was taken.
 */
export function snapshotNotice(snapshot: SnapshotFile, file: string, now: Date = new Date()): string {
  return (
    `ts-pdb: a snapshot (${file}), not a running program: ${snapshotOf(snapshot, now)}.\n` +
    `ts-pdb: the program is gone: return and retry are refused, c and q end the session.\n`
  );
}

/**
 * Whose snapshot it is and when it was taken, on one line: `rank 2 of 4 (host h, pid 123, job j),
 * taken 2026-01-02 03:04:05 UTC (3 min ago)` (the notice's words; the web page's header).
 */
export function snapshotOf(snapshot: SnapshotFile, now: Date = new Date()): string {
  const p = snapshot.process;
  const of = p.worldSize !== undefined ? `rank ${p.rank} of ${p.worldSize}` : `rank ${p.rank}`;
  const job = p.jobId !== undefined ? `, job ${p.jobId}` : '';
  return printable(`${of} (host ${p.host}, pid ${p.pid}${job}), taken ${when(p.time, now)}`);
}

/** `2026-12-07 12:52:40 UTC (3 min ago)`, or the recorded text when it is not a time. */
function when(iso: string, now: Date): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return String(iso);
  const text = new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  return `${text} (${ago(now.getTime() - t)})`;
}

function ago(ms: number): string {
  if (ms < 0) return 'in the future of this clock';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 172800) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} days ago`;
}

function contextSize(text: string | undefined): number {
  const n = Number(text);
  return text && Number.isInteger(n) && n > 0 ? n : DEFAULT_CONTEXT_SIZE;
}
