/**
 * Source listings in ipdb's layout: a 7-wide number column, `---->` on the current line. Lines in,
 * text out: what a frame is, this file does not know (engine/commands/frame-text.ts shows frames).
 *
 * ```
 *       5   const a = 1;
 * ----> 6   const result = a / x.y;
 *       7 }
 * ```
 */
import pc = require('picocolors');
import { highlightLines } from './highlight';

/** Characters of a source line shown before it is cut (minified bundles have megabyte lines). */
export const MAX_LINE_WIDTH = 400;

/** Options of {@link formatListing}. */
export interface ListingOptions {
  /** Line marked with `---->`; none by default. */
  current?: number;
  /** ANSI colours and syntax highlighting. Default false. */
  colors?: boolean;
}

/** Lines `first..last` (1-based, inclusive, clamped to the file) in ipdb's layout, newline-terminated. */
export function formatListing(lines: string[], first: number, last: number, options: ListingOptions = {}): string {
  const c = pc.createColors(!!options.colors);
  const painted = options.colors ? highlightLines(lines) : lines;
  let out = '';
  for (let n = Math.max(1, first); n <= Math.min(last, lines.length); n++) {
    const raw = lines[n - 1];
    const code =
      raw.length > MAX_LINE_WIDTH ? `${raw.slice(0, MAX_LINE_WIDTH)}... [${raw.length - MAX_LINE_WIDTH} more characters]` : painted[n - 1];
    const num = String(n);
    const isCurrent = n === options.current;
    const gutter = isCurrent ? c.green(`${'-'.repeat(Math.max(1, 7 - num.length - 2))}> ${num}`) : c.dim(num.padStart(7));
    out += `${gutter} ${code}\n`.replace(/[ \t]+\n$/, '\n');
  }
  return out;
}
