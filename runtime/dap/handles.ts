/**
 * The numbers DAP hands out (`variablesReference`, a frame's `id`) and what each stands for: a
 * thread and something of its session at one prompt (a scope's variables, an engine value handle, a
 * range of a value's children). The engine's value handles live until the session's next prompt
 * (engine/requests.ts), so these do too: a thread's numbers are renewed at each prompt (the adapter
 * then sends `invalidated`), and an old one is refused with a message, never mistaken for a new one
 * (numbers are never reused).
 *
 * Frames and sources are apart: a frame keeps its number while the session shows the same error
 * (an editor sends the frame it shows with the next console line, before it asks for the stack
 * again), and a file's text does not change with the prompt, so a thread's file keeps one number.
 */
import type { ValueNode } from '../engine/requests';

/** What a number stands for. */
export type Target =
  /** Frame `frame` of the stack of error `exception` of the chain (the engine's indexes): the same number across prompts. */
  | { kind: 'frame'; frame: number; exception: number }
  /** A scope's variables as the engine listed them (`Locals`, `Closure`, `this`), of frame `frame`. */
  | { kind: 'nodes'; frame: number; scope: string; nodes: ValueNode[]; note?: string }
  /**
   * The children of an engine value handle, or of its range `[from, to)`. `frame`: the frame it was
   * read in; `scope`: the scope it is (`Module`); `path`: JavaScript that reads it there (for
   * setVariable of a child); `indexed`: the items of a big array, Map or Set (paged); `setLike`: a
   * Map or Set, whose children by position are no index.
   */
  | {
      kind: 'value';
      ref: number;
      range?: [number, number];
      frame?: number;
      scope?: string;
      path?: string;
      indexed?: number;
      setLike?: boolean;
    };

/** One number: its thread, the prompt (state version) it belongs to, what it stands for. */
export interface Handle {
  thread: number;
  version: number;
  target: Target;
}

/** DAP's numbers must stay below 2^31. */
const MAX_NUMBER = 2 ** 31 - 1;

/** The numbers of one DAP session. */
export class Handles {
  private next = 1;
  private readonly byNumber = new Map<number, Handle>();
  private readonly frameNumbers = new Map<string, number>();
  private readonly sourceNumbers = new Map<string, number>();
  private readonly sources = new Map<number, { thread: number; file: string }>();

  /**
   * The number of frame `frame` of error `exception` in `thread`: the same at every prompt (an
   * editor keeps the frame it shows across a command; the frames change only with the error shown).
   */
  frame(thread: number, exception: number, frame: number): number {
    const key = `${thread}\0${exception}\0${frame}`;
    let n = this.frameNumbers.get(key);
    if (n === undefined || !this.byNumber.has(n)) {
      n = this.make(thread, -1, { kind: 'frame', frame, exception });
      this.frameNumbers.set(key, n);
    }
    return n;
  }

  /** A new number for `target` of `thread` at prompt `version`. */
  make(thread: number, version: number, target: Target): number {
    if (this.next >= MAX_NUMBER) this.next = 1; // two billion numbers later: the old ones are long gone
    const n = this.next++;
    this.byNumber.set(n, { thread, version, target });
    return n;
  }

  /** What `n` stands for, or undefined when it is unknown or was renewed. */
  get(n: unknown): Handle | undefined {
    return typeof n === 'number' ? this.byNumber.get(n) : undefined;
  }

  /**
   * Forgets the numbers of `thread` made before prompt `version` but its frames' (all of them when
   * undefined): its session moved on, or ended.
   */
  renew(thread: number, version?: number): void {
    for (const [n, h] of this.byNumber) {
      if (h.thread !== thread) continue;
      if (version === undefined || (h.target.kind !== 'frame' && h.version < version)) this.byNumber.delete(n);
    }
  }

  /** The source reference of `file` in `thread` (the same number each time). */
  source(thread: number, file: string): number {
    const key = `${thread}\0${file}`;
    let n = this.sourceNumbers.get(key);
    if (n === undefined) {
      n = this.sourceNumbers.size + 1;
      this.sourceNumbers.set(key, n);
      this.sources.set(n, { thread, file });
    }
    return n;
  }

  /** The thread and file of source reference `n`. */
  sourceOf(n: unknown): { thread: number; file: string } | undefined {
    return typeof n === 'number' ? this.sources.get(n) : undefined;
  }
}
