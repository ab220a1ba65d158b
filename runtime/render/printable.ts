/**
 * Text that came from outside ts-pdb's control (a snapshot file's host, job id, error message), made
 * safe to print on a terminal.
 */

/**
 * `text` from a file with its control characters (C0, DEL, C1: a terminal's escape sequences) shown
 * as `\xNN`: a hostile file must not drive the terminal that opens it.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
