/**
 * Tab completion on a readline interface as a terminal user expects it (GNU readline, bash, pdb),
 * for both terminal clients: the console's terminal worker and `ts-pdb attach`. Candidates come
 * from elsewhere (the stopped main thread, or the session over its socket), asynchronously.
 *
 * - Tab inserts what all candidates share; a second Tab in a row, when there is nothing to insert,
 *   lists them: in columns sized to the terminal, sorted down then across (completion-columns.ts),
 *   below the line being typed, then the prompt and the line again with the cursor where it was.
 *   Node's readline would list them itself, but across then down, with a blank line after, and
 *   below the cursor's row rather than the line's last one (a wrapped line loses list rows).
 * - Keys that arrive in one read are taken by readline as pasted text, in which a Tab is a
 *   character: `p err` + Tab + Tab typed fast (or sent by `tmux send-keys`, or read at once after
 *   the pause of a completion's round trip) became `p err<TAB>` completed as an empty word: every
 *   global. Each read is split after every Tab, so that each Tab is a key, as in GNU readline (bash,
 *   pdb), and what follows it reaches readline only once its completion is done (readline pauses
 *   its input while it waits). The price, GNU readline's too: a Tab inside pasted text completes.
 *   Reads are split after each end of line too: a client that pauses its input at each line (the
 *   console, while the main thread runs it) gets the next line at its next prompt, not while the
 *   command runs (two pasted commands: the second was echoed into the first one's output, and lost).
 * - An answer is applied only to the line it was asked for: when the line changed while the answer
 *   was on its way (something redrew and let keys through), it is dropped.
 *
 * It touches only the readline interface and the streams it is given.
 */
import type { Interface } from 'node:readline';
import { completionColumns } from './completion-columns';

/** Candidates and the end of the line they replace, as a readline completer answers. */
export type CompletionResult = [string[], string];

/** Asks for the completions of `line` (the text before the cursor); `answer` must be called once. */
export type AskCompletions = (line: string, answer: (result: CompletionResult) => void) => void;

/** The parts of readline's interface used here that its typings leave out (present on Node 20 to 24). */
interface ReadlineState {
  line: string;
  cursor: number;
  /** Rows between the prompt's first row and the cursor at the last redraw; readline moves up that many to redraw. */
  prevRows?: number;
  getCursorPos(): { rows: number; cols: number };
}

/** The input stream: readline's keypress events come from it. */
type KeyInput = NodeJS.ReadableStream & {
  prependListener(event: 'keypress', listener: (s: string | undefined, key: { name?: string } | undefined) => void): unknown;
  readableFlowing: boolean | null;
  unshift(chunk: Buffer | string): void;
};

/** The output stream: the terminal's width decides the columns. */
type ListOutput = NodeJS.WritableStream & { columns?: number };

/** What {@link tabCompletion} gives its caller. */
export interface TabCompletion {
  /** The completer for `readline.createInterface` (callback style: readline pauses input until it is called back). */
  completer: (line: string, callback: (err: null, result: CompletionResult) => void) => void;
  /** The interface the completer serves (created with it, so told afterwards; again for each new one). */
  use(rl: Interface): void;
  /** True while a Tab waits for its answer. */
  readonly waiting: boolean;
  /** Runs `fn` now, or right after the answer to the Tab that is waiting (a redraw then would let keys through too early). */
  afterCompletion(fn: () => void): void;
}

const SPLIT = Symbol('ts-pdb key reads split');

/**
 * Makes every Tab and every end of line of a read the last key of a read of its own, and what follows
 * reach readline only once readline takes input again (see the header). Idempotent; the stream's
 * `emit` is wrapped, since readline's keypress decoder listens to its `data` events.
 */
export function splitKeyReads(input: KeyInput): void {
  const marked = input as KeyInput & { [SPLIT]?: true };
  if (marked[SPLIT]) return;
  marked[SPLIT] = true;
  const emit = input.emit;
  input.emit = function (this: KeyInput, event: string | symbol, ...args: unknown[]): boolean {
    const chunk = args[0];
    if (event !== 'data' || (typeof chunk !== 'string' && !Buffer.isBuffer(chunk))) return emit.call(this, event, ...args);
    const pieces = splitKeys(chunk);
    for (let i = 0; i < pieces.length; i++) {
      emit.call(this, 'data', pieces[i]);
      // Readline paused (a Tab's completion is under way, or the line went to be run): the rest
      // waits for it, as keys typed meanwhile would.
      if (i + 1 < pieces.length && this.readableFlowing === false) {
        this.unshift(typeof chunk === 'string' ? pieces.slice(i + 1).join('') : Buffer.concat(pieces.slice(i + 1) as Buffer[]));
        break;
      }
    }
    return true;
  } as typeof input.emit;
}

