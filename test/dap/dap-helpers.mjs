// Shared by the DAP tests (test/dap/): `ts-pdb dap` (the built bin) driven by
// @vscode/debugadapter-testsupport's DebugClient over stdio as VS Code runs it, or over loopback TCP
// as nvim-dap's `server` adapter connects; every message the adapter sends checked against the
// protocol's schema (dap-schema.mjs); snapshot files of real programs run with `ts-pdb run` in dump
// mode, as a user's CI leaves them.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CLI } from '../helpers/run-program.mjs';
import { collect, linkedProject, WAIT_MS } from '../helpers/socket.mjs';
import { protocolChecker } from './dap-schema.mjs';

const require = createRequire(import.meta.url);
const { DebugClient } = require('@vscode/debugadapter-testsupport');

export { CLI, WAIT_MS };

/** The schema check, generated once per test file. */
let checker;
export function checkMessage(message) {
  checker ??= protocolChecker();
  return checker(message);
}

/**
 * A program with a class, a method (`this`), a closure, a module binding, a big array and a Map,
 * whose error has a cause: with TS_PDB_INSTRUMENT=all every frame between the throw and the
 * boundary (checkout) has its locals.
 */
export const APP = `const LIMIT = 10;

class Cart {
  items = Array.from({ length: 600 }, (_, i) => ({ sku: \`s\${i}\`, qty: i % 3 }));
  constructor(public owner: string) { Object.defineProperty(this, 'audit', { get: () => { throw new Error('a getter ran'); }, enumerable: true }); }

  total(rate: number) {
    const big = new Map(this.items.map((x) => [x.sku, x.qty]));
    const sum = this.items.reduce((a, b) => a + b.qty, 0);
    const check = () => {
      if (sum > LIMIT) throw new RangeError(\`sum \${sum} is over \${LIMIT}\`, { cause: new Error('the inner cause') });
    };
    check();
    return sum * rate + big.size;
  }
}

// @debuggable
function checkout(owner: string) {
  const cart = new Cart(owner);
  return cart.total(1.5);
}

console.log(checkout(process.argv[2] ?? 'bob'));
`;

/**
 * Runs `source` as app.ts with `ts-pdb run` in dump mode (every function instrumented) in a fresh
 * project and returns `{ dir, file }`: the project and the snapshot its stop wrote.
 */
export function snapshotOf(source = APP, prefix = 'dap-snap-', env = {}) {
  const dir = linkedProject(prefix, source);
  const r = spawnSync(process.execPath, [CLI, 'run', 'app.ts'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      CI: 'true',
      NO_COLOR: '1',
      IPDB_MODE: 'dump',
      TS_PDB_INSTRUMENT: 'all',
      TS_PDB_HOME: path.join(dir, 'home'),
      ...env,
    },
  });
  const m = /snapshot written: (\S+\.tspdb\.json\.gz)/.exec(r.stderr);
  assert.ok(m, `the program left a snapshot\n${r.stderr}`);
  return { dir, file: path.join(dir, m[1]) };
}

/**
 * Starts `ts-pdb dap` (stdio, or `{ port: true }`: `ts-pdb dap --port 0` and a TCP connection to
 * the port it prints) and a DebugClient on it. Every message the adapter sends is kept
 * (`messages`) and checked against the schema (`problems`). `t.after` stops both.
 * @returns `{ dc, messages, problems, adapter, stderr, port }`
 */
