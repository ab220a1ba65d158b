/**
 * Syntax highlighting of source text for terminals, with `js-tokens` (a maintained tokenizer that
 * also reads TypeScript well enough: types are identifiers and punctuators to it).
 *
 * The whole text is tokenised at once, so a template literal or block comment spanning lines is
 * coloured right; each output line closes its colours, so lines can be printed on their own.
 */
import jsTokens = require('js-tokens');
import pc = require('picocolors');

const KEYWORDS = new Set([
  'abstract', 'as', 'async', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'declare',
  'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'finally', 'for', 'from', 'function', 'get', 'if',
  'implements', 'import', 'in', 'instanceof', 'interface', 'keyof', 'let', 'namespace', 'new', 'of', 'override',
  'private', 'protected', 'public', 'readonly', 'return', 'satisfies', 'set', 'static', 'super', 'switch', 'this',
  'throw', 'try', 'type', 'typeof', 'using', 'var', 'void', 'while', 'with', 'yield',
]);
const LITERALS = new Set(['true', 'false', 'null', 'undefined', 'NaN', 'Infinity']);

const colors = pc.createColors(true);
const cache = new WeakMap<string[], string[]>();

/** The lines of `lines` (one source file) with ANSI colours; cached per lines array. Never throws. */
export function highlightLines(lines: string[]): string[] {
  const hit = cache.get(lines);
  if (hit) return hit;
  let out: string[];
  try {
    out = highlight(lines.join('\n'));
    if (out.length !== lines.length) out = lines; // a line-terminator mismatch: plain is better than shifted
  } catch {
    out = lines;
  }
  cache.set(lines, out);
  return out;
}

function highlight(text: string): string[] {
  const out: string[] = [''];
  for (const token of jsTokens(text)) {
    const paint = painter(token.type, token.value);
    const parts = token.value.split(/\r?\n|\r|\u2028|\u2029/);
    parts.forEach((part, i) => {
      if (i > 0) out.push('');
      if (part) out[out.length - 1] += paint ? paint(part) : part;
    });
  }
  return out;
}

function painter(type: string, value: string): ((s: string) => string) | undefined {
  switch (type) {
    case 'StringLiteral':
    case 'NoSubstitutionTemplate':
    case 'TemplateHead':
    case 'TemplateMiddle':
    case 'TemplateTail':
      return colors.green;
    case 'NumericLiteral':
      return colors.yellow;
    case 'RegularExpressionLiteral':
      return colors.red;
    case 'MultiLineComment':
    case 'SingleLineComment':
    case 'HashbangComment':
      return colors.gray;
    case 'IdentifierName':
      if (KEYWORDS.has(value)) return colors.magenta;
      if (LITERALS.has(value)) return colors.yellow;
      return undefined;
    default:
      return undefined;
  }
}
