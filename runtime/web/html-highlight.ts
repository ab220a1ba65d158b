/**
 * Syntax highlighting for the web page: source lines as lists of `[class, text]` tokens (the classes
 * of core/source-tokens.ts, shared with the terminal's highlighter), which the page turns into spans
 * with `textContent` (never HTML from the program's text: no injection).
 */
import { MAX_LINE_WIDTH } from '../core/listing';
import { classify, type Token } from '../core/source-tokens';

export type { Token };

const cache = new WeakMap<string[], Token[][]>();

/** The tokens of each line of one source file (cached per lines array). Lines over {@link MAX_LINE_WIDTH} are cut with a note. Never throws. */
export function tokenLines(lines: string[]): Token[][] {
  const hit = cache.get(lines);
  if (hit) return hit;
  let out: Token[][];
  try {
    out = classify(lines);
    if (out.length !== lines.length) out = lines.map((l) => [['', l]]); // a line-terminator mismatch: plain beats shifted
  } catch {
    out = lines.map((l) => [['', l]]);
  }
  out = out.map((line, i) => (lines[i].length > MAX_LINE_WIDTH ? cutLine(line, lines[i].length) : line));
  cache.set(lines, out);
  return out;
}

/** A long line's tokens cut at {@link MAX_LINE_WIDTH} characters, with a note of how much is left out. */
function cutLine(line: Token[], length: number): Token[] {
  const out: Token[] = [];
  let left = MAX_LINE_WIDTH;
  for (const [cls, text] of line) {
    if (left <= 0) break;
    out.push([cls, text.slice(0, left)]);
    left -= text.length;
  }
  out.push(['c', `... [${length - MAX_LINE_WIDTH} more characters]`]);
  return out;
}
