// The README's "In your editor" section, taken from README.md itself: its launch.json is what the
// VS Code extension offers (editors/vscode/package.json's snippets, the same configurations) and
// every attribute it names is one the extension's schema knows; its build commands are the
// extension's own scripts and name the .vsix they write (test/editors/vscode.test.mjs builds it);
// its nvim-dap adapters run as written: the `executable` one (`npx ts-pdb dap`, in a project with
// ts-pdb installed) and the `server` one (`npx ts-pdb dap --port N`, the port made free) each
// answer a real DAP client, attach to a real snapshot and give its stack at the TypeScript line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { ROOT } from '../helpers/build.mjs';
import { block, commands, section } from '../helpers/readme.mjs';
import { collect } from '../helpers/socket.mjs';
import { cleanup, snapshotOf, WAIT_MS } from '../dap/dap-helpers.mjs';

const EDITORS = section('## In your editor: VS Code, Neovim and every DAP editor');
const LAUNCH = JSON.parse(block(EDITORS, 'json', /"configurations"/));
const BUILD = commands(block(EDITORS, 'sh', /npm run package/));
const LUA = block(EDITORS, 'lua', /dap\.adapters/);
const EXT = JSON.parse(fs.readFileSync(path.join(ROOT, 'editors', 'vscode', 'package.json'), 'utf8'));

test("the README's launch.json is the extension's three configurations, every attribute one its schema knows", () => {
  const debuggerEntry = EXT.contributes.debuggers.find((d) => d.type === 'ts-pdb');
  assert.ok(debuggerEntry, 'the extension contributes the debug type ts-pdb');
  assert.deepEqual(LAUNCH.configurations, debuggerEntry.initialConfigurations);
  const known = Object.keys(debuggerEntry.configurationAttributes.attach.properties);
  const named = [...EDITORS.matchAll(/`"(\w+)"(?:`|: )/g)]
    .map((m) => m[1])
    .filter((n) => !['type', 'request', 'name', 'pick', 'all'].includes(n));
  assert.ok(new Set(named).size >= 7, `the prose names the attributes: ${named}`);
  for (const name of named) assert.ok(known.includes(name), `"${name}" is an attribute of the extension's attach schema`);
});

test("the README's VS Code build commands are the extension's scripts and name the .vsix they write", () => {
  assert.deepEqual(BUILD[0].split(' && '), ['cd ts-pdb/editors/vscode', 'npm ci', 'npm run package']);
  assert.ok(EXT.scripts.package.startsWith('vsce package'), 'npm run package runs vsce');
  const vsix = `${EXT.name}-${EXT.version}.vsix`;
  assert.match(EDITORS, new RegExp(`writes ${vsix.replace(/\./g, '\\.')}`));
  assert.equal(BUILD[1], `code --install-extension ${vsix}`);
});

/** A project with ts-pdb installed as npm installs it (node_modules/ts-pdb and its bin), and a snapshot of its app. */
function projectWithSnapshot() {
  const { dir, file } = snapshotOf();
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  fs.symlinkSync(path.join('..', 'ts-pdb', 'dist', 'runtime', 'cli', 'cli.js'), path.join(dir, 'node_modules', '.bin', 'ts-pdb'));
  return { dir, file };
}

/** Attaches `dc` to `file` and returns the first frame of the stack. */
async function firstFrame(dc, file) {
  await dc.initializeRequest({ adapterID: 'ts-pdb', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const stopped = dc.waitForEvent('stopped', WAIT_MS);
  await dc.attachRequest({ snapshot: file });
  await dc.configurationDoneRequest();
  const { body } = await stopped;
  const stack = await dc.stackTraceRequest({ threadId: body.threadId });
  return stack.body.stackFrames[0];
}

test("nvim-dap's executable adapter, as the README writes it, attaches to a snapshot and gives its stack", async (t) => {
  const m = /type = 'executable', command = '([^']+)', args = \{ ([^}]*) \}/.exec(LUA);
  assert.ok(m, LUA);
  const args = [...m[2].matchAll(/'([^']+)'/g)].map((a) => a[1]);
  assert.deepEqual([m[1], ...args], ['npx', 'ts-pdb', 'dap']);
  const { dir, file } = projectWithSnapshot();
  cleanup(t, dir);
  // As nvim-dap runs it: the command in the project's folder, DAP on its stdio.
  const dc = new DebugClient(m[1], args.join(' '), 'ts-pdb', { cwd: dir, shell: true, env: { ...process.env, NO_COLOR: '1' } });
  await dc.start();
  t.after(() => dc.stop());
  const frame = await firstFrame(dc, file);
  assert.match(frame.source.path, /app\.ts$/);
  assert.ok(frame.line > 0);
});

test("nvim-dap's server adapter: the README's `npx ts-pdb dap --port N` listens on loopback and serves a DAP client", async (t) => {
  const start = /start `(npx ts-pdb dap --port) (\d+)` yourself/.exec(LUA);
  const server = /type = 'server', host = '([\d.]+)', port = (\d+)/.exec(LUA);
  assert.ok(start && server, LUA);
  assert.equal(start[2], server[2], 'the port started is the port nvim-dap connects to');
  assert.equal(server[1], '127.0.0.1');
  const { dir, file } = projectWithSnapshot();
  cleanup(t, dir);
  // The README's command with a free port (0) instead of its example's fixed one.
  const [cmd, ...args] = `${start[1]} 0`.split(' ');
  // npx runs the adapter as its child: the group is killed, or the adapter outlives the test.
  const adapter = spawn(cmd, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let dc;
  t.after(async () => {
    await dc?.stop(); // before the adapter goes, or its socket resets under the client
    process.kill(-adapter.pid, 'SIGKILL');
  });
  const out = collect(adapter.stdout, 'ts-pdb dap --port 0');
  const port = Number((await out.until(/listening on 127\.0\.0\.1:(\d+)/))[1]);
  dc = new DebugClient(process.execPath, '', 'ts-pdb');
  await dc.start(port);
  const frame = await firstFrame(dc, file);
  assert.match(frame.source.path, /app\.ts$/);
});
