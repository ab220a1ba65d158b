/**
 * A client of a waiting rank's structured protocol (the wire format in protocol.ts): for the debug
 * adapter (runtime/dap/) and any tool that wants the session as data rather than text. It speaks
 * to the rank over the same socket `nc -U` uses (a Unix socket, or TCP with the token first), says
 * hello, and then offers the engine's requests (engine/requests.ts) as promises and a command line
 * as its text output.
 *
 *   const client = await StructuredClient.connect('/tmp/pdb.sock.1');
 *   client.state.frames;                                   // the stack at the prompt
 *   const scopes = await client.request('scopes', {});    // the selected frame's variables
 *   const { output, state } = await client.command('p x'); // a command's text, and the next state
 *   await client.command('c');                             // ended: true; the rank goes on
 *
 * Touches nothing but its socket; loaded only by those who use it (never by a rank).
 */
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import type { SessionState, ViewRequest } from '../../engine/requests';
import {
  ANSWER,
  CONTROL,
  COMPLETIONS_ANSWER,
  HELLO,
  helloLine,
  parseAnswer,
  parseHelloAnswer,
  parseState,
  REFUSAL,
  requestLine,
  STATE,
  type HelloAnswer,
} from './protocol';

/** Options of {@link StructuredClient.connect}. */
export interface StructuredClientOptions {
  /** The session's token, sent as the first line (TCP sessions that need one); default none. */
  token?: string;
  /** Longest wait for the hello's answer and the first state, in ms; default 15000. */
  timeoutMs?: number;
  /** Longest control line kept while it arrives, in characters (a source answer can be large); default 64 Mi. */
  maxLine?: number;
}

/** What a command line led to: its text output, and the state at the next prompt (none when the session ended). */
export interface CommandResult {
  /** The text the session wrote for the command (the prompt not included). */
  output: string;
  /** The state at the next prompt; undefined when the session ended. */
  state?: SessionState;
  /** True when the session ended (`c`, `q`, `return`, ...): the socket is closed, the rank goes on. */
  ended: boolean;
}

/** A request's method (engine/requests.ts's `ViewRequest`). */
export type RequestMethod = ViewRequest['method'];

/** A request the rank refused: its message is the engine's (or `busy: ...`). */
export class RequestError extends Error {
  constructor(
    message: string,
    /** The method refused. */
    readonly method: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** `host:port` (`[::1]:4445`) as net.connect's options; anything else is a socket path. */
export function connectOptions(address: string): net.NetConnectOpts {
  const m = /^\[?([^\]/]*?)\]?:(\d+)$/.exec(address);
  return m && !address.includes('/') ? { host: m[1], port: Number(m[2]) } : { path: address };
}

/** The verbs of the lines a rank sends out of band. */
const VERBS = [HELLO, STATE, ANSWER, COMPLETIONS_ANSWER];

/** The token question a TCP session with a token asks every client (the client sent it already). */
const TOKEN_QUESTION = /^ts-pdb: token\? .*\n/m;

/**
 * A structured client of one rank's session. Events: `output` (text the session wrote, prompts
 * taken off), `state` (a new {@link SessionState}: the session waits for a line), `end` (the
 * connection closed: the session ended, or the rank turned the client away).
 */
export class StructuredClient extends EventEmitter {
  /** The rank's answer to the hello (rank, pid, host, title, breakpoint); undefined until it came. */
  facts: HelloAnswer | undefined;
  /** The latest state; undefined before the first one. Its value handles are valid until the next. */
  state: SessionState | undefined;
  /** The session's prompt, as the latest state gave it. */
  prompt: string | undefined;
  /** What the session said before its first state (the banner, the notice), prompt taken off. */
  banner = '';
  /** True once the connection closed. */
  ended = false;

  /** The start of a control line whose end is on its way, in pieces (a big answer comes in many chunks). */
  private held: string[] = [];
  private heldLength = 0;
  /** True when the held text starts with a whole verb: until an end of line, every chunk is the line's. */
  private heldVerb = false;
  /** What is left of the prompt that follows a state line (taken off the text as it arrives). */
  private promptLeft = '';
  /** All text that came before the first state (for the banner and a refusal's message). */
  private early = '';
  private lastId = 0;
  private readonly pending = new Map<number, { method: string; resolve(v: unknown): void; reject(e: Error): void }>();
  /** The command running: its output so far and its promise's resolve. */
  private running: { output: string; resolve(r: CommandResult): void } | undefined;
  /** Commands wait for the one before them (one at a time, as a person types them). */
  private queue: Promise<unknown> = Promise.resolve();
  private helloSent: Promise<HelloAnswer> | undefined;
  private readonly maxLine: number;

