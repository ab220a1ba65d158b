/**
 * The session engine (pdb's bdb half): the frames of the thrown value and of its linked errors,
 * the selected frame, displays, list position, evaluation and completion, on a {@link FrameSource}
 * (frame-source.ts: a live program, or a snapshot). It never prints: the commands turn its answers
 * into text for a {@link Channel}, session-view.ts into data for a page.
 */
import { type ChainEntry, errorChain } from './error-chain';
import type { EvalMode, EvalResult } from './evaluate';
import type { Boundary, FrameSource } from './frame-source';
import type { Frame } from './frames';
import { Explained } from '../render/explained';
import { formatValue } from '../render/format';

/** Options of a {@link Session}. */
export interface SessionOptions {
  /**
   * Name of the function where the session opened, for the banner (`Exception caught in X`).
   * Default: the outermost boundary among the captured frames, else the frame selected first.
   */
  where?: string;
  /** True for an exception nobody caught (IPDB_ON_UNCAUGHT): the banner says so; default false. */
  uncaught?: boolean;
  /** True for a live session at a `breakpoint()` call: nothing was thrown, `c` lets the program go on; default false. */
  breakpoint?: boolean;
  /**
   * True when the program waits for this session at a boundary's catch that can return a value in
   * place of the error (`return expr`); default false (a report, a constructor, a build without
   * the transform, an uncaught error: nothing is left to return from).
   */
  recoverable?: boolean;
  /**
   * False when the code was built without the ts-pdb transform (the run-time `@attachOnError()`, a
   * plain `breakpoint()`): frames have no locals for that reason, and the session says so. Default true.
   */
  transformed?: boolean;
  /** Lines shown by `list`; default 11, as ipdb (the opener passes `IPDB_CONTEXT_SIZE`, `Debugger.contextSize`). */
  contextSize?: number;
  /** Lines shown around the current line when a frame is entered (banner, `up`, `down`); default 3, as ipdb. */
  entryContext?: number;
}

/** A display expression of a frame and the text its value had when last shown. */
interface DisplayEntry {
  text: string;
}

/**
 * One post-mortem session on a thrown value.
 *
 * Frames are innermost first (index 0 is where the error was raised). The session starts on the
 * innermost frame with captured locals, because that is where a user can look at something; when no
 * frame was instrumented it starts on the innermost frame with source (pdb's post_mortem starts at
 * the raise point; native and node-internal frames have nothing to show). Frames without source or
 * locals (node internals, native code, eval) are listed by `where` but skipped by `up`/`down`.
 */
export class Session {
  /** Where the frames come from. */
  readonly source: FrameSource;
  /** The value the session opened on. */
  readonly thrown: unknown;
  /**
   * True when the program is stopped in this process (a live frame source): `return`, `retry` and
   * `c` reach it. False for a snapshot: nothing runs on after the session.
   */
  readonly live: boolean;
  /** Lines shown by `list`. */
  readonly contextSize: number;
  /** Lines shown when a frame is entered. */
  readonly entryContext: number;
  /** Command names offered by completion at the start of a line (set by the command layer). */
  get commandNames(): readonly string[] {
    return this.namesOf();
  }
  set commandNames(names: readonly string[]) {
    this.namesOf = () => names;
  }
  /** Last line listed by `list`, so that a bare `list` continues (reset when the frame changes). */
  listedTo: number | undefined;

  /** Where {@link commandNames} come from: the command layer's table, which loads on first use (commandNamesFrom). */
  private namesOf: () => readonly string[] = () => [];
  private chainCache: ChainEntry[] | undefined;
  private exceptionIdx = 0;
  private frameSets = new Map<number, Frame[]>();
  private idx = 0;
  private readonly displays = new WeakMap<Frame | Session, Map<string, DisplayEntry>>();
  private readonly whereOption: string | undefined;
  /** True for an exception nobody caught. */
  readonly uncaught: boolean;
  /** True for a live session at a `breakpoint()` call. */
  readonly breakpoint: boolean;
  /** True when `return expr` can make the boundary return (see {@link SessionOptions.recoverable}). */
  readonly recoverable: boolean;
  /** False for a build without the transform (see {@link SessionOptions.transformed}). */
  readonly transformed: boolean;
  /** Set by `return expr`: the value the boundary function returns instead of throwing. */
  returning: { value: unknown } | undefined;
  /** Set by a confirmed `q` at a breakpoint: the program ends when the session does. */
  endProgram = false;
  /** Set by `retry`: the boundary runs its body again. */
  retrying = false;

