/**
 * A waiting rank as a DAP thread (docs/dap-design.md): its socket session (a Unix socket, or TCP
 * with its token) spoken to in socket mode's structured protocol through
 * front-ends/socket/structured-client.ts. The rank answers the engine's requests itself; command
 * lines are text, as a person would type them. Operations go one at a time (the rank refuses a
 * request while a command runs, and a person's commands come in order). Letting go (`close(false)`)
 * closes the socket: the rank waits for its next client with its error intact.
 */
import * as net from 'node:net';
import type { SessionState, ViewRequest } from '../engine/requests';
import type { HelloAnswer } from '../front-ends/socket/protocol';
import { connectOptions, StructuredClient } from '../front-ends/socket/structured-client';
import type { CommandResult, LinkInfo, LinkListener, SessionLink } from './session-link';

/** Longest wait for a rank's hello and first prompt, in ms. Default 15000. */
export const CONNECT_TIMEOUT_MS = 15_000;
/** Longest wait for a rank's first bytes before the hello is sent (a busy rank refuses at once). Default 50 ms. */
const FIRST_WORD_MS = 50;

/** Resolves when `socket` first says something or closes, or after `ms`. */
function firstWord(socket: net.Socket, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      socket.off('data', done);
      socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    socket.once('data', done);
    socket.once('close', done);
  });
}

/** A waiting rank's session over its socket. */
export class RankLink implements SessionLink {
  readonly info: LinkInfo;
  readonly greeting: string;
  private listener: LinkListener | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private commandRunning = false;
  private endSaid = false;

  private constructor(private readonly client: StructuredClient) {
    const facts: HelloAnswer = client.facts ?? { protocol: 1 };
    const where = [facts.pid !== undefined ? `pid ${facts.pid}` : '', facts.host ? `host ${facts.host}` : ''].filter(Boolean).join(', ');
    this.greeting = client.banner;
    this.info = {
      name: `rank ${facts.rank ?? '?'}${where ? ` (${where})` : ''}`,
      rank: facts.rank ?? -1,
      live: true,
      breakpoint: facts.breakpoint === true,
      // The banner says it (the hello does not).
      uncaught: /^Uncaught exception in /m.test(client.banner),
    };
    client.on('output', (text: string) => {
      if (!this.commandRunning) this.listener?.output(text);
    });
    client.on('end', () => this.sayEnded());
  }

  /**
   * Connects to the rank waiting at `address` (a socket path, or `host:port`) and waits for its prompt.
   * @throws Error with the reason (cannot connect, busy with another client, token refused, no answer in time).
   */
  static async open(address: string, token?: string): Promise<RankLink> {
    const socket = net.connect(connectOptions(address));
    const client = new StructuredClient(socket);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from ${address} within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    });
    try {
      await Promise.race([
        new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('error', (e) => reject(new Error(`cannot connect to ${address}: ${e.message}`)));
        }),
        timeout,
      ]);
      if (token) socket.write(`${token}\n`);
      // A rank busy with another client says so and closes at once: the hello waits for that first
      // (written into a closing socket, it would make the refusal unreadable).
      await Promise.race([firstWord(socket, FIRST_WORD_MS), timeout]);
      if (client.ended) await client.ready(); // rejects with the rank's refusal
      await Promise.race([client.hello(), timeout]);
      await Promise.race([client.ready(), timeout]);
      return new RankLink(client);
    } catch (e) {
      socket.destroy();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  get ended(): boolean {
    return this.client.ended;
  }

  state(): SessionState {
    return this.client.state!;
  }

  listen(listener: LinkListener): void {
    this.listener = listener;
    if (this.client.ended) this.sayEnded();
  }

  request(req: ViewRequest): Promise<unknown> {
    return this.next(async () => {
      try {
        return await this.client.request(req.method, req.params ?? {});
      } catch (e) {
        throw new Error(e instanceof Error ? e.message : String(e), { cause: e });
      }
    });
  }

  command(line: string): Promise<CommandResult> {
    return this.next(async () => {
      if (this.client.ended) throw new Error('the session has ended');
      this.commandRunning = true;
      try {
        const r = await this.client.command(line);
        return { output: r.output, ended: r.ended };
      } finally {
        this.commandRunning = false;
      }
    });
  }

  /**
   * Lets the rank go: without `terminate`, closes the socket (the rank waits for its next client);
   * with it, ends the session as `q` does (and answers a breakpoint's question with `y`: the
   * program ends), then waits for the rank to close.
   */
  async close(terminate: boolean): Promise<void> {
    if (this.client.ended) return;
    if (!terminate) {
      this.client.close();
      return;
    }
    const r = await this.command('q').catch(() => ({ output: '', ended: true }));
    if (!r.ended) await this.command('y').catch(() => undefined);
  }

  /** Runs `op` after the operations before it. */
  private next<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => {});
    return run;
  }

  private sayEnded(): void {
    if (this.endSaid || !this.listener) return;
    this.endSaid = true;
    // After the answer to the request that ended it, as for a snapshot.
    setImmediate(() => this.listener?.ended());
  }
}
