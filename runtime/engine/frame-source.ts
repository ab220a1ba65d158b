/**
 * What a session works on: a frame source. The engine (session.ts, evaluation, completion, the
 * value tree, the commands) reads the frames of the value the session opened on, and of the errors
 * linked to it, through this interface and the {@link Frame}s it returns; it never reads the
 * capture itself. A front-end is handed a frame source and knows nothing of where it comes from.
 *
 * - `live` (live-source.ts): the program is stopped in this process. Values are the program's
 *   own, functions run, assignments reach the program, and `return`, `retry` and `c` go back to it.
 * - `snapshot` (issue #11, to come): frames read from a file, with no live program. Values are
 *   restored, functions do not run, `return` and `retry` are refused and `c` only ends the
 *   session; the engine says so where the kind matters (Session.live).
 */
import type { Frame } from './frames';

/** Where the frames come from: a stopped program in this process, or a file. */
export type FrameSourceKind = 'live' | 'snapshot';

/** The debug boundary where a session opened (the outermost marked function the error left). */
export interface Boundary {
  /** Its name as a user would call it (`Trainer.step`). */
  name: string;
  /** True when `retry` can run it again (the transform says so: not a generator, not a constructor). */
  retry: boolean;
}

/** The frames of a session, and the facts about where it opened. */
export interface FrameSource {
  readonly kind: FrameSourceKind;
  /** The value the session opened on: what was thrown (at a live breakpoint, an Error made at the call). */
  readonly thrown: unknown;
  /**
   * The frames of `value`, innermost first: the thrown value, or an error linked to it (its
   * `cause`, `errors`, ...; error-chain.ts finds them). Values read through a frame's bindings are
   * what the session shows and evaluates with. Never throws: a value with nothing known has the
   * frames of its stack alone, or none.
   */
  framesOf(value: unknown): Frame[];
  /** Where the session opened, when it opened at a debug boundary; undefined otherwise. */
  boundary(): Boundary | undefined;
}