/**
 * `p err⇥⇥o⇥` → [`p err⇥`, `⇥`, `o⇥`]; `p a⏎p b⏎` → [`p a⏎`, `p b⏎`]: a piece ends after each Tab,
 * CR (with the LF that follows it: one Enter) or LF. None of those bytes is ever inside a UTF-8
 * sequence or an escape sequence.
 */
export function splitKeys<T extends string | Buffer>(chunk: T): T[] {
  const at = (i: number): number => (typeof chunk === 'string' ? chunk.charCodeAt(i) : chunk[i]);
  const pieces: T[] = [];
  let from = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = at(i);
    if (c !== 9 && c !== 10 && c !== 13) continue;
    if (c === 13 && i + 1 < chunk.length && at(i + 1) === 10) i++;
    pieces.push(chunk.slice(from, i + 1) as T);
    from = i + 1;
  }
  if (from === 0 || (pieces.length === 1 && from === chunk.length)) return [chunk];
  if (from < chunk.length) pieces.push(chunk.slice(from) as T);
  return pieces;
}

/** The longest start all `words` share. */
function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0];
  for (const w of words) {
    let i = 0;
    while (i < prefix.length && i < w.length && prefix[i] === w[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/**
 * Tab completion for readline interfaces reading `input` and writing `output`, with candidates from `ask`.
 * Splits the reads of `input` after each Tab and end of line ({@link splitKeyReads}).
 */
export function tabCompletion(input: KeyInput, output: ListOutput, ask: AskCompletions): TabCompletion {
  let rl: (Interface & ReadlineState) | undefined;
  let closed = false;
  let waiting = false;
  let later: Array<() => void> = [];
  /** The names of the last two keys: readline lists only on a Tab that follows a Tab. */
  let previousKey: string | undefined;
  let currentKey: string | undefined;
  let tracking = false;

  splitKeyReads(input);

  const runLater = (): void => {
    const fns = later;
    later = [];
    for (const fn of fns) fn();
  };

  /** Lists `candidates` below the whole line being typed, then draws the prompt and the line again. */
  const list = (r: Interface & ReadlineState, candidates: string[]): void => {
    const cursor = r.cursor;
    const here = r.getCursorPos();
    r.cursor = r.line.length;
    const end = r.getCursorPos();
    r.cursor = cursor;
    const down = end.rows - here.rows;
    const rows = completionColumns(candidates, output.columns);
    output.write(`${down > 0 ? `\x1b[${down}B` : ''}\r\n${rows.join('\r\n')}\r\n`);
    // The cursor is now at the start of an empty row: the prompt is drawn there, nothing above is erased.
    r.prevRows = 0;
    r.prompt(true);
  };

  const completer = (line: string, callback: (err: null, result: CompletionResult) => void): void => {
    const r = rl;
    const afterTab = previousKey === 'tab';
    waiting = true;
    let done = false;
    ask(line, ([candidates, substring]) => {
      if (done) return;
      done = true;
      waiting = false;
      // What waited for this answer came before it (a prompt that arrived meanwhile): it goes first.
      // Its redraw may resume readline's input, but a resumed stream only reads on the next tick.
      runLater();
      const nothing: CompletionResult = [[], substring];
      // Readline already gave up on that line (closed), or the line changed meanwhile: a stale answer.
      if (!r || closed || r !== rl || r.line.slice(0, r.cursor) !== line || candidates.length === 0) {
        callback(null, nothing);
        return;
      }
      const prefix = commonPrefix(candidates);
      if (prefix.length > substring.length && prefix.startsWith(substring)) {
        callback(null, [candidates, substring]); // readline inserts the shared part
        return;
      }
      if (afterTab) list(r, candidates);
      callback(null, nothing);
    });
  };

  return {
    completer,
    use(next: Interface): void {
      rl = next;
      closed = false;
      next.once('close', () => {
        if (rl === next) closed = true;
      });
      if (!tracking) {
        tracking = true;
        // Before readline's own listener: when the completer runs, `currentKey` is this Tab.
        input.prependListener('keypress', (_s, key) => {
          previousKey = currentKey;
          currentKey = key?.name;
        });
      }
    },
    get waiting() {
      return waiting;
    },
    afterCompletion(fn: () => void): void {
      if (waiting) later.push(fn);
      else fn();
    },
  };
}