  /**
   * @param source the frames (live-source.ts for a value thrown in this process).
   * @param options how the session opened (see {@link SessionOptions}).
   */
  constructor(source: FrameSource, options: SessionOptions = {}) {
    this.source = source;
    this.thrown = source.thrown;
    this.live = source.kind === 'live';
    this.contextSize = options.contextSize ?? 11;
    this.entryContext = options.entryContext ?? 3;
    this.whereOption = options.where;
    this.uncaught = options.uncaught === true;
    this.breakpoint = options.breakpoint === true;
    // A snapshot has no program to return to.
    this.recoverable = options.recoverable === true && this.live;
    this.transformed = options.transformed !== false;
    this.frameSets.set(0, source.framesOf(source.thrown));
    this.idx = initialIndex(this.frames);
  }

  /** The frames of the selected exception, innermost first. */
  get frames(): Frame[] {
    return this.frameSets.get(this.exceptionIdx)!;
  }

  /** Index of the selected frame in {@link frames}. */
  get index(): number {
    return this.idx;
  }

  /** The selected frame; undefined only when there are no frames at all. */
  get frame(): Frame | undefined {
    return this.frames[this.idx];
  }

  /** The banner's first line: `Exception caught in X`, or `Uncaught exception in X`. */
  get headline(): string {
    if (this.breakpoint) return `Breakpoint in ${this.where}`;
    return `${this.uncaught ? 'Uncaught exception in' : 'Exception caught in'} ${this.where}`;
  }

  /**
   * What a client is told when the session ends (socket and web modes; a console user saw the
   * command's own words): how the program goes on (a snapshot: only that the session ended).
   */
  get goodbye(): string {
    if (!this.live) return 'ts-pdb: session ended.\n';
    const how = this.returning
      ? `${this.where} returns the value instead of throwing, the program goes on`
      : this.retrying
        ? `${this.where} runs again (retry)`
        : this.endProgram
          ? 'the program ends'
          : this.breakpoint
            ? 'the program goes on'
            : 'the error goes on in the program';
    return `ts-pdb: session ended; ${how}.\n`;
  }

  /** The debug boundary where the session opened (the frame source knows it), if any. */
  get boundary(): Boundary | undefined {
    try {
      return this.source.boundary();
    } catch {
      return undefined;
    }
  }

  /** Where the session opened, for the banner. */
  get where(): string {
    if (this.whereOption) return this.whereOption;
    return this.boundary?.name ?? this.frame?.name ?? '<unknown>';
  }

  /** Selects frame `i` (any frame, even one `up`/`down` would skip). */
  select(i: number): void {
    if (i < 0 || i >= this.frames.length || i === this.idx) return;
    this.idx = i;
    this.listedTo = undefined;
  }

  /** Moves `count` selectable frames toward the caller; an error message (`Oldest frame`) when it cannot move. */
  up(count = 1): string | undefined {
    return this.move(count);
  }

  /** Moves `count` selectable frames toward the raise point; an error message (`Newest frame`) when it cannot move. */
  down(count = 1): string | undefined {
    return this.move(-count);
  }

  private move(delta: number): string | undefined {
    const selectable = this.frames.map((f, i) => (f.selectable ? i : -1)).filter((i) => i >= 0);
    if (selectable.length === 0) return 'No frame with source or locals';
    // Frames are innermost first: "up" (toward the caller) is toward higher indices.
    const ahead = delta > 0 ? selectable.filter((i) => i > this.idx) : selectable.filter((i) => i < this.idx).reverse();
    if (ahead.length === 0) return delta > 0 ? 'Oldest frame' : 'Newest frame';
    if (delta === 0) return undefined;
    this.select(ahead[Math.min(ahead.length, Math.abs(delta)) - 1]);
    return undefined;
  }

  /** The thrown value and the errors linked to it (`cause`, `errors`, `suppressed`), thrown value first. */
  get chain(): ChainEntry[] {
    return (this.chainCache ??= errorChain(this.thrown));
  }

  /** Index in {@link chain} of the exception whose frames are shown. */
  get exceptionIndex(): number {
    return this.exceptionIdx;
  }

  /** The exception whose frames are shown. */
  get exception(): unknown {
    return this.chain[this.exceptionIdx]?.value ?? this.thrown;
  }

  /** Shows the frames of exception `n` of the chain; an error message when `n` is out of range. */
  selectException(n: number): string | undefined {
    if (!Number.isInteger(n) || n < 0 || n >= this.chain.length) return `No exception with that number`;
    if (n === this.exceptionIdx) return undefined;
    this.exceptionIdx = n;
    if (!this.frameSets.has(n)) this.frameSets.set(n, this.source.framesOf(this.chain[n].value));
    this.idx = initialIndex(this.frames);
    this.listedTo = undefined;
    return undefined;
  }

