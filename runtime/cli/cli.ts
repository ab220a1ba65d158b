#!/usr/bin/env node
/**
 * `ts-pdb` command line.
 *
 * - `ts-pdb run app.ts [args...]`: runs a TypeScript or JavaScript program with the ts-pdb
 *   transform applied at load time (`node --import ts-pdb/register`) and debugging on
 *   (`IPDB_DEBUG=1` unless set); arguments, exit code and signals pass through.
 * - `ts-pdb ls [--job ID] [--json]`: the waiting sessions of this user, of every host with `IPDB_REGISTRY`
 *   (front-ends/shared/registry.ts, registry-table.ts).
 * - `ts-pdb attach [rank | path | host:port] [--job ID] [--host H]`: a client for a waiting socket session (attach.ts).
 * - `ts-pdb open FILE`: a session on the terminal over a snapshot file (front-ends/open-snapshot.ts);
 *   `ts-pdb open DIR [--rank N [--job ID]]`: a folder's snapshots, or the one of a rank (front-ends/snapshot-folder.ts);
 *   `--web`: the same session as web mode's page on 127.0.0.1 (front-ends/web/open-snapshot-web.ts).
 * - `ts-pdb dap [--port N]`: the Debug Adapter Protocol adapter for editors (dap/serve.ts).
 * - `ts-pdb --help`, `ts-pdb --version`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const HELP = `ts-pdb: post-mortem debugger for TypeScript on Node.js

Usage:
  ts-pdb run app.ts [args...]   run a program with the transform applied at load time and
                                debugging on (IPDB_DEBUG=1 unless set), and a session for an
                                exception nobody catches (IPDB_ON_UNCAUGHT=1 unless set);
                                TS_PDB_INSTRUMENT=all captures the locals of every function,
                                not only the marked ones
  ts-pdb ls [--job ID] [--json] the sessions of this user waiting for a client, grouped by job and
                                host: rank, pid, host, mode, address, age and error, the snapshot
                                the wait leaves (and a note when a console session waits on a socket:
                                its process runs in the background of the terminal); with
                                IPDB_REGISTRY, those of every host of the job (an entry whose host
                                stopped its heartbeat 15 s ago is marked gone); --job ID: that job's;
                                --json: the same as JSON, each entry with its state
  ts-pdb attach [rank | path | host:port] [--job ID] [--host H]
                                connect to a waiting socket session with line editing, history
                                and tab completion (no argument: the one waiting session; a rank:
                                on whichever host it waits, --job and --host choose among several;
                                a TCP session's token is taken from the registry; a web session is
                                opened in a browser at the URL that ls shows)
  ts-pdb open FILE              a session on the terminal over a snapshot file (*.tspdb.json.gz):
                                the locals of every frame after the process is gone; return,
                                retry and c say that the program is gone
  ts-pdb open DIR [--rank N [--job ID]]
                                list the snapshots in a folder (job, rank, host, pid, time,
                                error), or open the one of rank N (--job ID when the folder
                                holds several jobs)
  ts-pdb open --web FILE | --web DIR --rank N [--job ID]
                                the same session as a web page (web mode's), on 127.0.0.1 only
                                (IPDB_HOST is ignored), port IPDB_WEB_PORT + rank (default 4444);
                                the URL is in a box on stderr; q on the page, or Ctrl-C, ends it
  ts-pdb dap [--port N]         a Debug Adapter Protocol adapter for editors (VS Code, nvim-dap):
                                DAP on stdin and stdout; --port N: on 127.0.0.1:N instead (0: any
                                free port, printed), for this user only. Its attach request takes
                                {"rank": N} (with "job" or "host" to choose), {"address": PATH or
                                "host:port"}, {"ranks": "all"} (each rank a thread) or
                                {"snapshot": FILE}
  ts-pdb --help                 this text
  ts-pdb --version              the installed version

Get a session:
  1. mark a function: @attachOnError() on a method, or a // @debuggable comment before any function
  2. either run it with: npx ts-pdb run app.ts
     or build with the transformer: tsconfig "plugins": [{ "transform": "ts-pdb/transformer" }], then tspc,
     and run with IPDB_DEBUG=1 IPDB_MODE=console node dist/app.js
`;

/** Runs `node --import <register> script args`, mirroring its exit code or signal. */
function run(args: string[]): void {
  if (!args.length) {
    process.stderr.write(`ts-pdb run: which program? For example: npx ts-pdb run app.ts\n`);
    process.exitCode = 2;
    return;
  }
  // A program that is not there is a message and an exit code, as with node, not a session in
  // Node's module loader. (A first argument that is a Node option is left to node.)
  const script = args[0];
  if (!script.startsWith('-') && !findable(script)) {
    process.stderr.write(`ts-pdb run: cannot find ${script}: no such file (in ${process.cwd()})\n`);
    process.exitCode = 1;
    return;
  }
  const register = pathToFileURL(join(__dirname, '..', 'register', 'index.js')).href;
  // Debugging on, and a session for an exception nobody catches, unless the user says otherwise.
  const env = { ...process.env, IPDB_DEBUG: process.env.IPDB_DEBUG ?? '1', IPDB_ON_UNCAUGHT: process.env.IPDB_ON_UNCAUGHT ?? '1' };
  const child = spawn(process.execPath, [...process.execArgv, '--import', register, ...args], { stdio: 'inherit', env });
  // The terminal sends Ctrl-C to the whole group; the child handles it (a session prints a new prompt).
  process.on('SIGINT', () => {});
  // A stop sent to ts-pdb run alone (a process manager, `timeout`, a test) is meant for the program.
  for (const sig of ['SIGTERM', 'SIGHUP'] as const)
    process.on(sig, () => {
      child.kill(sig);
    });
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
}

