// The pieces of web mode that need no server, in process: who may talk to a session
// (http-guard.ts), and the lazy tree of values (value-tree.ts): paged, bounded, and never running
// program code (getters, Proxy traps, a subclass's own iterators).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';

const require = createRequire(import.meta.url);
const guard = require(path.join(ROOT, 'dist/runtime/web/http-guard.js'));
const { ValueTree, PAGE, PREVIEW_WIDTH, preview } = require(path.join(ROOT, 'dist/runtime/web/value-tree.js'));
const { overviewHtml } = require(path.join(ROOT, 'dist/runtime/web/overview.js'));

test('Host: IP literals, localhost, the bound name and the machine\'s name pass; any other name is refused', () => {
  const ok = (h, bound = '127.0.0.1') => guard.hostAllowed(h, bound, 'box7');
  for (const h of ['127.0.0.1:4444', '127.0.0.1', 'localhost:4444', 'LOCALHOST', '[::1]:4444', '10.1.2.3:80', 'box7:4444', 'BOX7.:4444']) {
    assert.equal(ok(h), true, h);
  }
  assert.equal(ok('debug.lan:4444', 'debug.lan'), true, 'the bound name');
  for (const h of [undefined, '', 'evil.example:4444', 'localhost.evil.example', 'x.localhost', '127.0.0.1.nip.io', 'evil.example@127.0.0.1', '127.0.0.1/x', 'a b']) {
    assert.equal(ok(h), false, String(h));
  }
});

test('Origin must be the page\'s own; a missing one is refused', () => {
  assert.equal(guard.originAllowed('http://127.0.0.1:4444', '127.0.0.1:4444'), true);
  assert.equal(guard.originAllowed('http://localhost:4444', 'localhost:4444'), true);
  assert.equal(guard.originAllowed('http://evil.example', '127.0.0.1:4444'), false);
  assert.equal(guard.originAllowed('http://127.0.0.1:4445', '127.0.0.1:4444'), false);
  assert.equal(guard.originAllowed('null', '127.0.0.1:4444'), false);
  assert.equal(guard.originAllowed('file://', '127.0.0.1:4444'), false);
  assert.equal(guard.originAllowed(undefined, '127.0.0.1:4444'), false);
});

test('tokens: equal strings only (constant time); no token set: nothing asked', () => {
  const token = 'a'.repeat(32);
  assert.equal(guard.tokenMatches(token, token), true);
  assert.equal(guard.tokenMatches('a'.repeat(31), token), false);
  assert.equal(guard.tokenMatches(null, token), false);
  assert.equal(guard.tokenMatches(null, undefined), true);
  assert.equal(guard.isLoopback('127.0.0.1'), true);
  assert.equal(guard.isLoopback('::1'), true);
  assert.equal(guard.isLoopback('0.0.0.0'), false);
  assert.equal(guard.isLoopback('192.168.1.5'), false);
});

test('the tree pages a 1e6-element array in ranges of powers of a hundred, and a 1e5-key object too', () => {
  const tree = new ValueTree();
  const big = Array.from({ length: 1_000_000 }, (_, i) => i);
  const root = tree.node('big', big);
  assert.ok(root.preview.length <= PREVIEW_WIDTH);
  const top = tree.children(root.ref).nodes;
  const ranges = top.filter((n) => n.type === 'range');
  assert.equal(ranges.length, PAGE);
  assert.deepEqual(ranges[1].range, [10_000, 20_000]);
  assert.deepEqual(top.filter((n) => n.type !== 'range').map((n) => n.name), ['length', '[[Prototype]]']);
  const mid = tree.children(root.ref, 10_000, 20_000).nodes;
  assert.equal(mid.length, PAGE);
  assert.deepEqual(mid[3].range, [10_300, 10_400]);
  const leaf = tree.children(root.ref, 10_300, 10_400).nodes;
  assert.deepEqual(leaf.slice(0, 2).map((n) => [n.name, n.preview]), [['10300', '10300'], ['10301', '10301']]);

  const wide = {};
  for (let i = 0; i < 100_000; i++) wide[`k${i}`] = i;
  const w = tree.node('wide', wide);
  const props = tree.children(w.ref).nodes;
  assert.equal(props.length, 11, '10 ranges of 10,000 keys and the prototype');
  assert.equal(props[0].name, 'properties [0 … 9999]');
  const started = Date.now();
  for (let k = 0; k < 20; k++) tree.children(w.ref, 0, 100);
  assert.ok(Date.now() - started < 1000, 'the keys are listed once per handle, not per page');
  assert.equal(tree.children(w.ref, 50, 51).nodes[0].name, 'k50');
});

