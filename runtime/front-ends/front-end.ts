/**
 * A front-end: how a session is served (console, socket, web; next a Debug Adapter Protocol
 * adapter, issue #12), and what the one opener (open-session.ts) hands it. Each front-end lives in
 * its folder with its opener (console/open-console.ts, socket/open-socket.ts, web/open-web.ts),
 * talks to the engine through its two interfaces (text lines: engine/channel.ts; structured
 * requests: engine/requests.ts), and takes the pieces every front-end needs from shared/ (the
 * blocking port, the worker link, the environment, the registry, the engine's loader).
 */
import type { FrameSource } from '../engine/frame-source';
import type { Session, SessionOptions } from '../engine/session';
import type { RankInfo } from '../rank';
import type { SessionEnvironment } from './shared/environment';

/** What the opener hands a front-end. */
export interface SessionStart {
  /**
   * The frames the session works on (a live program, or a snapshot). The opener of a live session
   * makes it when first read (open-session.ts), so that its module loads after a socket listens.
   */
  readonly source: FrameSource;
  /**
   * The value the session stopped on, when the opener knows it without {@link source}: what a
   * front-end reads for its first line before anything else loads (socket/open-socket.ts). Absent:
   * `source.thrown`.
   */
  readonly thrown?: unknown;
  /** How the session opened (uncaught, at a breakpoint, recoverable, with the transform, `list`'s size). */
  options: SessionOptions;
  /** This process's rank: the prompt, the socket path and port, the turns on the terminal. */
  rank: RankInfo;
  /** Said at the top of the session (why locals are missing), or ''. */
  notice: string;
  /** Timeout, addresses, token, stderr (shared/environment.ts). */
  env: SessionEnvironment;
  /**
   * The snapshot this stop leaves (shared/snapshot-keeper.ts), set by the opener: a front-end writes
   * it when its wait begins or when it prints the frames instead of a session, and discards it when
   * a client ends the session normally. Absent: none (a session opened on a snapshot).
   */
  snapshot?: SnapshotKeeper;
}

/** A way to serve a session. */
export interface FrontEnd {
  /** Its name, as `IPDB_MODE` says it. */
  readonly name: string;
  /**
   * Serves the session; returns when it ended, with the session (its `returning`, `retrying` and
   * `endProgram` say how), or undefined when none ran (the frames were printed instead, or nobody
   * came). Synchronous: the program is stopped meanwhile. Loads the engine only when it needs it
   * (shared/engine.ts). A fault may throw: the opener reports it, and the error goes on unchanged.
   */
  open(start: SessionStart): Session | undefined;
}

/** The snapshot of one stop (made by shared/snapshot-keeper.ts): planned when the stop begins, written when the front-end says. */
export interface SnapshotKeeper {
  /** Where the snapshot goes (for the box and the registry), before it is written; undefined: none will be. */
  readonly planned: string | undefined;
  /** Writes it (once; later calls return the same); the path, or undefined when none was written (a line on stderr says why). */
  write(): string | undefined;
  /** Removes it when it was written (a client ended the session normally), unless the stop was in dump mode. */
  discard(): void;
  /** The line that names the file for a report or a box (`''` when none was written). */
  line(): string;
}
