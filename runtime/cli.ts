#!/usr/bin/env node
/**
 * `ts-pdb` command line. Sub-commands arrive with later work (`run`, `ls`, `attach`); today it
 * says what it can do and how to get a session.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const HELP = `ts-pdb: post-mortem debugger for TypeScript on Node.js

Usage:
  ts-pdb --help       this text
  ts-pdb --version    the installed version

Get a session:
  1. mark a function: @attachOnError() on a method, or a // @debuggable comment before any function
  2. build with the transformer: tsconfig "plugins": [{ "transform": "ts-pdb/transformer" }], then tspc
  3. run with IPDB_DEBUG=1 IPDB_MODE=console node dist/app.js
`;

const arg = process.argv[2];
if (arg === '--version' || arg === '-v') {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  process.stdout.write(pkg.version + '\n');
} else if (arg === undefined || arg === '--help' || arg === '-h' || arg === 'help') {
  process.stdout.write(HELP);
} else {
  process.stderr.write(`ts-pdb: unknown command ${JSON.stringify(arg)}\n\n${HELP}`);
  process.exitCode = 2;
}
