// Which name is under the mouse in a source line, for the hover (hover.js): the identifier at an
// offset and the chain of property names before it (`opts.owner.name`, `this.id`), read from the
// line's highlighted tokens so that words inside strings, comments and regexes are left alone.
// Pure functions of the tokens: no DOM (test/web/units.test.mjs imports this file in Node).

const ID_START = /[$_\p{ID_Start}]/u;
const ID_PART = /[$\u200c\u200d\p{ID_Continue}]/u;
/** Token classes (runtime/render/source-tokens.ts) with no names to show: strings, comments, numbers, regexes, literals. */
const NO_NAMES = new Set(['s', 'c', 'n', 'r', 'l']);

/** The class of the token holding character `offset` of a line's tokens (`[class, text][]`). */
function classAt(tokens, offset) {
  let pos = 0;
  for (const [cls, text] of tokens) {
    if (offset < pos + text.length) return cls;
    pos += text.length;
  }
  return undefined;
}

/** The identifier ending just before `end` in `text`: its start, or -1. */
function identifierBefore(text, end) {
  let k = end;
  while (k > 0 && ID_PART.test(text[k - 1])) k--;
  return k < end && ID_START.test(text[k]) ? k : -1;
}

/**
 * The name chain at character `offset` of a line (its `[class, text]` tokens): `{ path, start,
 * wordStart, end }` where `path` is `['opts', 'owner', 'name']` for the `name` of
 * `opts.owner.name`, `start` is where the chain begins, `[wordStart, end)` the hovered word. Null
 * when there is no name there, or when the chain starts with something only running code could
 * give (`f().x`, `a[0].x`, `super.x`): the hover never runs code.
 */
export function nameChainAt(tokens, offset) {
  const text = tokens.map((t) => t[1]).join('');
  if (!(offset >= 0 && offset < text.length) || !ID_PART.test(text[offset])) return null;
  let wordStart = offset;
  while (wordStart > 0 && ID_PART.test(text[wordStart - 1])) wordStart--;
  let end = offset + 1;
  while (end < text.length && ID_PART.test(text[end])) end++;
  const word = text.slice(wordStart, end);
  if (!ID_START.test(word[0]) || text[wordStart - 1] === '#') return null;
  const cls = classAt(tokens, wordStart);
  if (NO_NAMES.has(cls) || (cls === 'k' && word !== 'this')) return null;
  const path = [word];
  let start = wordStart;
  while (path[0] !== 'this') {
    let j = start;
    while (j > 0 && /\s/.test(text[j - 1])) j--;
    if (text[j - 1] !== '.' || text[j - 2] === '.') break; // no dot before, or a spread `...rest`
    j--;
    if (text[j - 1] === '?') j--; // `a?.b`
    while (j > 0 && /\s/.test(text[j - 1])) j--;
    const k = identifierBefore(text, j);
    if (k < 0 || text[k - 1] === '#') return null; // `f().x`, `a[0].x`, `this.#p.x`
    const name = text.slice(k, j);
    const c = classAt(tokens, k);
    if (NO_NAMES.has(c) || (c === 'k' && name !== 'this')) return null; // `super.x`, `'s'.length`
    path.unshift(name);
    start = k;
  }
  return { path, start, wordStart, end };
}
