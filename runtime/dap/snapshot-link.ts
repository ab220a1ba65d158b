/**
 * A snapshot file as a DAP thread (docs/dap-design.md), opened in the adapter's own process: the
 * file read by snapshot/read-snapshot.ts, its frames by SnapshotFrameSource, the session start as
 * `ts-pdb open` builds it (front-ends/open-snapshot.ts), the engine's Session and SessionView.
 * Structured requests go to the SessionView; command lines go through the engine's command loop
 * (`runSession`) on a text channel of this file's, which hands the loop one line and then pauses
 * it: the loop returns at its next prompt, and the state of that prompt is taken (value handles are
 * renewed there, as at every prompt). Runs nothing of the file: what the user types is JavaScript
 * run in this process, as with `ts-pdb open`.
 */
import type { Channel, Completer } from '../engine/channel';
import type { SessionState, ViewRequest } from '../engine/requests';
import type { Session } from '../engine/session';
import type { SessionView } from '../engine/session-view';
import { snapshotStart } from '../front-ends/open-snapshot';
import { sessionEnvironment } from '../front-ends/shared/environment';
import { readSnapshot } from '../snapshot/read-snapshot';
import type { CommandResult, LinkInfo, LinkListener, SessionLink } from './session-link';

type Engine = typeof import('../engine');

/**
 * A channel that gives the command loop the lines it is handed and pauses the loop at its next
 * prompt (`readLine` answers null there: the loop returns, as at end of input, and the link knows
 * it paused). A command's own question (quit's `y/n` at a breakpoint, `interact`'s `>>> `) gets no
 * answer, and says so: the debug console is not a terminal a command can hold.
 */
class PausingChannel implements Channel {
  readonly colors = false;
  out = '';
  /** The completer of the latest prompt (the loop's: commands, then the frame's names). */
  completer: Completer | undefined;
  private readonly lines: string[] = [];

  constructor(private readonly prompt: string) {}

  feed(line: string): void {
    this.lines.push(line);
  }

  /** The text written since the last call. */
  take(): string {
    const text = this.out;
    this.out = '';
    return text;
  }

  write(text: string): void {
    this.out += text;
  }

  error(text: string): void {
    this.out += text;
  }

  readLine(prompt: string, complete?: Completer): string | null {
    if (prompt === this.prompt) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      this.completer = complete;
      return null;
    }
    this.out += `${prompt}\n(no answer: the debug console cannot answer a command's own question)\n`;
    return null;
  }
}

/** A snapshot's session in this process. */
export class SnapshotLink implements SessionLink {
  readonly info: LinkInfo;
  readonly greeting: string;
  private current: SessionState;
  private done = false;
  private last = '';
  private listener: LinkListener | undefined;
  private readonly channel: PausingChannel;
  private readonly prompt: string;

  private constructor(
    private readonly engine: Engine,
    private readonly session: Session,
    private readonly view: SessionView,
    rank: { rank: number; source?: string; worldSize?: number },
    notice: string,
  ) {
    this.prompt = engine.promptFor(rank);
    this.channel = new PausingChannel(this.prompt);
    this.info = {
      name: `rank ${rank.rank} (snapshot)`,
      rank: rank.rank,
      live: false,
      breakpoint: session.breakpoint,
      uncaught: session.uncaught,
    };
    // The banner, and the loop paused at its first prompt.
    this.engine.runSession(this.session, this.channel, { prompt: this.prompt });
    this.greeting = notice + this.channel.take();
    this.current = this.view.state();
  }

  /**
   * Opens the snapshot at `file`.
   * @throws Error with one line (the reader's: missing, truncated, corrupt, of a newer version) when it cannot be opened.
   */
  static open(file: string): SnapshotLink {
    const read = readSnapshot(file);
    if (!read.ok) throw new Error(read.error);
    // A promise made at the prompt and rejected (`p load()` of a restored async function) is the
    // session's own business, as in ts-pdb open: it must not end the adapter.
    if (!process.listenerCount('unhandledRejection')) process.on('unhandledRejection', () => {});
    const engine = require('../engine') as Engine;
    try {
      const start = snapshotStart(read.snapshot, file, sessionEnvironment());
      const session = new engine.Session(start.source, start.options);
      return new SnapshotLink(engine, session, new engine.SessionView(session), start.rank, start.notice);
    } catch (e) {
      throw new Error(`cannot open ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  get ended(): boolean {
    return this.done;
  }

  state(): SessionState {
    return this.current;
  }

  listen(listener: LinkListener): void {
    this.listener = listener;
  }

  request(req: ViewRequest): Promise<unknown> {
    if (this.done) return Promise.reject(new Error('the session has ended'));
    try {
      const answer = this.view.request(req, this.channel.completer);
      // A request that moves the session (a frame or an error selected) gives a new state, as a prompt does.
      if (req.method === 'select' || req.method === 'exception') this.current = this.view.state();
      return Promise.resolve(answer);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  command(line: string): Promise<CommandResult> {
    if (this.done) return Promise.reject(new Error('the session has ended'));
    // An empty line repeats the last command, as at the prompt (each run of the loop starts afresh).
    if (line.trim() === '') line = this.last;
    else this.last = line;
    if (line.trim() === '') return Promise.resolve({ output: '', ended: false });
    this.channel.feed(line);
    const end = this.engine.runSession(this.session, this.channel, { prompt: this.prompt, banner: false });
    const output = this.channel.take();
    if (end === 'continue' || end === 'quit') {
      this.finish();
      return Promise.resolve({ output: output + this.session.goodbye, ended: true });
    }
    this.current = this.view.state();
    return Promise.resolve({ output, ended: false });
  }

  close(): Promise<void> {
    this.finish();
    return Promise.resolve();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    // After the answer to the request that ended it (the client hears `continue`'s answer, then that the thread exited).
    setImmediate(() => this.listener?.ended());
  }
}