  /**
   * Wraps a socket (connected or connecting) to a rank's session; call {@link hello} next.
   * {@link StructuredClient.connect} does both and waits for the first state.
   */
  constructor(
    readonly socket: net.Socket,
    options: Pick<StructuredClientOptions, 'maxLine'> = {},
  ) {
    super();
    this.maxLine = options.maxLine ?? 64 * 1024 * 1024;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.received(chunk));
    socket.on('error', () => {}); // 'close' follows, and says it
    socket.on('close', () => this.closed());
  }

  /**
   * Connects to a waiting rank at `address` (a socket path, or `host:port`), sends the token when
   * given, says hello, and resolves once the session waits for a line (its first state came).
   * @throws Error with the reason (cannot connect, turned away: busy or token refused, a protocol
   *   the rank does not speak, no answer within `timeoutMs`); the socket is then closed.
   */
  static async connect(address: string, options: StructuredClientOptions = {}): Promise<StructuredClient> {
    const socket = net.connect(connectOptions(address));
    const client = new StructuredClient(socket, options);
    const timeoutMs = options.timeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', (e) => reject(new Error(`cannot connect to ${address}: ${e.message}`)));
      });
      if (options.token) socket.write(`${options.token}\n`);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer from ${address} within ${timeoutMs} ms; seen: ${JSON.stringify(client.early.slice(-300))}`)),
          timeoutMs,
        );
      });
      await Promise.race([client.hello(), timeout]);
      await Promise.race([client.ready(), timeout]);
      return client;
    } catch (e) {
      socket.destroy();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Says hello (once: later calls return the same promise).
   * @returns the rank's facts.
   * @throws Error when the rank does not speak the protocol, turned the client away, or closed first.
   */
  hello(): Promise<HelloAnswer> {
    this.helloSent ??= new Promise<HelloAnswer>((resolve, reject) => {
      const onHello = (a: HelloAnswer): void => {
        this.off('end', onEnd);
        if (a.error) reject(new Error(`the rank refused the structured protocol: ${a.error}`));
        else resolve(a);
      };
      const onEnd = (): void => {
        this.off('hello', onHello);
        reject(new Error(this.refusal() ?? 'the session closed the connection before answering the hello'));
      };
      this.once('hello', onHello);
      this.once('end', onEnd);
      if (!this.ended) this.socket.write(helloLine());
    });
    return this.helloSent;
  }

  /** Resolves with the state once the session waits for a line (at once when it does); rejects when the connection closes first. */
  ready(): Promise<SessionState> {
    if (this.ended) return Promise.reject(new Error(this.refusal() ?? 'the session ended'));
    if (this.state && !this.running) return Promise.resolve(this.state);
    return new Promise((resolve, reject) => {
      const onState = (s: SessionState): void => {
        this.off('end', onEnd);
        resolve(s);
      };
      const onEnd = (): void => {
        this.off('state', onState);
        reject(new Error(this.refusal() ?? 'the session ended'));
      };
      this.once('state', onState);
      this.once('end', onEnd);
    });
  }

  /**
   * Asks the session (engine/requests.ts: `stack`, `scopes`, `children`, `evaluate`, `complete`,
   * `source`, `hover`, `select`, `exception`). Answered while the session waits for a line.
   * @throws RequestError with the rank's message (a frame that does not exist, an old handle, an
   *   expression that throws, `busy: ...` while a command runs); Error when the session ended.
   */
  request<T = unknown>(method: RequestMethod, params: Record<string, unknown> = {}): Promise<T> {
    if (this.ended) return Promise.reject(new Error('the session ended'));
    const id = ++this.lastId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: (v) => resolve(v as T), reject });
      this.socket.write(requestLine(id, method, params));
    });
  }

  /**
   * Runs a command line (`p x`, `w`, `u`, `c`, `q`, `return 0`), after the commands before it.
   * @returns its text output and the state at the next prompt, or `ended` when the session ended.
   * @throws Error when `line` is not one line.
   */
  command(line: string): Promise<CommandResult> {
    if (/[\n\r]/.test(line) || line.startsWith(CONTROL)) return Promise.reject(new Error('a command is one line of text'));
    const run = this.queue.then(
      () =>
        new Promise<CommandResult>((resolve) => {
          if (this.ended) {
            resolve({ output: '', ended: true });
            return;
          }
          this.running = { output: '', resolve };
          this.socket.write(`${line}\n`);
        }),
    );
    this.queue = run.catch(() => {});
    return run;
  }

  /** Leaves the session: the rank waits for its next client (as closing `nc` does). */
  close(): void {
    this.socket.end();
  }

  /** The refusal the rank gave before any state (busy, token), if it gave one. */
  private refusal(): string | undefined {
    return REFUSAL.exec(this.early)?.[0].trim();
  }

  /** Splits what arrives into text and control lines; a control line cut between chunks is held until its end. */
  private received(chunk: string): void {
    // The rest of a long control line: kept, not scanned again with each chunk.
    if (this.heldVerb && !chunk.includes('\n') && this.heldLength + chunk.length < this.maxLine) {
      this.held.push(chunk);
      this.heldLength += chunk.length;
      return;
    }
    let text = this.held.join('') + chunk;
    this.held = [];
    this.heldLength = 0;
    this.heldVerb = false;
    for (;;) {
      const at = text.indexOf(CONTROL);
      if (at < 0) break;
      const nl = text.indexOf('\n', at);
      const rest = text.slice(at, nl < 0 ? undefined : nl);
      const verb = VERBS.find((v) => rest.startsWith(v));
      if (verb && nl >= 0) {
        this.text(text.slice(0, at));
        this.control(verb, text.slice(at + verb.length, nl));
        text = text.slice(nl + 1);
        continue;
      }
      // The start of a control line whose end is on its way (or that may still become one).
      if (nl < 0 && rest.length < this.maxLine && (verb !== undefined || VERBS.some((v) => v.startsWith(rest)))) {
        this.held = [rest];
        this.heldLength = rest.length;
        this.heldVerb = verb !== undefined;
        text = text.slice(0, at);
        break;
      }
      // A NUL in the session's text (or a line too long to be ours): text.
      this.text(text.slice(0, at + 1));
      text = text.slice(at + 1);
    }
    this.text(text);
  }

  private text(text: string): void {
    if (!text) return;
    if (this.promptLeft) {
      // The prompt after a state line: taken off (the state has it).
      const n = Math.min(this.promptLeft.length, text.length);
      if (text.slice(0, n) === this.promptLeft.slice(0, n)) {
        this.promptLeft = this.promptLeft.slice(n);
        text = text.slice(n);
        if (!text) return;
      } else this.promptLeft = '';
    }
    if (!this.state) {
      this.early += text;
      return;
    }
    if (this.running) this.running.output += text;
    this.emit('output', text);
  }

  private control(verb: string, json: string): void {
    if (verb === HELLO) {
      const a = parseHelloAnswer(json);
      if (a) {
        if (!a.error) this.facts = a;
        this.emit('hello', a);
      }
    } else if (verb === STATE) {
      const m = parseState(json);
      if (!m) return;
      const first = !this.state;
      this.state = m.state;
      this.prompt = m.prompt;
      this.promptLeft = m.prompt;
      if (first) {
        // What came before: the banner, the token question, the prompt sent before the hello.
        let early = this.early.replace(TOKEN_QUESTION, '');
        if (early.endsWith(m.prompt)) early = early.slice(0, -m.prompt.length);
        this.banner = early;
      }
      const r = this.running;
      this.running = undefined;
      this.emit('state', m.state);
      r?.resolve({ output: r.output, state: m.state, ended: false });
    } else if (verb === ANSWER) {
      const a = parseAnswer(json);
      if (!a || typeof a.id !== 'number') return;
      const p = this.pending.get(a.id);
      if (!p) return;
      this.pending.delete(a.id);
      if (a.error !== undefined) p.reject(new RequestError(a.error, p.method));
      else p.resolve(a.result);
    }
    // Completion answers: this client asks with `complete` requests instead; none are expected.
  }

  private closed(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.heldLength) this.text(this.held.join(''));
    this.held = [];
    this.heldLength = 0;
    for (const p of this.pending.values()) p.reject(new Error('the session ended before answering'));
    this.pending.clear();
    const r = this.running;
    this.running = undefined;
    r?.resolve({ output: r.output, ended: true });
    this.emit('end');
  }
}
