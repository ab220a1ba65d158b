// Reads README.md as a user reads it: a section by its heading, its fenced code blocks in order,
// and the commands of a shell block. Tests that follow the README take their commands, files and
// expected sessions from here, never from copies of their own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './build.mjs';

/** README.md's text. */
export const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/**
 * The text of the section that starts with the heading line `heading` (e.g. `## Use it in your
 * project`), up to the next heading of the same or a higher level outside code blocks.
 * @param {string} heading the whole heading line
 * @param {string} [text] default README.md
 */
export function section(heading, text = README) {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `README.md has the heading "${heading}"`);
  const level = /^#+/.exec(heading)[0].length;
  let fence = null;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]);
    if (f) fence = fence === null ? f[1] : lines[i].trim().startsWith(fence) ? null : fence;
    else if (fence === null) {
      const h = /^(#{1,6})\s/.exec(lines[i]);
      if (h && h[1].length <= level) {
        end = i;
        break;
      }
    }
  }
  return lines.slice(start, end).join('\n');
}

/**
 * The fenced code blocks of `text`, in order.
 * @returns {{ lang: string, code: string }[]} `code` without the fences, ending with a newline.
 */
export function codeBlocks(text) {
  const blocks = [];
  const re = /^ {0,3}(`{3,})([\w-]*)\n([^]*?)^ {0,3}\1\s*$/gm;
  for (let m; (m = re.exec(text));) blocks.push({ lang: m[2], code: m[3] });
  return blocks;
}

/**
 * The one block of `text` in language `lang` whose code matches `pattern`; fails unless there is
 * exactly one, so that a README edit that removes or duplicates it is reported, not guessed.
 */
export function block(text, lang, pattern) {
  const found = codeBlocks(text).filter((b) => b.lang === lang && pattern.test(b.code));
  assert.equal(found.length, 1, `exactly one ${lang} block matching ${pattern} in:\n${text.slice(0, 400)}...`);
  return found[0].code;
}

/** The commands of a shell block: one per line, without the comments after `#` and blank lines. */
export function commands(code) {
  return code
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}