test('the tree never runs program code: getters, Proxies, a Map subclass\'s own entries', () => {
  const tree = new ValueTree();
  let called = 0;
  const obj = { get risky() { called++; throw new Error('boom'); }, plain: 1 };
  const proxy = new Proxy({}, { ownKeys() { called++; return []; }, get() { called++; return 1; } });
  class Sneaky extends Map { entries() { called++; return [].values(); } get size() { called++; return 0; } }
  const map = new Sneaky([['a', { deep: true }]]);
  const holder = { obj, proxy, map, sparse: [1, , 3], bytes: new Uint8Array([7, 8]) };
  const h = tree.node('holder', holder);
  const kids = Object.fromEntries(tree.children(h.ref).nodes.map((n) => [n.name, n]));
  assert.equal(kids.proxy.ref, undefined, 'a Proxy has no children to open');
  assert.match(kids.proxy.preview, /Proxy/);
  const o = Object.fromEntries(tree.children(kids.obj.ref).nodes.map((n) => [n.name, n]));
  assert.equal(o.risky.accessor, 'get');
  assert.equal(o.plain.preview, '1');
  const m = tree.children(kids.map.ref).nodes;
  assert.equal(m[0].name, 'size');
  assert.equal(m[0].preview, '1');
  assert.equal(m[1].preview, "'a' => { deep: true }");
  assert.deepEqual(tree.children(m[1].ref).nodes.map((n) => n.name), ['key', 'value']);
  assert.deepEqual(tree.children(kids.sparse.ref).nodes.slice(0, 3).map((n) => n.preview), ['1', '<empty>', '3']);
  assert.deepEqual(tree.children(kids.bytes.ref).nodes.slice(0, 2).map((n) => n.preview), ['7', '8']);
  assert.equal(called, 0, 'no getter, trap or override ran');
  assert.equal(preview(Object.prototype), 'Object.prototype');
  assert.equal(preview(new RangeError('x\ny')), 'RangeError: x');
  assert.ok(preview('s'.repeat(1e6)).length <= PREVIEW_WIDTH);

  tree.reset();
  assert.throws(() => tree.children(h.ref), /earlier prompt/);
});

test('previews run no accessor of the program: a Map subclass\'s size and Symbol.toStringTag, an object\'s constructor getter', () => {
  let called = 0;
  const boom = () => { called++; throw new Error('program code ran'); };
  class Registry extends Map { get size() { return boom(); } get [Symbol.toStringTag]() { return boom(); } }
  const liar = { get constructor() { return boom(); }, get [Symbol.toStringTag]() { return boom(); }, toString: boom };
  const reg = new Registry([['a', liar]]);
  assert.equal(preview(reg), "Registry(1) { 'a' => [Object] }");
  assert.match(preview({ reg, liar }), /^\{ reg: \[Registry \[Map\]\], liar: \[Object\] \}$/);
  assert.match(preview([liar]), /^\[ \[Object\] \]$/);
  const tree = new ValueTree();
  const kids = tree.children(tree.node('reg', reg).ref).nodes;
  assert.deepEqual(kids.slice(0, 2).map((n) => n.preview), ['1', "'a' => { constructor: [Getter], toString: [Function: boom], [Symbol(Symbol.toStringTag)]: [Getter] }"]);
  assert.equal(called, 0, 'no getter or method of the program ran');
});

test('the overview escapes what it shows and links web sessions (with tokens only when asked)', () => {
  const entries = [
    { rank: 0, pid: 11, host: 'h', mode: 'web', address: 'http://h:4444/', token: 'abc', error: '<script>x</script>', since: 0 },
    { rank: 1, pid: 12, host: 'h', mode: 'socket', address: '/tmp/pdb.sock.1', error: 'E', since: 0 },
  ];
  const html = overviewHtml(entries, { pid: 11, now: 5000 });
  assert.ok(!html.includes('<script>x'), 'escaped');
  assert.match(html, /&lt;script&gt;x&lt;\/script&gt;/);
  assert.match(html, /<a href="http:\/\/h:4444\/">/);
  assert.match(html, /needs its token/);
  assert.match(html, /nc -U \/tmp\/pdb\.sock\.1/);
  assert.match(overviewHtml(entries, { pid: 11, withTokens: true }), /href="http:\/\/h:4444\/\?token=abc"/);
});
