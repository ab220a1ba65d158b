/**
 * Which subtrees an adapter's instrumenting visitor may leave unvisited: those in which nothing
 * can change. The visitor changes only functions (instrumented, or holding instrumented ones),
 * marker decorators (removed) and breakpoint calls (rewritten); a subtree whose text range holds
 * none of their offsets comes out of the visit as it went in, and visiting it costs a walk of
 * every node for nothing (most expressions of a file hold no function). Ranges are offsets in the
 * file's text, as the adapter's parsed nodes carry them (a node's range holds its children's).
 *
 * The scope walk knows every function but those in what it does not enter (types, `declare`d
 * code): such ranges are gaps, and a subtree that meets a gap is always visited. Reads nothing but
 * the offsets it is given.
 */
import type { MarkerImports } from './markers';
import type { ScopeInfo } from './scope-model';

/** First index in the sorted `xs` whose value is >= `x`. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The offsets where something may change, and the ranges the scope walk did not enter. */
export class QuietSubtrees {
  private readonly hot: number[];
  private readonly gapStarts: number[] = [];
  private readonly gapEnds: number[] = [];

  /**
   * @param hot offsets inside every node that may change (a function's start, a marker decorator's, a breakpoint name's)
   * @param gaps [start, end) ranges the scope walk did not enter, disjoint (in any order)
   */
  constructor(hot: Iterable<number>, gaps: readonly (readonly [number, number])[]) {
    this.hot = [...hot].sort((x, y) => x - y);
    for (const [start, end] of [...gaps].sort((x, y) => x[0] - y[0])) {
      this.gapStarts.push(start);
      this.gapEnds.push(end);
    }
  }

  /**
   * True when the subtree of text range [start, end) holds no hot offset and meets no gap: its
   * visit changes nothing. False for a node without a range (start < 0: built by the transform).
   */
  quiet(start: number, end: number): boolean {
    if (!(start >= 0) || !(end >= start)) return false;
    const h = lowerBound(this.hot, start);
    if (h < this.hot.length && this.hot[h] < end) return false;
    // The first gap that ends after `start` (gaps are disjoint: their ends are sorted too).
    const g = lowerBound(this.gapEnds, start + 1);
    return !(g < this.gapStarts.length && this.gapStarts[g] < end);
  }
}

/**
 * The offsets of the references to the `breakpoint` and `Debugger` marker imports (the callees of
 * breakpoint calls: core/emit-breakpoint.ts `isBreakpointCall`); none when the file imports neither.
 */
export function markerReferences<N>(
  info: ScopeInfo<N>,
  markers: MarkerImports<N>,
  name: (id: N) => string,
  start: (id: N) => number,
): number[] {
  if (!markers.breakpoint.size && !markers.debuggerNs.size) return [];
  const out: number[] = [];
  for (const [id, binding] of info.refBinding) {
    if (binding?.kind !== 'import') continue;
    const n = name(id);
    if (markers.breakpoint.has(n) || markers.debuggerNs.has(n)) out.push(start(id));
  }
  return out;
}

/**
 * Offsets in `text` of every occurrence of each of `words`: a node whose range holds none of them
 * has no identifier or token of that text (unless escaped: with `escapes`, every backslash counts
 * too, as `\u0061` in an identifier spells a letter).
 */
export function textOffsets(text: string, words: Iterable<string>, escapes: boolean): number[] {
  const out: number[] = [];
  for (const w of escapes ? [...words, '\\'] : words) {
    if (!w) continue;
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) out.push(i);
  }
  return out;
}
