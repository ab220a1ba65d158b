/**
 * Syntax highlighting for the web page: source lines as lists of `[class, text]` tokens, which the
 * page turns into spans with `textContent` (never HTML from the program's text: no injection).
 *
 * As the terminal's highlighter (core/highlight.ts), the whole file is tokenised at once with
 * `js-tokens`, so a template literal or a block comment over several lines is classed right.
 */
import jsTokens = require('js-tokens');
import { MAX_LINE_WIDTH } from '../core/listing';

/** A token: its class (`k` keyword, `s` string, `n` number, `r` regex, `c` comment, `l` literal, `f` called name, `t` type-like name, `''` plain) and text. */
export type Token = [cls: string, text: string];

const KEYWORDS = new Set([
  'abstract', 'as', 'async', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'declare',
  'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'finally', 'for', 'from', 'function', 'get', 'if',
  'implements', 'import', 'in', 'instanceof', 'interface', 'keyof', 'let', 'namespace', 'new', 'of', 'override',
  'private', 'protected', 'public', 'readonly', 'return', 'satisfies', 'set', 'static', 'super', 'switch', 'this',
  'throw', 'try', 'type', 'typeof', 'using', 'var', 'void', 'while', 'with', 'yield',
]);
const LITERALS = new Set(['true', 'false', 'null', 'undefined', 'NaN', 'Infinity']);

const cache = new WeakMap<string[], Token[][]>();

/** The tokens of each line of one source file (cached per lines array). Lines over {@link MAX_LINE_WIDTH} are cut with a note. Never throws. */
export function tokenLines(lines: string[]): Token[][] {
  const hit = cache.get(lines);
  if (hit) return hit;
  let out: Token[][];
  try {
    out = tokenize(lines.join('\n'));
    if (out.length !== lines.length) out = lines.map((l) => [['', l]]); // a line-terminator mismatch: plain beats shifted
  } catch {
    out = lines.map((l) => [['', l]]);
  }
  out = out.map((line, i) => (lines[i].length > MAX_LINE_WIDTH ? cutLine(line, lines[i].length) : line));
  cache.set(lines, out);
  return out;
}

function tokenize(text: string): Token[][] {
  const out: Token[][] = [[]];
  const push = (cls: string, part: string): void => {
    const line = out[out.length - 1];
    const last = line[line.length - 1];
    if (last && last[0] === cls) last[1] += part;
    else line.push([cls, part]);
  };
  let previous = '';
  const all = [...jsTokens(text)];
  all.forEach((token, i) => {
    const cls = classOf(token.type, token.value, previous, nextSignificant(all, i));
    const parts = token.value.split(/\r?\n|\r|\u2028|\u2029/);
    parts.forEach((part, j) => {
      if (j > 0) out.push([]);
      if (part) push(cls, part);
    });
    if (token.type !== 'WhiteSpace' && token.type !== 'LineTerminatorSequence') previous = token.value;
  });
  return out;
}

function nextSignificant(all: Array<{ type: string; value: string }>, i: number): string {
  for (let j = i + 1; j < all.length && j < i + 4; j++) {
    if (all[j].type !== 'WhiteSpace') return all[j].value;
  }
  return '';
}

function classOf(type: string, value: string, previous: string, next: string): string {
  switch (type) {
    case 'StringLiteral':
    case 'NoSubstitutionTemplate':
    case 'TemplateHead':
    case 'TemplateMiddle':
    case 'TemplateTail':
      return 's';
    case 'NumericLiteral':
      return 'n';
    case 'RegularExpressionLiteral':
      return 'r';
    case 'MultiLineComment':
    case 'SingleLineComment':
    case 'HashbangComment':
      return 'c';
    case 'IdentifierName':
      if (KEYWORDS.has(value) && previous !== '.') return 'k';
      if (LITERALS.has(value)) return 'l';
      if (next === '(') return 'f';
      if (/^[A-Z]/.test(value) && (previous === ':' || previous === 'new' || previous === '<' || previous === 'extends' || previous === 'implements')) return 't';
      return '';
    default:
      return '';
  }
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
