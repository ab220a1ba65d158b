// The Chinese README keeps step with the English one: the same sections in the same order, the
// same code byte for byte, the same generated command list, and each links to the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { readmeWithCommands } from '../helpers/command-docs.mjs';

const en = readFileSync(join(ROOT, 'README.md'), 'utf8');
const zh = readFileSync(join(ROOT, 'README.zh-CN.md'), 'utf8');

/** The fenced code blocks (fence lines included) and the heading levels outside them. */
function outline(text) {
  const blocks = [];
  const headings = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]);
    if (fence) {
      let j = i + 1;
      while (j < lines.length && !lines[j].trimStart().startsWith(fence[1])) j++;
      blocks.push(lines.slice(i, j + 1).join('\n'));
      i = j;
      continue;
    }
    const heading = /^(#{1,6})\s/.exec(lines[i]);
    if (heading) headings.push(heading[1]);
  }
  return { blocks, headings };
}

/** The generated command section, markers included. */
function commandSection(text) {
  const a = text.indexOf('<!-- commands:start');
  const b = text.indexOf('<!-- commands:end -->');
  assert.ok(a >= 0 && b > a, 'the commands:start/commands:end markers are there');
  return text.slice(a, b);
}

/** The first non-empty line after the title. */
const underTitle = (text) =>
  text
    .split('\n')
    .slice(1)
    .find((l) => l.trim() !== '');

test('the two READMEs link to each other, right under the title', () => {
  assert.equal(underTitle(en), '[中文](README.zh-CN.md)');
  assert.equal(underTitle(zh), '[English](README.md)');
});

test('the Chinese README has the same headings, level by level, in the same order', () => {
  const levels = outline(en).headings;
  assert.ok(levels.length > 1, 'the English README has sections');
  assert.deepEqual(outline(zh).headings, levels, 'translate README.md section for section');
});

test('every code block of the Chinese README is the English one, byte for byte, in order', () => {
  const blocks = outline(en).blocks;
  assert.ok(blocks.length > 0, 'the English README has code blocks');
  assert.deepEqual(outline(zh).blocks, blocks, 'copy the code blocks of README.md unchanged');
});

test('the Chinese README command list is the generated one, as in README.md', () => {
  assert.equal(zh, readmeWithCommands(zh), 'copy the generated command list of README.md (npm run docs)');
  assert.equal(commandSection(zh), commandSection(en));
});

test('every environment variable README.md names is named in the Chinese README', () => {
  const names = (text) => new Set([...text.matchAll(/`((?:IPDB|TS_PDB|NO)_[A-Z_]+)/g)].map((m) => m[1]));
  assert.deepEqual(
    [...names(en)].filter((v) => !names(zh).has(v)),
    [],
  );
});
