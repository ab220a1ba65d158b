// The layout of the list a double Tab shows (runtime/front-ends/console/completion-columns.ts), against GNU
// readline's rules (rl_display_match_list): cells of the widest candidate plus 2, as many columns as
// fit, one fewer when they would fill the last column exactly, sorted down then across, no trailing
// blanks; wide characters count two columns. The screen tests (completion-screen.test.mjs,
// ../socket/attach-completion.test.mjs) show it in a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';

const { completionColumns, displayWidth } = await import(
  path.join(ROOT, 'dist', 'runtime', 'front-ends', 'console', 'completion-columns.js')
);
const { splitKeys } = await import(path.join(ROOT, 'dist', 'runtime', 'front-ends', 'console', 'tab-completion.js'));

test('down then across, cells of the widest plus 2, no trailing blanks', () => {
  const names = ['E', 'LN10', 'LN2', 'LOG10E', 'LOG2E', 'PI', 'SQRT1_2', 'SQRT2', 'abs', 'acos'];
  // Widest 7: cells of 9; 30 columns hold 3; 10 names in 4 rows.
  assert.deepEqual(completionColumns(names, 30), ['E        LOG2E    abs', 'LN10     PI       acos', 'LN2      SQRT1_2', 'LOG10E   SQRT2']);
});

test('columns that would fill the width exactly leave the last one out; too narrow gives one column; an unknown width is 80', () => {
  const four = ['aaaa', 'bbbb', 'cccc', 'dddd'];
  // Cells of 6: 24 columns would hold 4 exactly, so 3 at most, and 4 names fill 2 rows of 2.
  assert.deepEqual(completionColumns(four, 24), ['aaaa  cccc', 'bbbb  dddd']);
  assert.deepEqual(completionColumns(four, 25), ['aaaa  bbbb  cccc  dddd']);
  assert.deepEqual(completionColumns(four, 3), four);
  assert.deepEqual(completionColumns(four, undefined), ['aaaa  bbbb  cccc  dddd']);
  assert.deepEqual(completionColumns([], 80), []);
});

test('wide characters take two columns, combining marks none', () => {
  assert.equal(displayWidth('数据'), 4);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.deepEqual(completionColumns(['数据', 'ab'], 80), ['数据  ab']);
});

test('a read is split after every Tab and end of line: each Tab is a key, each line waits for its prompt', () => {
  assert.deepEqual(splitKeys('p err\t\to\t'), ['p err\t', '\t', 'o\t']);
  assert.deepEqual(splitKeys('p err'), ['p err']);
  assert.deepEqual(splitKeys('\t'), ['\t']);
  assert.deepEqual(splitKeys('p a\rp b\r'), ['p a\r', 'p b\r']);
  assert.deepEqual(splitKeys('p a\r\np b\nc'), ['p a\r\n', 'p b\n', 'c']);
  assert.deepEqual(splitKeys(Buffer.from('数\tx')).map(String), ['数\t', 'x']);
  assert.deepEqual(splitKeys(Buffer.from('\x1b[A\r')).map(String), ['\x1b[A\r']);
});
