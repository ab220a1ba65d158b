/**
 * Syntax highlighting of source text for terminals: the classes of source-tokens.ts as ANSI
 * colours (picocolors). Each output line closes its colours, so lines can be printed on their own.
 */
import pc = require('picocolors');
import { classify } from './source-tokens';

const colors = pc.createColors(true);

/** Colour of each token class (source-tokens.ts); called names and type-like names stay plain here. */
const PAINT: Record<string, ((s: string) => string) | undefined> = {
  k: colors.magenta,
  s: colors.green,
  n: colors.yellow,
  l: colors.yellow,
  r: colors.red,
  c: colors.gray,
};

const cache = new WeakMap<string[], string[]>();

/** The lines of `lines` (one source file) with ANSI colours; cached per lines array. Never throws. */
export function highlightLines(lines: string[]): string[] {
  const hit = cache.get(lines);
  if (hit) return hit;
  let out: string[];
  try {
    const classed = classify(lines);
    // A line-terminator mismatch: plain is better than shifted.
    out = classed.length !== lines.length ? lines : classed.map((line) => line.map(([cls, text]) => PAINT[cls]?.(text) ?? text).join(''));
  } catch {
    out = lines;
  }
  cache.set(lines, out);
  return out;
}
