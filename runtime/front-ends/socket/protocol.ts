/**
 * Messages between the main thread (stopped in a session) and the socket worker, which owns the
 * listening socket and its one client. As in the console (console/protocol.ts), every message to the
 * main thread is followed by a wake-up on a shared counter (shared/worker-link.ts).
 *
 * Also here: the wire format between the worker and its client (below the message types), and the
 * helpers that write and read its out-of-band lines, shared by the worker and `ts-pdb attach`.
 */
import type { LinkStart } from '../shared/worker-link';

/** What the worker receives at start (`workerData`), beside its end of the link (shared/worker-link.ts). */
export interface SocketWorkerStart extends LinkStart {
  /** The Unix socket path to listen on (`IPDB_SOCK_PATH.<rank>`). */
  path: string;
  /** Where to listen instead when `path` belongs to someone else or is in use: a private folder's file. */
  fallback: string;
  /** The rank, for the messages a second client gets. */
  rank: number;
  /** How long a read waits while no client is connected, in ms (`IPDB_TIMEOUT`); undefined: for ever. */
  timeoutMs: number | undefined;
  /** TCP instead of the Unix socket (`IPDB_CONNECTION_TYPE=tcp`): where to listen (port 0: any free one). */
  tcp?: { host: string; port: number };
  /** The per-session token a TCP client must send as its first line (non-loopback binds). */
  token?: string;
  /** Said on stderr and put in the registry by the worker as soon as it listens (announce.ts); none: silent. */
  announce?: import('./announce').Announcement;
}

/** Main thread → worker. */
export type ToSocketWorker =
  /** Text for the client (kept until one connects, when none is). */
  | { type: 'write'; text: string }
  /** Answer `client` when a client is connected (at once, if one is), or `timeout` after `IPDB_TIMEOUT`. */
  | { type: 'await' }
  /** Send `prompt` and answer with the client's next line (waiting for a client if needed). */
  | { type: 'read'; prompt: string }
  /** The answer to a {@link FromSocketWorker} `complete` request (the worker sends it to the client that asked). */
  | { type: 'completion'; id: number; completions: string[]; substring: string }
  /** Say goodbye to the client, close the server, remove the socket file, answer `closed`. */
  | { type: 'close'; goodbye: string };

/** Worker → main thread. */
export type FromSocketWorker =
  /** The socket listens at `path` (mode 0600); `why` says why it is not the path asked for. */
  | { type: 'listening'; path: string; why?: string }
  /** A line the client sent (without its end of line). */
  | { type: 'line'; line: string }
  /**
   * The client asked for completions of `line` (see the wire format below). Sent only while a
   * `read` is unanswered, so the main thread is in `readLine` and answers it with `completion`.
   */
  | { type: 'complete'; id: number; line: string }
  /** A client is connected (the answer to `await`). */
  | { type: 'client' }
  /** No client connected within the timeout while the session waited for a line. */
  | { type: 'timeout' }
  /** The server is closed and its file removed. */
  | { type: 'closed' }
  /** The worker cannot serve the socket (cannot listen, or an internal fault). */
  | { type: 'fatal'; message: string };

/*
 * The wire format (client ↔ worker), plain text both ways, one line per message.
 *
 * What `nc -U` and `socat` users see is unchanged: the session's output and prompt
 * (`(rank-1-pdb) `) come out, the lines they type go in, and nothing else is ever sent to them.
 * On top of that, a client that knows (`ts-pdb attach`) may ask for tab completion out of band:
 *
 *   client → session:  "\x00complete " + JSON.stringify({ id, line }) + "\n"
 *   session → client:  "\x00completions " + JSON.stringify({ id, completions, substring }) + "\n"
 *
 * - The NUL byte at the start of a line is the mark: a person never types it by accident in a
 *   command, and JSON escapes every control character inside, so the line cannot end early. Every
 *   line a client sends that starts with NUL is taken out of the input by the worker and never
 *   delivered as a command.
 * - `id` (a number or a string; anything else makes the request malformed) comes back unchanged, so a client that gave up waiting can tell a
 *   late answer from the one it waits for; `line` is the text before the cursor.
 * - `completions` and `substring` are what readline's completer returns: each candidate replaces
 *   `substring`, the end of `line` (`{"completions":["shard"],"substring":"sha"}`).
 * - Every request gets exactly one answer. It is empty (`{"id":…,"completions":[],"substring":""}`,
 *   `id` null when it cannot be read) when the request is malformed, the line is longer than
 *   {@link MAX_COMPLETION_LINE}, or the session is not waiting for a line (a command is running):
 *   a request is never queued behind a command, so the client is not left waiting.
 * - The answer may follow a prompt on the same line (`(rank-1-pdb) \x00completions …`): a client
 *   looks for the mark anywhere in the output, not only at the start of a line.
 * - Over TCP with a token, the token is still the first line; requests come after it.
 */

