// Values that fight back (issue #7 item 4), end to end: a real program built by `ts-pdb run` throws
// from a marked function whose locals are getters that throw, Proxies with throwing traps, a revoked
// Proxy, cycles, a 1e6-element array, a 10 MB string, BigInt, symbol keys, a null prototype, private
// fields, Map and Set subclasses with their own getters, objects whose toString, Symbol.toPrimitive,
// Symbol.toStringTag and constructor throw, 100,000 keys and 100,000 levels of nesting. A real
// client drives the session over its socket (and the web page's protocol): every command answers,
// bounded, saying what it cut; none of the program's getters or traps runs (the program counts
// them); the session answers `p 1+1` afterwards; and `q` rethrows the same error, which the program
// catches and checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';
import { collect, linkedProject } from '../helpers/socket.mjs';
import { pageSocket, project, startProgram } from '../web/web-helpers.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');

const APP = `import { inspect } from 'node:util';
// What the program's own code was made to do while the session displayed its values.
const work = { getters: 0, traps: 0, custom: 0 };
(globalThis as any).work = work;
const boom = (what: string): never => { throw new Error(what + ' ran'); };

class Registry extends Map<string, number> {
  get size(): number { work.getters++; return boom('size getter'); }
  get [Symbol.toStringTag](): string { work.getters++; return boom('toStringTag getter'); }
  [Symbol.iterator](): any { work.getters++; return boom('iterator'); }
}
class Tags extends Set<string> {
  get size(): number { work.getters++; return boom('size getter'); }
  values(): any { work.getters++; return boom('values'); }
}
class Vault { #secret = 42; visible = 'yes'; peek() { return this.#secret; } }
const liar = {
  toString() { work.getters++; return boom('toString'); },
  [Symbol.toPrimitive]() { work.getters++; return boom('toPrimitive'); },
  get [Symbol.toStringTag]() { work.getters++; return boom('toStringTag getter'); },
  get constructor() { work.getters++; return boom('constructor getter'); },
};
// Each element of the big array runs this hook when shown: the count is the work done.
const element = { [inspect.custom]() { work.custom++; return 'el'; } };

let thrown: unknown;
// @debuggable
function hostile(reg: Registry, liar: object) {
  const big = new Array(1_000_000).fill(element);
  const huge = 'x'.repeat(10 * 1024 * 1024);
  const cyc: any = { name: 'cyc' }; cyc.self = cyc;
  const bad = { ok: 1, get boom() { work.getters++; return boom('getter'); } };
  const trap = () => { work.traps++; return boom('trap'); };
  const prox = new Proxy({ inside: 1 }, { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap, has: trap });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {}); revoke();
  const nul = Object.assign(Object.create(null), { k: 1 });
  const sym = { [Symbol('tag')]: 'symbol-keyed' };
  const n = 10n ** 30n;
  const priv = new Vault();
  const tags = new Tags(['x']);
  const many: Record<string, number> = {}; for (let i = 0; i < 100_000; i++) many['k' + i] = i;
  let deep: any = {}; for (let i = 0; i < 100_000; i++) deep = { d: deep };
  const err = new Error('hostile values');
  thrown = err;
  throw err;
}
try {
  hostile(new Registry([['a', 1], ['b', 2]]), liar);
} catch (e) {
  console.log(\`rethrown: same=\${e === thrown} message=\${(e as Error).message}\`);
}
`;

const PROMPT = '(rank-1-pdb) ';

/**
 * `app.ts` run by `ts-pdb run` as rank 1 in socket mode, and a client connected to it.
 * `run(line)` sends a command and resolves with its output (up to the next prompt).
 */
async function socketSession(t, source) {
  const dir = linkedProject('hostile-', source);
  const child = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CI: 'true',
      NO_COLOR: '1',
      IPDB_DEBUG: '1',
      RANK: '1',
      WORLD_SIZE: '2',
      IPDB_MODE: '',
      IPDB_TIMEOUT: '',
      IPDB_SOCK_PATH: path.join(dir, 'pdb.sock'),
      TS_PDB_HOME: path.join(dir, 'home'),
    },
  });
  t.after(() => killGroup(child));
  const out = collect(child.stdout, 'the program (stdout)');
  const err = collect(child.stderr, 'the program (stderr)');
  const exited = new Promise((resolve) => child.on('close', resolve));
  const where = (await err.until(/connect with: {2}nc -U (\S+)/))[1];
  const client = net.connect(where);
  const seen = collect(client, 'the client');
  const prompts = (text) => text.split(PROMPT).length - 1;
  await seen.until((text) => prompts(text) >= 1);
  const banner = seen.text;
  let expected = 1;
  const run = async (line) => {
    const from = seen.text.length;
    const want = ++expected;
    client.write(`${line}\n`);
    await seen.until((text) => prompts(text) >= want);
    return seen.text.slice(from, seen.text.lastIndexOf(PROMPT));
  };
  return { banner, run, out, err, exited, quit: () => client.write('q\n') };
}

