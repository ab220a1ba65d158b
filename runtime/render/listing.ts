/**
 * Source listings in ipdb's layout: a 7-wide number column, `---->` on the current line.
 *
 * ```
 *       5   const a = 1;
 * ----> 6   const result = a / x.y;
 *       7 }
 * ```
 */
import pc = require('picocolors');
import { displayPath } from './display-path';
import type { Frame } from '../engine/frames';
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
    const code = raw.length > MAX_LINE_WIDTH
      ? `${raw.slice(0, MAX_LINE_WIDTH)}... [${raw.length - MAX_LINE_WIDTH} more characters]`
      : painted[n - 1];
    const num = String(n);
    const isCurrent = n === options.current;
    const gutter = isCurrent
      ? c.green(`${'-'.repeat(Math.max(1, 7 - num.length - 2))}> ${num}`)
      : c.dim(num.padStart(7));
    out += `${gutter} ${code}\n`.replace(/[ \t]+\n$/, '\n');
  }
  return out;
}

/** pdb's location of a frame: `path/file.ts(6)riskyOperation()`. */
export function frameLocation(frame: Frame): string {
  const where = frame.file ? displayPath(frame.file) : frame.stack?.text ?? '<unknown>';
  return `${where}(${frame.line ?? '?'})${frame.name}()`;
}

/** The source line of a frame (trimmed), or undefined. */
export function frameSourceLine(frame: Frame): string | undefined {
  if (frame.line === undefined) return undefined;
  const line = frame.lines()?.[frame.line - 1];
  if (line === undefined) return undefined;
  const t = line.trim();
  return t.length > MAX_LINE_WIDTH ? `${t.slice(0, MAX_LINE_WIDTH)}...` : t;
}

/**
 * ipdb's stack entry: `> file(line)fn()` then `context` lines centred on the frame's line.
 * Frames without source show the location only.
 */
export function entryText(frame: Frame, context: number, colors = false): string {
  const c = pc.createColors(colors);
  let out = `${c.bold('>')} ${frameLocation(frame)}\n`;
  const lines = frame.lines();
  if (lines && frame.line !== undefined && context > 0) {
    const first = Math.max(1, frame.line - Math.floor((context - 1) / 2));
    out += formatListing(lines, first, first + context - 1, { current: frame.line, colors });
  }
  return out;
}
