/**
 * The JSON the web page and the web worker exchange over the WebSocket (`/ws`). Every message is
 * one JSON object with a `type`. The page (assets/*.js) is plain JavaScript: these types are its
 * contract. The data it shows (states, frames, scopes, value nodes, source) are the engine's
 * structured answers (engine/requests.ts), sent as they are.
 */
import type { SessionState } from '../../engine/requests';

export type { FrameView, HoverAnswer, ScopeView, SessionState, SourceAnswer } from '../../engine/requests';

/** A line of the transcript (the console's output so far, kept by the worker for pages that connect later). */
export interface TranscriptEntry {
  /** `out` output, `err` an error line (`*** ...`), `in` a command with its prompt. */
  kind: 'out' | 'err' | 'in';
  text: string;
}

/** Who a page is: the one that types, or one that watches. */
export type Role = 'control' | 'watch';

/** Worker → page. */
export type ToPage =
  /** First message on a connection: everything to draw the page. `prompt` is set while the session waits for a line. */
  | {
      type: 'hello';
      role: Role;
      rank: number;
      pid: number;
      title: string;
      transcript: TranscriptEntry[];
      state?: SessionState;
      prompt?: string;
      ended?: string;
      why?: string;
      /** A snapshot's page (`ts-pdb open --web`): whose snapshot it is and when it was taken. */
      snapshot?: string;
    }
  /** Session output. */
  | { type: 'output'; kind: 'out' | 'err'; text: string }
  /** A command the controlling page sent (every page shows it): the session is busy until the next `prompt`. */
  | { type: 'input'; prompt: string; line: string }
  /** The session waits for a line. */
  | { type: 'prompt'; prompt: string }
  /** The session's state changed (a command ran, a frame was selected). */
  | { type: 'state'; state: SessionState }
  /** The answer to a request, or why there is none. */
  | { type: 'answer'; id: number; result?: unknown; error?: string }
  /** This page's role changed, and why. */
  | { type: 'role'; role: Role; why: string }
  /** Something the page should say (a command while busy, a watcher that typed). */
  | { type: 'notice'; text: string }
  /** The session ended: the error goes on in the program. */
  | { type: 'ended'; text: string };

/** Page → worker. */
export type FromPage =
  /** A command line (only the controlling page; only while the session waits for a line). */
  | { type: 'command'; line: string }
  /**
   * A request answered by the main thread at its prompt: `children` `{ref, from?, to?}`, `source`
   * `{frame}`, `complete` `{line}`, `hover` `{frame, line, col, path}` (any page); `select` `{frame}`,
   * `exception` `{index}` (the controlling page).
   */
  | { type: 'request'; id: number; method: string; params: Record<string, unknown> }
  /** A watching page takes control; the page that had it watches. */
  | { type: 'take-control' };