/**
 * `ts-pdb open FILE`, or `ts-pdb open DIR [--rank N [--job ID]]`, on the terminal or with `--web`
 * as a page: the exit code (2: a usage mistake; 1: nothing to open, or no page came within
 * `IPDB_TIMEOUT`, one line; 0: a session ran or the folder was listed).
 */
function open(args: string[]): number {
  const usage = (why: string): number => {
    process.stderr.write(
      `ts-pdb open: ${why}. For example: npx ts-pdb open ts-pdb-dumps/FILE.tspdb.json.gz, or npx ts-pdb open ts-pdb-dumps --rank 0\n`,
    );
    return 2;
  };
  let target: string | undefined;
  let rank: number | undefined;
  let job: string | undefined;
  let web = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--web') web = true;
    else if (a === '--rank') {
      const n = Number(args[++i]);
      if (args[i] === undefined || args[i].trim() === '' || !Number.isInteger(n) || n < 0)
        return usage(`--rank takes a rank number (0, 1, ...)`);
      rank = n;
    } else if (a === '--job') {
      if (args[++i] === undefined) return usage('--job takes a job id');
      job = args[i];
    } else if (a.startsWith('-')) return usage(`unknown option ${a}`);
    else if (target !== undefined) return usage('one snapshot file or folder at a time');
    else target = a;
  }
  if (target === undefined) return usage('which snapshot?');
  const openOne = (file: string): number =>
    web
      ? (require('../front-ends/web/open-snapshot-web') as typeof import('../front-ends/web/open-snapshot-web')).openSnapshotWeb(file)
      : (require('../front-ends/open-snapshot') as typeof import('../front-ends/open-snapshot')).openSnapshotFile(file);
  let isDir = false;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    // not there: the reader says so in its one line
  }
  if (!isDir) {
    if (rank !== undefined || job !== undefined) return usage(`--rank and --job pick a snapshot in a folder; ${target} is not a folder`);
    return openOne(target);
  }
  const folder = require('../front-ends/snapshot-folder') as typeof import('../front-ends/snapshot-folder');
  let entries: import('../front-ends/snapshot-folder').FolderEntry[];
  try {
    entries = folder.listFolder(target);
  } catch (e) {
    process.stderr.write(`ts-pdb open: cannot list ${target}: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
  if (rank === undefined) {
    if (job !== undefined) return usage('--job goes with --rank N');
    if (web) return usage(`--web opens one snapshot: a file, or a folder with --rank N (${target} is a folder)`);
    process.stdout.write(folder.formatFolder(target, entries));
    return 0;
  }
  const pick = folder.pickSnapshot(target, entries, rank, job);
  if (!pick.ok) {
    process.stderr.write(`ts-pdb open: ${pick.error}\n`);
    return 1;
  }
  if (pick.note) process.stderr.write(pick.note);
  return openOne(pick.file);
}

/**
 * `ts-pdb ls [--job ID] [--json]`: the waiting sessions as a table grouped by job and host, or as a
 * JSON array of registry entries, each with its `state` (for editors and scripts).
 */
function ls(args: string[]): number {
  const usage = (why: string): number => {
    process.stderr.write(`ts-pdb ls: ${why}; usage: ts-pdb ls [--job ID] [--json]\n`);
    return 2;
  };
  let json = false;
  let job: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--json') json = true;
    else if (args[i] === '--job') {
      job = args[++i];
      if (job === undefined || job.trim() === '') return usage('--job takes a job id');
    } else return usage(`unknown argument ${JSON.stringify(args[i])}`);
  }
  const registry = require('../front-ends/shared/registry') as typeof import('../front-ends/shared/registry');
  const table = require('../front-ends/shared/registry-table') as typeof import('../front-ends/shared/registry-table');
  const entries = registry
    .list({ warn: (line) => process.stderr.write(`ts-pdb ls: ${line}; listing this host's private registry only\n`) })
    .filter((e) => job === undefined || e.job === job);
  process.stdout.write(json ? JSON.stringify(entries, null, 2) + '\n' : table.formatList(entries));
  return 0;
}

/** True when node could find `script`: the path itself, or with an extension its loader tries. */
function findable(script: string): boolean {
  const file = resolve(script);
  return ['', '.js', '.cjs', '.mjs', '.json', '.node', '.ts', '.cts', '.mts'].some((ext) => existsSync(file + ext));
}

const [command, ...rest] = process.argv.slice(2);
if (command === '--version' || command === '-v') {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  process.stdout.write(pkg.version + '\n');
} else if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(HELP);
} else if (command === 'run') {
  run(rest);
} else if (command === 'attach') {
  const { attachCommand } = require('./attach') as typeof import('./attach');
  void attachCommand(rest).then((code) => {
    process.exitCode = code;
  });
} else if (command === 'open') {
  process.exitCode = open(rest);
} else if (command === 'dap') {
  const { runDap } = require('../dap/serve') as typeof import('../dap/serve');
  void runDap(rest)?.then((code) => {
    process.exitCode = code;
  });
} else if (command === 'ls') {
  process.exitCode = ls(rest);
} else {
  process.stderr.write(`ts-pdb: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
  process.exitCode = 2;
}
