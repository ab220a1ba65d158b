/**
 * Messages between the main thread (stopped in a session) and the socket worker, which owns the
 * listening socket and its one client. As in the console (console/protocol.ts), every message to the
 * main thread is followed by a wake-up on a shared counter (shared/worker-link.ts).
 *
 * Also here: the wire format between the worker and its client (below the message types: text,
 * completion, and the structured protocol a debug adapter speaks), and the helpers that write and
 * read its out-of-band lines, shared by the worker, `ts-pdb attach` and structured-client.ts.
 */
import type { SessionState } from '../../engine/requests';
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
  /** What the worker tells a client that says hello (the structured protocol, below); default: the rank alone. */
  hello?: SessionFacts;
  /**
   * The descriptor of the socket the main thread listens on already at `path` (listen-here.ts),
   * with its box printed and its entry registered: the worker adopts it, keeps the entry beating,
   * and never closes it (the main thread's handle shares it). Absent: the worker listens itself.
   */
  adopt?: number;
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
  /**
   * The state to send a structured client before the prompt of the unanswered `read` (the answer to
   * `state-wanted`, or unasked after a request that changed it: `select`, `exception`).
   */
  | { type: 'state'; state?: SessionState }
  /** The answer to a {@link FromSocketWorker} `request`: its result, or the engine's message. */
  | { type: 'answer'; id: number; result?: unknown; error?: string }
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
  /**
   * A structured client needs the session's state before the prompt of the unanswered `read`
   * (answered with `state`). Sent only while a `read` is unanswered, as `complete` and `request` are.
   */
  | { type: 'state-wanted' }
  /** A structured client's request (requests.ts's `ViewRequest`); `id` is the worker's, answered with `answer`. */
  | { type: 'request'; id: number; method: string; params: Record<string, unknown> }
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
 * On top of that, a client that knows (`ts-pdb attach`) may ask for tab completion out of band
 * (and a client that says hello gets the structured protocol, further below):
 *
 *   client → session:  "\x00complete " + JSON.stringify({ id, line }) + "\n"
 *   session → client:  "\x00completions " + JSON.stringify({ id, completions, substring }) + "\n"
 *
 * - The NUL byte at the start of a line is the mark: a person never types it by accident in a
 *   command, and JSON escapes every control character inside, so the line cannot end early. Every
 *   line a client sends that starts with NUL is taken out of the input by the worker and never
 *   delivered as a command (one that has not ended within {@link MAX_CONTROL_LINE} characters
 *   is answered at once, and the rest of it dropped).
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

