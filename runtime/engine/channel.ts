/**
 * The one seam between the session engine and a transport (bdb/pdb's `message`/`error`/input).
 *
 * Console, socket and web modes each implement only this interface; the engine and the commands
 * never touch a terminal, a socket or a page. Everything is synchronous from the engine's point of
 * view: the program is stopped while a session is open.
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