  /** Evaluates user input in the selected frame (or frame `at`, without selecting it). Never throws. */
  evaluate(code: string, mode: EvalMode = 'auto', at?: number): EvalResult {
    const f = at === undefined ? this.frame : this.frames[at];
    const reason = f ? this.noLocalsReason(f) : undefined;
    // Loaded on the first evaluation (vm, the scope's bindings): the first prompt needs none of it.
    const { evaluate } = require('./evaluate') as typeof import('./evaluate');
    return evaluate(f, code, mode, f && reason ? { name: f.name, reason } : undefined);
  }

  /**
   * Why `frame` has no captured locals, in a few words (`the session opened before the error left
   * it`); undefined when it has a record (whose locals may still be none).
   */
  noLocalsReason(frame: Frame): string | undefined {
    if (frame.instrumented) return undefined;
    if (!this.transformed) return 'this code was built without the ts-pdb transformer';
    // An instrumented function further out: its locals are captured when the error leaves it.
    if (frame.capturedLater)
      return this.breakpoint ? 'a breakpoint has the locals of its own function only' : 'the session opened before the error left it';
    return 'this frame was not instrumented';
  }

  /**
   * The compiled files of the frames that have no source map (`sourceMap` off), each with the
   * original it was built from: those frames are located in the JavaScript.
   */
  get unmapped(): Array<{ compiled: string; original: string }> {
    const out: Array<{ compiled: string; original: string }> = [];
    for (const f of this.frames) {
      if (f.unmappedFrom && f.file && !out.some((u) => u.compiled === f.file)) out.push({ compiled: f.file, original: f.unmappedFrom });
    }
    return out;
  }

  /** readline-style completion of `line` in the selected frame; command names too at the start unless `withCommands` is false. */
  complete(line: string, withCommands = true): [string[], string] {
    // Loaded on the first Tab: the first prompt does not need it.
    const { completeLine } = require('./completion') as typeof import('./completion');
    return completeLine(line, this.frame, withCommands ? this.commandNames : []);
  }

  /**
   * Takes {@link commandNames} from `names`, asked at each completion rather than now: the command
   * layer's table loads on first use (a line or a Tab), not before the first prompt.
   */
  commandNamesFrom(names: () => readonly string[]): void {
    this.namesOf = names;
  }

  /** Adds a display expression to the selected frame; returns its current text. */
  addDisplay(expr: string): string {
    const text = this.displayText(expr);
    this.displayMap(true)!.set(expr, { text });
    return text;
  }

  /** Removes one display expression (all when `expr` is undefined); false when it was not displayed. */
  removeDisplay(expr?: string): boolean {
    const map = this.displayMap(false);
    if (expr === undefined) {
      map?.clear();
      return true;
    }
    return !!map?.delete(expr);
  }

  /** The display expressions of the selected frame with their current text. */
  listDisplays(): Array<{ expr: string; text: string }> {
    return [...(this.displayMap(false) ?? new Map<string, DisplayEntry>()).keys()].map((expr) => ({ expr, text: this.displayText(expr) }));
  }

  /** Display expressions of the selected frame whose value changed since last shown (pdb checks before each prompt). */
  changedDisplays(): Array<{ expr: string; text: string; old: string }> {
    const out: Array<{ expr: string; text: string; old: string }> = [];
    for (const [expr, entry] of this.displayMap(false) ?? []) {
      const text = this.displayText(expr);
      if (text !== entry.text) {
        out.push({ expr, text, old: entry.text });
        entry.text = text;
      }
    }
    return out;
  }

  private displayText(expr: string): string {
    const r = this.evaluate(expr, 'expression');
    return r.ok ? formatValue(r.value) : `** raised ${describeError(r.error)} **`;
  }

  private displayMap(create: boolean): Map<string, DisplayEntry> | undefined {
    // No frame at all (`throw 5` from code without a stack): the displays belong to the session.
    const f = this.frame ?? this;
    let m = this.displays.get(f);
    if (!m && create) this.displays.set(f, (m = new Map<string, DisplayEntry>()));
    return m;
  }
}

function describeError(e: unknown): string {
  try {
    if (e instanceof Explained) return e.message;
    if (e instanceof Error) return `${e.name}: ${e.message}`;
  } catch {
    /* fall through */
  }
  return formatValue(e);
}

/** The innermost instrumented frame, else the innermost selectable one, else 0. */
function initialIndex(frames: Frame[]): number {
  const inst = frames.findIndex((f) => f.instrumented);
  if (inst >= 0) return inst;
  const sel = frames.findIndex((f) => f.selectable);
  return sel >= 0 ? sel : 0;
}