/*
 * The structured protocol (issue #12, docs/dap-design.md): the data a debug adapter shows (the stack,
 * the scopes, a page of a value's children, an expression's value), the requests the web page makes
 * over its WebSocket, here over the same socket. Negotiated: a client that never says hello never
 * gets any of it, and `nc -U`, `socat` and `ts-pdb attach` see what they saw before.
 *
 *   client → rank:  "\x00hello " + JSON.stringify({ protocol: 1 }) + "\n"
 *   rank → client:  "\x00hello " + JSON.stringify({ protocol: 1, rank, pid, host, title, breakpoint }) + "\n"
 *                   or { protocol: 1, error } (a protocol it does not speak, or a malformed hello)
 *   rank → client:  "\x00state " + JSON.stringify({ prompt, state }) + "\n" + prompt
 *   client → rank:  "\x00request " + JSON.stringify({ id, method, params }) + "\n"
 *   rank → client:  "\x00answer " + JSON.stringify({ id, result }) + "\n"   or { id, error }
 *
 * - The hello comes first (over TCP with a token, after the token line). The rank answers it at
 *   once, whatever the session is doing, and then treats the client as structured until it
 *   disconnects. A hello it cannot accept gets an answer with `error` (the versions it speaks are in
 *   `protocol`), and the client stays a text client: its session goes on in text.
 * - Each time the session waits for a line, a structured client gets a state line and then the
 *   prompt as text, exactly `prompt` (a client that shows text takes it off: the prompt is in the
 *   state). When the session already waits at the hello, a state and the prompt follow the hello's
 *   answer at once; after a request that changes the state (`select`, `exception`) they come again.
 *   `state` is engine/requests.ts's `SessionState`; value handles (`ref`) of an earlier state are stale.
 * - Commands stay text lines (`p x`, `w`, `c`, `q`) and their output stays text: for a structured
 *   client, a command's output is the text between the command line and the next state line. The
 *   session ends when the rank closes the socket, after the goodbye text (no state comes then).
 * - `method` and `params` are a `ViewRequest` of engine/requests.ts (`stack`, `scopes`, `children`,
 *   `evaluate`, `complete`, `source`, `hover`, `select`, `exception`); `params` is an object (none:
 *   `{}`). `id` (a number or a string) comes back unchanged. The answer's `result` is what the
 *   engine's `SessionView` answers; `error` is its message (a frame that does not exist, an old
 *   handle, an expression that throws).
 * - Requests are answered while the session waits for a line, with the values holding still. A
 *   request while a command runs gets {@link BUSY} at once: never queued behind a command.
 * - Every control line a structured client sends gets exactly one answer line: a request that
 *   cannot be read gets an error (`id` null when it cannot be read), as does a request before the
 *   hello, one longer than {@link MAX_REQUEST_LINE}, and a control line of an unknown kind. A text
 *   client that sends a control line of an unknown kind gets an empty completion answer, as before.
 *   A control line that has not ended within {@link MAX_CONTROL_LINE} characters gets its answer
 *   (`id` null) at once, and the rest of it, up to its end of line, is dropped.
 * - Like a completion answer, a hello, state or answer line may follow a prompt on the same line.
 */

/** The version of the structured protocol this rank speaks. */
export const PROTOCOL = 1;
/** The start of a hello, both ways. */
export const HELLO = `${CONTROL}hello `;
/** The start of a state line (session → structured client). */
export const STATE = `${CONTROL}state `;
/** The start of a request (structured client → session). */
export const REQUEST = `${CONTROL}request `;
/** The start of a request's answer (session → structured client). */
export const ANSWER = `${CONTROL}answer `;
/** The error of a request that comes while a command runs (or before the session is ready). */
export const BUSY = 'busy: a command is running';
/** Longest request line, in characters (the session's own longest command line). */
export const MAX_REQUEST_LINE = 100_000;
/** Longest control line of any kind, in characters; past it a line is answered at once and the rest dropped. */
export const MAX_CONTROL_LINE = 1_000_000;

/** What a rank says of itself in its answer to a hello. */
export interface SessionFacts {
  rank: number;
  pid?: number;
  host?: string;
  /** What the session stopped on, as the box says it: the error's first line, or a breakpoint. */
  title?: string;
  /** True at a breakpoint (`c` lets the program go on), false after an error. */
  breakpoint?: boolean;
}

/** The answer to a hello: the rank's facts, or `error` when it does not speak the client's protocol. */
export interface HelloAnswer extends Partial<SessionFacts> {
  protocol: number;
  error?: string;
}

/** A request's id as it goes back to the client: a number or a string, else null. */
export type RequestId = number | string | null;

/** A request (structured client → session). */
export interface RequestMessage {
  id: number | string;
  method: string;
  params: Record<string, unknown>;
}

/** A request's answer (session → structured client): `result`, or `error`. */
export interface AnswerMessage {
  id: RequestId;
  result?: unknown;
  error?: string;
}

/** A state line's content: the state, and the prompt that follows the line. */
export interface StateMessage {
  prompt: string;
  state: SessionState;
}

/** The hello a client sends first, end of line included. */
export function helloLine(protocol: number = PROTOCOL): string {
  return `${HELLO}${JSON.stringify({ protocol })}\n`;
}

/**
 * Reads a client's hello (a control line, end of line removed): the protocol asked for, or `error`
 * saying why it cannot be accepted. Never throws.
 */
