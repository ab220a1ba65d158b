/**
 * The text half of the interface between the session engine and a front-end (bdb/pdb's
 * `message`/`error`/input): lines in, text out. The other half, for front-ends that show data, is
 * structured requests (requests.ts), answered while `readLine` waits.
 *
 * Console, socket and web modes each implement this interface; the engine and the commands never
 * touch a terminal, a socket or a page. Everything is synchronous from the engine's point of view:
 * the program is stopped while a session is open. Imports nothing: a front-end loads it before
 * the engine.
 */

/**
 * A completer as Node's `readline` takes it: given the line typed so far, the candidate
 * replacements and the substring of the line they replace (`['foo.bar', 'foo.baz'], 'foo.ba'`).
 */
export type Completer = (line: string) => [string[], string];

/** Where a session reads commands and writes its output. */
export interface Channel {
  /**
   * Writes output text exactly as given: the engine includes the newlines (`"1\n"`), so a
   * transport never adds or strips any.
   */
  write(text: string): void;
  /**
   * Writes a user-facing error, already formatted by the engine (`"*** Oldest frame\n"`, prefix and
   * newline included). A transport may colour it or send it to stderr; it must not reword it.
   */
  error(text: string): void;
  /**
   * Shows `prompt` and returns the next line without its line terminator, or `null` at end of
   * input (Ctrl-D, a closed socket), which the session treats as `q`. `complete` answers tab
   * completion for transports that offer it.
   */
  readLine(prompt: string, complete?: Completer): string | null;
  /** True when output may contain ANSI colour codes (a terminal that wants them). */
  colors: boolean;
  /** Releases the transport (called once, after the session ended). Optional. */
  close?(): void;
}

/** Candidates handed on at most by a front-end (the engine offers no more either). Default 500. */
export const MAX_CANDIDATES = 500;

/**
 * `complete(line)` as plain data, as every front-end hands it on (to the console's terminal worker,
 * a socket client, a page): checked first, since it crosses to a worker thread (only plain data can
 * be posted) and goes on as JSON. A missing completer (a prompt that completes nothing, such as
 * quit's question), one that throws or one that answers something else gives no candidates, and
 * the line as readline's substring (`[[], line]`). Never throws.
 */
export function completionsOf(line: string, complete: Completer | undefined): [string[], string] {
  if (!complete) return [[], line];
  try {
    const r: unknown = complete(line);
    if (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'string') {
      return [r[0].slice(0, MAX_CANDIDATES).map(String), r[1]];
    }
  } catch {
    /* fall through */
  }
  return [[], line];
}
