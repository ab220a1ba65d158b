// The README's command list, generated from the command table (never kept by hand).
// `node test/helpers/command-docs.mjs --write` (npm run docs) rewrites the README section.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './build.mjs';

const require = createRequire(import.meta.url);
const START = '<!-- commands:start (generated from runtime/engine/commands by `npm run docs`; do not edit by hand) -->';
const END = '<!-- commands:end -->';

/** Markdown table of every command: usage, aliases, help. */
export function renderCommands() {
  const { TABLE } = require(join(ROOT, 'dist/runtime/engine/commands/index.js'));
  const cell = (s) =>
    s
      .replace(/\|/g, '\\|')
      .replace(/\s*\n\s*/g, ' ')
      .trim();
  const rows = TABLE.commands.map((c) => `| \`${cell(c.usage)}\` | ${cell(c.help)} |`);
  return ['| command | what it does |', '|---|---|', ...rows].join('\n');
}

/** The README text with its command section replaced by the generated one. */
export function readmeWithCommands(readme = readFileSync(join(ROOT, 'README.md'), 'utf8')) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error('README.md has no commands:start/commands:end markers');
  return readme.slice(0, a + START.length) + '\n' + renderCommands() + '\n' + readme.slice(b);
}

if (process.argv.includes('--write')) {
  writeFileSync(join(ROOT, 'README.md'), readmeWithCommands());
  console.log('README.md: command list regenerated');
}