/** What a second client is told before it is disconnected (the first one keeps the session). */
export function busyRefusal(rank: number): string {
  return `ts-pdb: the session of rank ${rank} is busy: another client is attached. Try again when it ends.\n`;
}

/** What a TCP client is told before it is disconnected when its first line is not the session's token. */
export const TOKEN_REFUSAL = "ts-pdb: this session needs its token as the first line (see the box on the rank's stderr)\n";

/** Either refusal, at the start of a line: a client that reads it was turned away (`ts-pdb attach` exits non-zero). */
export const REFUSAL = /^ts-pdb: (?:the session of rank \d+ is busy|this session needs its token)[^\n]*\n/m;

/** The mark that starts every out-of-band line, both ways. */
export const CONTROL = '\x00';
/** The start of a completion request (client → session). */
export const COMPLETE_REQUEST = `${CONTROL}complete `;
/** The start of a completion answer (session → client). */
export const COMPLETIONS_ANSWER = `${CONTROL}completions `;
/** Longest line completed, in characters (a longer one gets an empty answer, not a regex over megabytes). */
export const MAX_COMPLETION_LINE = 10_000;

/** A request's id as it goes back to the client: a number or a string, else null. */
export type CompletionId = number | string | null;

/** A completion request (client → session). */
export interface CompletionRequest {
  id: CompletionId;
  line: string;
}

/** A completion answer (session → client). */
export interface CompletionAnswer {
  id: CompletionId;
  completions: string[];
  substring: string;
}

/** The text of a completion request for `line`, end of line included. */
export function completionRequest(id: number | string, line: string): string {
  return `${COMPLETE_REQUEST}${JSON.stringify({ id, line })}\n`;
}

/**
 * Reads a control line (end of line removed): the request, or `{ id, line: undefined }` when it is
 * not a well-formed completion request (`id` kept when it could be read, so that the empty answer
 * still matches; null otherwise). Never throws.
 */
export function parseCompletionRequest(text: string): { id: CompletionId; line: string | undefined } {
  if (!text.startsWith(COMPLETE_REQUEST)) return { id: null, line: undefined };
  let v: unknown;
  try {
    v = JSON.parse(text.slice(COMPLETE_REQUEST.length));
  } catch {
    return { id: null, line: undefined };
  }
  if (typeof v !== 'object' || v === null) return { id: null, line: undefined };
  const o = v as { id?: unknown; line?: unknown };
  // An id that cannot go back as it came is no id: the client could not match the answer.
  if (typeof o.id !== 'number' && typeof o.id !== 'string') return { id: null, line: undefined };
  const line = typeof o.line === 'string' && o.line.length <= MAX_COMPLETION_LINE ? o.line : undefined;
  return { id: o.id, line };
}

/** The text of a completion answer, end of line included. */
export function completionAnswer(id: CompletionId, completions: string[], substring: string): string {
  return `${COMPLETIONS_ANSWER}${JSON.stringify({ id, completions, substring })}\n`;
}

/** Reads the JSON of an answer (after {@link COMPLETIONS_ANSWER}, without the end of line); undefined when malformed. Never throws. */
export function parseCompletionAnswer(json: string): CompletionAnswer | undefined {
  try {
    const v = JSON.parse(json) as { id?: unknown; completions?: unknown; substring?: unknown } | null;
    if (typeof v !== 'object' || v === null) return undefined;
    if (!Array.isArray(v.completions) || !v.completions.every((c) => typeof c === 'string') || typeof v.substring !== 'string')
      return undefined;
    const id = typeof v.id === 'number' || typeof v.id === 'string' ? v.id : null;
    return { id, completions: v.completions, substring: v.substring };
  } catch {
    return undefined;
  }
}