test('socket: every command shows hostile values bounded and says what it cut; no getter or trap runs; q rethrows the same error', async (t) => {
  const s = await socketSession(t, APP);
  assert.match(s.banner, /Exception caught in hostile:\nError: hostile values\n/);

  // What the program's hook count is now, so that each display's own work can be measured.
  const custom = async () => Number((await s.run('p work.custom')).trim());
  const before = await custom();
  const big = await s.run('p big');
  assert.match(big, /^\[ el, el, [^\n]*, el, \.\.\. 999900 more items \]\n$/);
  assert.equal((await custom()) - before, 100, 'showing a 1e6-element array formats 100 of its elements, not a million');
  assert.match(await s.run('p huge'), /^'x{10000}'\.\.\. 10475760 more characters\n$/);
  assert.match(await s.run('p reg'), /^Registry\(2\) \[Map\] \{ 'a' => 1, 'b' => 2 \}\n$/);
  assert.match(await s.run('pp tags'), /^Tags\(1\) \[Set\] \{ 'x' \}\n$/);
  const liar = await s.run('p liar');
  assert.match(
    liar,
    /^\{ toString: \[Function: toString\], constructor: \[Getter\], .*\[?Symbol\(Symbol\.toStringTag\)\]?: \[Getter\] \}\n$/,
  );
  assert.match(await s.run('p bad'), /^\{ ok: 1, boom: \[Getter\] \}\n$/);
  assert.match(await s.run('p prox'), /^Proxy \[ \{ inside: 1 \}, \{ get: \[Function: trap\], /);
  assert.equal(await s.run('p revoked'), '<Revoked Proxy>\n');
  assert.equal(await s.run('p cyc'), "<ref *1> { name: 'cyc', self: [Circular *1] }\n");
  assert.equal(await s.run('p nul'), '[Object: null prototype] { k: 1 }\n');
  assert.match(await s.run('p sym'), /^\{ \[?Symbol\(tag\)\]?: 'symbol-keyed' \}\n$/);
  assert.equal(await s.run('p n'), '1000000000000000000000000000000n\n');
  assert.equal(await s.run('p priv'), "Vault { visible: 'yes' }\n");
  assert.equal(await s.run('p priv.peek()'), '42\n');
  assert.match(await s.run('p many'), /^\{ k0: 0, k1: 1, [^\n]*, k99: 99, \.\.\. 99900 more properties \}\n$/);
  assert.equal(await s.run('p deep'), '{ d: { d: { d: { d: [Object] } } } }\n');
  // Asked for every level: 100 are shown (as `p deep` shows 3), then `[Object]`.
  const infinite = await s.run('inspect deep Infinity');
  assert.equal(infinite.match(/d: /g).length, 101, 'a hundred levels and the cut');
  assert.match(infinite, /d: \[Object\]/);
  assert.ok(infinite.length <= 200_000, `inspect deep Infinity is ${infinite.length} characters`);
  assert.equal(await s.run('whatis reg'), 'Registry\n');

  const args = await s.run('a');
  assert.match(args, /^reg = Registry\(2\) \[Map\] \{ 'a' => 1, 'b' => 2 \}\nliar = \{ toString: /);
  assert.equal(await s.run('display reg'), "display reg: Registry(2) [Map] { 'a' => 1, 'b' => 2 }\n");
  assert.match(await s.run('display'), /^Currently displaying:\nreg: Registry\(2\) \[Map\]/);

  // One line for every local, each cut as it is alone; the whole bounded.
  const locals = await s.run('p locals()');
  assert.ok(locals.length <= 20_000, `p locals() is ${locals.length} characters`);
  for (const part of [
    /big: \[ el, [^\n]*\.\.\. 999900 more items \]/,
    /huge: 'x{10000}'\.\.\. 10475760 more characters/,
    /reg: Registry\(2\) \[Map\]/,
    /tags: Tags\(1\) \[Set\]/,
    /many: \{ k0: 0, [^\n]*\.\.\. 99900 more properties \}/,
    /prox: Proxy \[/,
    /revoked: <Revoked Proxy>/,
    /deep: \{ d: \{ d: \{ d: \[Object\] \} \} \}/,
  ]) {
    assert.match(locals, part);
  }
  const pretty = await s.run('pp locals()');
  assert.ok(pretty.length <= 200_000, `pp locals() is ${pretty.length} characters`);
  assert.match(pretty, /\.\.\. 999800 more items/);
  assert.match(await s.run('w'), /> app\.ts\(\d+\)hostile\(\)/);

  // The program's own code ran only where p asks for it: the element hooks (100 per display of big).
  const work = await s.run('p work');
  const counts = /^\{ getters: (\d+), traps: (\d+), custom: (\d+) \}\n$/.exec(work);
  assert.ok(counts, work);
  assert.equal(Number(counts[1]), 0, 'no getter, toString or iterator of the program ran');
  assert.equal(Number(counts[2]), 0, 'no Proxy trap ran');
  assert.ok(Number(counts[3]) <= 1000, `the element hooks ran ${counts[3]} times`);

  assert.equal(await s.run('p 1+1'), '2\n', 'the session still answers');
  s.quit();
  await s.out.until(/rethrown: same=true message=hostile values\n/);
  assert.equal(await s.exited, 0);
});

const HUGE_MESSAGE = `// @debuggable
function fail(lines: number) {
  const local = 'still here';
  throw new Error(Array.from({ length: lines }, (_, i) => \`line \${i} \${'m'.repeat(50)}\`).join('\\n'));
}
try {
  fail(200_000);
} catch (e) {
  console.log(\`rethrown: message of \${(e as Error).message.length} characters\`);
}
`;

test('socket: an error whose message is 200,000 lines (11 MB): the banner shows 50 of them and says what it cut', async (t) => {
  const s = await socketSession(t, HUGE_MESSAGE);
  assert.match(s.banner, /Exception caught in fail:\nError: line 0 m+\nline 1 m+\n/);
  assert.match(s.banner, /\nline 49 m{50}\.\.\. \[199950 more lines, \d+ more characters cut\]\n {4}at fail /);
  assert.ok(s.banner.length < 10_000, `the banner is ${s.banner.length} characters`);
  assert.match(await s.run('exceptions'), /^> {3}0 Error: line 0 m+\n$/);
  assert.equal(await s.run('p local'), "'still here'\n");
  assert.equal(await s.run('p 1+1'), '2\n');
  s.quit();
  // 200,000 lines of `line N ` and 50 m's, joined: the message reached the program whole.
  const length = Array.from({ length: 200_000 }, (_, i) => `line ${i} `.length + 50).reduce((a, b) => a + b) + 199_999;
  await s.out.until(new RegExp(`rethrown: message of ${length} characters\n`));
});

test('web: the tree of locals previews every hostile value in one bounded line and lists their children without running program code', async (t) => {
  const program = startProgram(t, project(APP), { TS_PDB_INSTRUMENT: '' });
  const page = pageSocket(await program.url());
  const hello = await page.next('hello');
  const state = hello.state ?? (await page.next('state')).state;
  const nodes = Object.fromEntries(state.scopes.flatMap((s) => s.nodes).map((n) => [n.name, n]));
  for (const n of Object.values(nodes)) assert.ok(n.preview.length <= 200, `${n.name}: ${n.preview.length} characters`);
  assert.equal(nodes.reg.preview, "Registry(2) { 'a' => 1, 'b' => 2 }");
  assert.equal(nodes.tags.preview, "Tags(1) { 'x' }");
  assert.match(nodes.liar.preview, /^\{ toString: \[Function: toString\], constructor: \[Getter\]/);
  assert.match(nodes.big.preview, /^\[ el, el, .*\.\.\. 999980 more items \]$|…$/);
  assert.match(nodes.huge.preview, /^'x+…$/);
  assert.equal(nodes.prox.ref, undefined, 'a Proxy is a leaf');

  let id = 0;
  const children = async (node) => {
    page.send({ type: 'request', id: ++id, method: 'children', params: { ref: node.ref } });
    return (await page.next('answer', (m) => m.id === id)).result.nodes;
  };
  const reg = await children(nodes.reg);
  assert.deepEqual(
    reg.slice(0, 3).map((n) => `${n.name}=${n.preview}`),
    ['size=2', "0='a' => 1", "1='b' => 2"],
  );
  const liar = Object.fromEntries((await children(nodes.liar)).map((n) => [n.name, n]));
  assert.equal(liar.constructor.accessor, 'get');
  assert.equal(liar['Symbol(Symbol.toStringTag)'].accessor, 'get');
  const many = (await children(nodes.many)).filter((n) => n.type === 'range');
  assert.deepEqual(
    many.map((n) => n.range[1] - n.range[0]),
    Array(10).fill(10_000),
    '100,000 keys come as ten ranges of 10,000',
  );

  // A command is taken once the session prompts (the page waits for that too).
  let prompted = hello.prompt !== undefined;
  const command = async (line) => {
    if (!prompted) await page.next('prompt');
    prompted = false;
    // Output that came before the prompt (the session's opening lines) is not this command's.
    for (const m of page.seen) if (m.type === 'output') m.taken = true;
    page.send({ type: 'command', line });
    return (await page.next('output')).text;
  };
  assert.match(
    await command('p work'),
    /^\{ getters: 0, traps: 0, custom: 0 \}\n$/,
    "the tree ran none of the program's code, not even its inspect hooks",
  );
  assert.equal(await command('p 1+1'), '2\n');
  await page.next('prompt');
  page.send({ type: 'command', line: 'q' });
  await page.next('ended');
  await program.out.until(/rethrown: same=true message=hostile values\n/);
  assert.equal(await program.exited, 0);
});
