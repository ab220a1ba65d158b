/**
 * The list a double Tab shows, laid out as GNU readline (bash, pdb) lays it out: the candidates in
 * columns sized to the widest one plus two spaces, as many columns as fit the terminal's width,
 * sorted down each column then across, no trailing spaces. Pure text; the caller writes it.
 */

/** Terminal columns a character takes: 0 for combining marks and zero-width joiners, 2 for wide (CJK, Hangul, fullwidth) ones. */
function charWidth(cp: number): number {
  if (cp === 0x200c || cp === 0x200d || cp === 0xfeff) return 0;
  if (/\p{M}/u.test(String.fromCodePoint(cp))) return 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Terminal columns `text` takes (no escape sequences expected: candidates are names). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/**
 * The rows of the list of `candidates` (in the order given, which should be sorted) for a terminal
 * `width` columns wide (default 80 when unknown). GNU readline's rule: each column is the widest
 * candidate plus 2; a row that would fill the last column exactly gets one column less (a character
 * in the last column makes some terminals wrap); at least one column.
 */
export function completionColumns(candidates: readonly string[], width = 80): string[] {
  if (candidates.length === 0) return [];
  const widths = candidates.map(displayWidth);
  const cell = Math.max(...widths) + 2;
  const screen = Number.isFinite(width) && width > 0 ? Math.floor(width) : 80;
  let columns = Math.floor(screen / cell);
  if (columns !== 1 && columns * cell === screen) columns--;
  if (columns < 1) columns = 1;
  const rows = Math.ceil(candidates.length / columns);
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < columns; c++) {
      const i = r + c * rows;
      if (i >= candidates.length) break;
      line += candidates[i];
      // Padding only before another candidate on the same row.
      if (c + 1 < columns && i + rows < candidates.length) line += ' '.repeat(cell - widths[i]);
    }
    out.push(line);
  }
  return out;
}