export async function startAdapter(t, { port = false, cwd, env = {} } = {}) {
  const merged = { ...process.env, NO_COLOR: '1', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  let dc;
  let adapter;
  let stderr;
  let tcpPort;
  if (port) {
    adapter = spawn(process.execPath, [CLI, 'dap', '--port', '0'], { cwd, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = collect(adapter.stdout, 'ts-pdb dap --port 0 (stdout)');
    stderr = collect(adapter.stderr, 'ts-pdb dap --port 0 (stderr)');
    tcpPort = Number((await out.until(/^ts-pdb dap: listening on 127\.0\.0\.1:(\d+)\n/))[1]);
    dc = new DebugClient(process.execPath, CLI, 'ts-pdb');
    await dc.start(tcpPort);
  } else {
    // As VS Code's DebugAdapterExecutable runs it: the bin, with `dap`, on stdio.
    dc = new DebugClient(CLI, 'dap', 'ts-pdb', { cwd, env: merged });
    await dc.start();
    adapter = dc._adapterProcess;
    stderr = collect(adapter.stderr, 'ts-pdb dap (stderr)');
  }
  dc.defaultTimeout = WAIT_MS;
  boundRequests(dc, adapter, stderr);
  const { messages, problems } = watchMessages(dc);
  const exited = new Promise((resolve) => {
    if (adapter.exitCode !== null) resolve(adapter.exitCode);
    else adapter.on('exit', (code, signal) => resolve(code ?? signal));
  });
  // A test may kill the adapter or close its pipes: writing to them then must not fail the run.
  adapter.stdin?.on('error', () => {});
  t.after(async () => {
    try {
      if (adapter.exitCode === null && adapter.signalCode === null)
        await Promise.race([dc.stop(), new Promise((r) => setTimeout(r, 2000))]);
    } finally {
      adapter.kill('SIGKILL');
    }
  });
  return { dc, messages, problems, adapter, stderr, exited, port: tcpPort };
}

/**
 * DebugClient waits for ever for an answer: here a request fails after {@link WAIT_MS}, or as soon
 * as the adapter exits, with what it said on stderr (a test then fails with the reason, never hangs).
 */
function boundRequests(dc, adapter, stderr) {
  const send = dc.send.bind(dc);
  dc.send = (command, args) => {
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${command} within ${WAIT_MS} ms; stderr: ${stderr.text}`)), WAIT_MS);
    });
    return Promise.race([send(command, args), late]).finally(() => clearTimeout(timer));
  };
  adapter.on('exit', (code, signal) => {
    for (const [seq, answer] of dc.pendingRequests) {
      dc.pendingRequests.delete(seq);
      answer({ success: false, message: `the adapter exited (${code ?? signal}) before answering; stderr: ${stderr.text}` });
    }
  });
}

/** Keeps every message the adapter sends `dc` (`messages`) and checks each against the schema (`problems`). */
export function watchMessages(dc) {
  const messages = [];
  const problems = [];
  const dispatch = dc.dispatch.bind(dc);
  dc.dispatch = (body) => {
    const message = JSON.parse(body);
    messages.push(message);
    problems.push(...checkMessage(message));
    dispatch(body);
  };
  return { messages, problems };
}

/** initialize as VS Code sends it (paths, 1-based lines and columns, types, invalidated events), unless `args` say otherwise. */
export function initialize(dc, args = {}) {
  return dc.initializeRequest({
    adapterID: 'ts-pdb',
    clientID: 'vscode',
    pathFormat: 'path',
    linesStartAt1: true,
    columnsStartAt1: true,
    supportsVariableType: true,
    supportsInvalidatedEvent: true,
    ...args,
  });
}

/**
 * initialize, attach with `args`, configurationDone, and the first `stopped` event (of each of
 * `threads` threads): the sequence an editor runs. Returns the attach response and the stopped events.
 */
export async function attach(dc, args, { threads = 1, init = {} } = {}) {
  await initialize(dc, init);
  const initialized = dc.waitForEvent('initialized');
  const response = await dc.attachRequest(args);
  await initialized;
  const stopped = waitForEvents(dc, 'stopped', threads);
  await dc.configurationDoneRequest();
  return { response, stopped: await stopped };
}

/** The next `n` events named `name` (their bodies in order). */
export function waitForEvents(dc, name, n, timeout = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => {
      dc.removeListener(name, on);
      reject(new Error(`${got.length} of ${n} '${name}' events within ${timeout} ms`));
    }, timeout);
    const on = (e) => {
      got.push(e);
      if (got.length === n) {
        clearTimeout(timer);
        dc.removeListener(name, on);
        resolve(got);
      }
    };
    dc.on(name, on);
  });
}

/** The message of a request that must fail (the error response's `message`). */
export async function refused(promise) {
  try {
    await promise;
  } catch (e) {
    return e.message;
  }
  assert.fail('the request succeeded; it should have been refused');
}

/** The variables of a reference, as `{ name: variable }`. */
export async function variablesOf(dc, variablesReference, extra = {}) {
  const r = await dc.variablesRequest({ variablesReference, ...extra });
  return Object.fromEntries(r.body.variables.map((v) => [v.name, v]));
}

/** Removes a scratch project when the test ends. */
export function cleanup(t, dir) {
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
}
