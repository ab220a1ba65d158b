/**
 * Syntax highlighting for the web page: source lines as lists of `[class, text]` tokens (the classes
 * of source-tokens.ts, shared with the terminal's highlighter), which the page turns into spans
 * with `textContent` (never HTML from the program's text: no injection).
 */
import { classify, type Token } from './source-tokens';

export type { Token };

/**
 * Characters of a source line the page shows; a longer line (minified code) is cut with a note of
 * how much is left out. The page scrolls (or wraps) a long line, so this is far above the
 * terminal's `list` width (listing.ts's 400). Default 2000.
 */
export const WEB_LINE_WIDTH = 2000;

const cache = new WeakMap<string[], Token[][]>();

/** The tokens of each line of one source file (cached per lines array). Lines over {@link WEB_LINE_WIDTH} are cut with a note. Never throws. */
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
  out = out.map((line, i) => (lines[i].length > WEB_LINE_WIDTH ? cutLine(line, lines[i].length) : line));
  cache.set(lines, out);
  return out;
}

/** A long line's tokens cut at {@link WEB_LINE_WIDTH} characters, with a note of how much is left out. */
function cutLine(line: Token[], length: number): Token[] {
  const out: Token[] = [];
  let left = WEB_LINE_WIDTH;
  for (const [cls, text] of line) {
    if (left <= 0) break;
    out.push([cls, text.slice(0, left)]);
    left -= text.length;
  }
  out.push(['c', `... [${length - WEB_LINE_WIDTH} more characters]`]);
  return out;
}
