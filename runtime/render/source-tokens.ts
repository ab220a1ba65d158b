/**
 * Source text as classed tokens, line by line: the one classifier behind both highlighters, the
 * terminal's (highlight.ts, ANSI colours) and the web page's (html-highlight.ts, spans).
 *
 * `js-tokens` (a maintained tokenizer that also reads TypeScript well enough: types are
 * identifiers and punctuators to it) tokenises the whole file at once, so a template literal or a
 * block comment over several lines is classed right on each of them.
 */
import jsTokens = require('js-tokens');

/**
 * A token: its class and text. Classes: `k` keyword, `s` string, `n` number, `r` regular
 * expression, `c` comment, `l` literal (`true`, `null`, `NaN`...), `f` called name, `t` type-like
 * name, `''` plain.
 */
export type Token = [cls: string, text: string];

const KEYWORDS = new Set([
  'abstract',
  'as',
  'async',
  'await',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'declare',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'finally',
  'for',
  'from',
  'function',
  'get',
  'if',
  'implements',
  'import',
  'in',
  'instanceof',
  'interface',
  'keyof',
  'let',
  'namespace',
  'new',
  'of',
  'override',
  'private',
  'protected',
  'public',
  'readonly',
  'return',
  'satisfies',
  'set',
  'static',
  'super',
  'switch',
  'this',
  'throw',
  'try',
  'type',
  'typeof',
  'using',
  'var',
  'void',
  'while',
  'with',
  'yield',
]);
const LITERALS = new Set(['true', 'false', 'null', 'undefined', 'NaN', 'Infinity']);

/**
 * The tokens of each line of `lines` (one source file), adjacent tokens of one class merged.
 * Throws only if the tokenizer does; returns fewer or more lines than given when the file's line
 * terminators are ones the caller split differently (callers then fall back to plain text).
 */
export function classify(lines: string[]): Token[][] {
  const out: Token[][] = [[]];
  const push = (cls: string, part: string): void => {
    const line = out[out.length - 1];
    const last = line[line.length - 1];
    if (last && last[0] === cls) last[1] += part;
    else line.push([cls, part]);
  };
  let previous = '';
  const all = [...jsTokens(lines.join('\n'))];
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
      // `obj.default`, `x.new`: a property, not a keyword.
      if (KEYWORDS.has(value) && previous !== '.') return 'k';
      if (LITERALS.has(value)) return 'l';
      if (next === '(') return 'f';
      if (
        /^[A-Z]/.test(value) &&
        (previous === ':' || previous === 'new' || previous === '<' || previous === 'extends' || previous === 'implements')
      )
        return 't';
      return '';
    default:
      return '';
  }
}
