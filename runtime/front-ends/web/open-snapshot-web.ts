/**
 * `ts-pdb open --web FILE` (issue #11; docs/snapshot-design.md): web mode's page over a snapshot,
 * after the process is gone. The session is open-snapshot.ts's (the snapshot frame source, never
 * recoverable, the notice saying whose snapshot it is); the page is web mode's (open-web.ts), told
 * that it serves a snapshot: it registers nothing for `ts-pdb ls`, and its box and header say whose
 * snapshot it is and when it was taken.
 *
 * Read-only and on loopback: it always binds 127.0.0.1 (a snapshot's locals can hold secrets, and
 * nothing waits for a remote user), whatever `IPDB_HOST` says; the port and the token follow web
 * mode's rules (`IPDB_WEB_PORT` + the snapshot's rank, `IPDB_TOKEN`). The file is only read;
 * nothing of the program runs (restored functions are stand-ins that say so), and `c`, `q` or the
 * end of the page's session end the command.
 */
import { snapshotOf, withSnapshot } from '../open-snapshot';
import { sessionEnvironment, type SessionEnvironment } from '../shared/environment';
import { isLoopback } from '../shared/session-token';
import { serveWeb } from './open-web';

/** The one address a snapshot's page listens on. */
export const SNAPSHOT_HOST = '127.0.0.1';

/**
 * Serves the snapshot at `file` as a page on {@link SNAPSHOT_HOST} until the session ends, and
 * returns the exit code: 0 after the session; 1 when the file cannot be opened or the page cannot
 * be served (one line `ts-pdb open: ...`), or when no page came within `IPDB_TIMEOUT` (one line).
 * An `IPDB_HOST` other than loopback is ignored, with one line saying so. Never throws.
 * @param file the snapshot file.
 * @param env the environment (default: this process's): `IPDB_HOST` (only to say it is ignored),
 *   `IPDB_WEB_PORT`, `IPDB_TOKEN`, `IPDB_TIMEOUT`, stderr.
 */
export function openSnapshotWeb(file: string, env: SessionEnvironment = sessionEnvironment()): number {
  const local: SessionEnvironment = { ...env, host: SNAPSHOT_HOST };
  return withSnapshot(file, local, (start, snapshot) => {
    if (!isLoopback(env.host))
      env.stderr(
        `ts-pdb open: IPDB_HOST=${env.host} is ignored: a snapshot's page listens on ${SNAPSHOT_HOST} only ` +
          `(its locals can hold secrets); from another machine, forward the port (ssh -L PORT:${SNAPSHOT_HOST}:PORT this-machine).\n`,
      );
    return serveWeb(start, snapshotOf(snapshot)) ? 0 : 1;
  });
}
