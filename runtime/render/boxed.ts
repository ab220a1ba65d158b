/**
 * The boxed message a waiting session prints on stderr (docs/SPEC.md §3: "a clearly boxed line saying
 * exactly how to connect"), shared by socket and web sessions so that every mode looks alike.
 *
 * ```
 * +-----------------------------------------------------------------------+
 * | ts-pdb: rank 1 (pid 15392) stopped: RangeError: loss is NaN at step 3 |
 * | connect with:  nc -U /tmp/pdb.sock.1                                  |
 * +-----------------------------------------------------------------------+
 * ```
 */

/** Longest error summary, in characters (a box wider than a terminal wraps into noise). Default 100. */
export const SUMMARY_WIDTH = 100;

/** The first line of an error (`TypeError: boom`), cut at {@link SUMMARY_WIDTH}. Never throws. */
export function summary(thrown: unknown): string {
  try {
    const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    const line = text.split('\n')[0];
    return line.length > SUMMARY_WIDTH ? `${line.slice(0, SUMMARY_WIDTH - 3)}...` : line;
  } catch {
    return '(an error that cannot be shown)';
  }
}

/** What a box and the registry say a session stopped on: the error's {@link summary}, or a breakpoint. */
export function stoppedOn(thrown: unknown, options: { breakpoint?: boolean }): string {
  return options.breakpoint ? 'a breakpoint (the program waits; c lets it go on)' : summary(thrown);
}

/** The lines of a waiting session's box about the snapshot its wait leaves (socket and web boxes). */
export function snapshotLines(file: string): string[] {
  return ['snapshot (kept unless a client ends the session):', `  ${file}`];
}

/** Lines in a box, newline-terminated, for a message that must stand out among the program's output. */
export function boxed(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const edge = `+${'-'.repeat(width + 2)}+`;
  return [edge, ...lines.map((l) => `| ${l.padEnd(width)} |`), edge, ''].join('\n');
}