export function parseHello(text: string): { protocol: number } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text.slice(HELLO.length));
  } catch {
    return { error: `a hello is ${HELLO.slice(1)}{"protocol":${PROTOCOL}}` };
  }
  const protocol = typeof v === 'object' && v !== null ? (v as { protocol?: unknown }).protocol : undefined;
  if (protocol !== PROTOCOL)
    return { error: `protocol ${JSON.stringify(protocol) ?? 'undefined'} is not spoken here: this rank speaks protocol ${PROTOCOL}` };
  return { protocol };
}

/** The rank's answer to a hello, end of line included. */
export function helloAnswer(answer: HelloAnswer): string {
  return `${HELLO}${JSON.stringify(answer)}\n`;
}

/** The text of a request, end of line included. */
export function requestLine(id: number | string, method: string, params: Record<string, unknown> = {}): string {
  return `${REQUEST}${JSON.stringify({ id, method, params })}\n`;
}

/**
 * Reads a request line (end of line removed): the request, or `error` with the id when it could be
 * read (null otherwise). Never throws.
 */
export function parseRequest(text: string): RequestMessage | { id: RequestId; error: string } {
  const malformed = (id: RequestId, why: string): { id: RequestId; error: string } => ({
    id,
    error: `malformed request (${why}): a request is ${REQUEST.slice(1)}{"id":1,"method":"stack","params":{}}`,
  });
  let v: unknown;
  try {
    v = JSON.parse(text.slice(REQUEST.length));
  } catch {
    return malformed(null, 'not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return malformed(null, 'not an object');
  const o = v as { id?: unknown; method?: unknown; params?: unknown };
  if (typeof o.id !== 'number' && typeof o.id !== 'string') return malformed(null, 'its id is neither a number nor a string');
  if (text.length > MAX_REQUEST_LINE)
    return { id: o.id, error: `request too long (${text.length} characters; the limit is ${MAX_REQUEST_LINE})` };
  if (typeof o.method !== 'string') return malformed(o.id, 'no method');
  if (o.params !== undefined && (typeof o.params !== 'object' || o.params === null || Array.isArray(o.params)))
    return malformed(o.id, 'its params are not an object');
  return { id: o.id, method: o.method, params: (o.params ?? {}) as Record<string, unknown> };
}

/**
 * The text of a request's answer, end of line included. A result that JSON cannot carry (a cycle,
 * a BigInt) becomes an error answer: the client gets its one answer whatever happens.
 */
export function answerLine(answer: AnswerMessage): string {
  try {
    return `${ANSWER}${JSON.stringify(answer.error === undefined ? { id: answer.id, result: answer.result ?? null } : answer)}\n`;
  } catch (e) {
    return `${ANSWER}${JSON.stringify({ id: answer.id, error: `the answer cannot be sent: ${(e as Error).message}` })}\n`;
  }
}

/** The text of a state line (end of line included); the prompt follows it. */
export function stateLine(prompt: string, state: SessionState): string {
  return `${STATE}${JSON.stringify({ prompt, state } satisfies StateMessage)}\n`;
}

/** The JSON of `text` as an object, or undefined. Never throws. */
function objectOf(json: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the JSON of a hello's answer (after {@link HELLO}); undefined when malformed. Never throws. */
export function parseHelloAnswer(json: string): HelloAnswer | undefined {
  const o = objectOf(json);
  return o && typeof o.protocol === 'number' ? (o as unknown as HelloAnswer) : undefined;
}

/** Reads the JSON of an answer (after {@link ANSWER}); undefined when malformed. Never throws. */
export function parseAnswer(json: string): AnswerMessage | undefined {
  const o = objectOf(json);
  if (!o || !('result' in o || typeof o.error === 'string')) return undefined;
  const id = typeof o.id === 'number' || typeof o.id === 'string' ? o.id : null;
  return typeof o.error === 'string' ? { id, error: o.error } : { id, result: o.result };
}

/** Reads the JSON of a state line (after {@link STATE}); undefined when malformed. Never throws. */
export function parseState(json: string): StateMessage | undefined {
  const o = objectOf(json);
  if (!o || typeof o.prompt !== 'string' || typeof o.state !== 'object' || o.state === null) return undefined;
  return { prompt: o.prompt, state: o.state as SessionState };
}
