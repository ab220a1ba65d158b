// One classifier for both highlighters (render/source-tokens.ts): the terminal's colours and the web
// page's classes agree on every token, across lines of a template literal or a comment, and a
// property named like a keyword is not a keyword.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';

const require = createRequire(import.meta.url);
const { highlightLines } = require(path.join(ROOT, 'dist/runtime/render/highlight.js'));
const { tokenLines } = require(path.join(ROOT, 'dist/runtime/render/html-highlight.js'));

const SOURCE = [
  'const n = 42; // the answer',
  'const t = `first',
  'second ${n} third`;',
  'exports.default = new Map<string, number>(); /* a',
  'b */ if (x === null) run(/a+/g);',
];

const ANSI = { magenta: 35, green: 32, yellow: 33, red: 31, gray: 90 };
/** The colour (by name) of the text `word` on terminal line `line`, or 'plain'. */
function colourOf(lines, line, word) {
  const at = lines[line].indexOf(word);
  assert.ok(at >= 0, `${word} on line ${line}: ${JSON.stringify(lines[line])}`);
  // The last colour opened before the word and not closed since.
  const before = lines[line].slice(0, at);
  const open = [...before.matchAll(/\x1b\[(\d+)m/g)].map((m) => Number(m[1]));
  const last = open.at(-1);
  if (last === undefined || last === 39) return 'plain';
  return Object.keys(ANSI).find((k) => ANSI[k] === last) ?? `code ${last}`;
}
const classOf = (tokens, line, word) => tokens[line].find(([, text]) => text.includes(word))?.[0];

test('terminal colours and page classes: keywords, numbers, strings over lines, comments over lines, literals, regexes', () => {
  const painted = highlightLines(SOURCE);
  const tokens = tokenLines(SOURCE);
  assert.equal(painted.length, SOURCE.length);
  assert.deepEqual(
    painted.map((l) => l.replace(/\x1b\[\d+m/g, '')),
    SOURCE,
    'only colours added',
  );
  const cases = [
    [0, 'const', 'magenta', 'k'],
    [0, '42', 'yellow', 'n'],
    [0, '// the answer', 'gray', 'c'],
    [1, '`first', 'green', 's'],
    [2, 'second', 'green', 's'],
    [2, ' third`', 'green', 's'],
    [3, '/* a', 'gray', 'c'],
    [4, 'b */', 'gray', 'c'],
    [4, 'null', 'yellow', 'l'],
    [4, '/a+/g', 'red', 'r'],
  ];
  for (const [line, word, colour, cls] of cases) {
    assert.equal(colourOf(painted, line, word), colour, `${word}: colour`);
    assert.equal(classOf(tokens, line, word), cls, `${word}: class`);
  }
  // `exports.default`: a property; `new Map<...>`: a keyword and a type-like name; run(: a call.
  assert.equal(colourOf(painted, 3, 'default'), 'plain');
  assert.equal(classOf(tokens, 3, 'default'), '');
  assert.equal(colourOf(painted, 3, 'new'), 'magenta');
  assert.equal(classOf(tokens, 3, 'Map'), 't');
  assert.equal(classOf(tokens, 4, 'run'), 'f');
});
