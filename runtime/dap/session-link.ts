/**
 * What the adapter (adapter.ts) sees of one session, whatever serves it: a snapshot opened in the
 * adapter's own process (snapshot-link.ts) or a waiting rank over its socket (rank-link.ts). Each
 * link is one DAP thread. The adapter never formats a value itself: it shows the engine's value
 * nodes and text (engine/requests.ts), as the web page does.
 *
 * Types only: the adapter loads no link until an attach asks for one.
 */
import type { SessionState, ViewRequest } from '../engine/requests';

/** Who the session is, for the thread's name and the `stopped` event. */
export interface LinkInfo {
  /** The thread's name: `rank 1 (pid 4242, host h)`, `rank 2 (snapshot)`. */
  name: string;
  rank: number;
  /** True for a running program (a rank); false for a snapshot (nothing runs on after it). */
  live: boolean;
  /** True for a session at a `breakpoint()` call: nothing was thrown. */
  breakpoint: boolean;
  /** True for an exception nobody caught. */
  uncaught: boolean;
}

/** What a session command gave: its text, and whether it ended the session (`c`, `q`, `retry`). */
export interface CommandResult {
  output: string;
  ended: boolean;
}

/** What a link tells the adapter on its own (not as an answer). */
export interface LinkListener {
  /** Text the session said outside of a command (a goodbye, what a rank wrote while nobody asked). */
  output(text: string): void;
  /** The session ended (a command, the rank's timeout, its socket closed). Said once. */
  ended(): void;
}

/** One session, as the adapter drives it. Operations are queued: one runs at a time. */
export interface SessionLink {
  readonly info: LinkInfo;
  /** What the session said before its first prompt (the notice and the banner). */
  readonly greeting: string;
  /** True once the session ended. */
  readonly ended: boolean;
  /** The state at the latest prompt (its `version` grows at each one; value handles live until the next). */
  state(): SessionState;
  /**
   * Answers a structured request while the session waits at its prompt.
   * @throws Error (a rejected promise) with the engine's message (a frame that does not exist, an old handle, an expression that throws), or when the session ended.
   */
  request(req: ViewRequest): Promise<unknown>;
  /** Runs a session command line (`w`, `p x`, `!x = 1`, `c`) to the next prompt or to the session's end. */
  command(line: string): Promise<CommandResult>;
  /**
   * Ends the link. `terminate` false: the adapter lets go (a rank keeps waiting for its next
   * client, with its error intact); true: the session is ended as `q` ends it.
   */
  close(terminate: boolean): Promise<void>;
  /** Where the link says what happens on its own; set once by the adapter. */
  listen(listener: LinkListener): void;
}
