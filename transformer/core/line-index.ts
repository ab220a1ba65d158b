/**
 * Line and column of an offset in a file's text, for an adapter whose AST does not carry a
 * position it must report (Babel: a switch's `{`, the end of the file).
 */

/** The line starts of a text, searched by offset. */
export class LineIndex {
  private readonly starts = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The 1-based line and 0-based column of `offset`. */
  at(offset: number): { line: number; col: number } {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] };
  }
}
