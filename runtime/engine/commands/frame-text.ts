/**
 * A frame as the session prints it: pdb's location (`path/file.ts(6)riskyOperation()`), its source
 * line, and ipdb's entry (`> location` then the lines around the current one), for the banner,
 * `where`, `up`/`down`, `exceptions` and the report.
 */
import pc = require('picocolors');
import { displayPath } from '../../render/display-path';
import { formatListing, MAX_LINE_WIDTH } from '../../render/listing';
import type { Frame } from '../frames';

/** pdb's location of a frame: `path/file.ts(6)riskyOperation()`. */
export function frameLocation(frame: Frame): string {
  const where = frame.file ? displayPath(frame.file) : (frame.stack?.text ?? '<unknown>');
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
