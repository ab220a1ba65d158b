// The pieces of web mode that need no server, in process: who may talk to a session
// (http-guard.ts), the lazy tree of values (value-tree.ts): paged, bounded, and never running
// program code (getters, Proxy traps, a subclass's own iterators); the hover's name chains and
// values (assets/source-words.js, hover-value.ts), and the console's first stack lines (web-banner.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';

const require = createRequire(import.meta.url);
const guard = require(path.join(ROOT, 'dist/runtime/front-ends/web/http-guard.js'));
const { ValueTree, PAGE, PREVIEW_WIDTH, preview } = require(path.join(ROOT, 'dist/runtime/engine/value-tree.js'));
const { overviewHtml } = require(path.join(ROOT, 'dist/runtime/front-ends/web/overview.js'));

test("Host: IP literals, localhost, the bound name and the machine's name pass; any other name is refused", () => {
  const ok = (h, bound = '127.0.0.1') => guard.hostAllowed(h, bound, 'box7');
  for (const h of ['127.0.0.1:4444', '127.0.0.1', 'localhost:4444', 'LOCALHOST', '[::1]:4444', '10.1.2.3:80', 'box7:4444', 'BOX7.:4444']) {
    assert.equal(ok(h), true, h);
  }
  assert.equal(ok('debug.lan:4444', 'debug.lan'), true, 'the bound name');
  for (const h of [
    undefined,
    '',
    'evil.example:4444',
    'localhost.evil.example',
    'x.localhost',
    '127.0.0.1.nip.io',
    'evil.example@127.0.0.1',
    '127.0.0.1/x',
    'a b',
  ]) {
    assert.equal(ok(h), false, String(h));
  }
});

test("Origin must be the page's own; a missing one is refused", () => {
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
  assert.deepEqual(
    top.filter((n) => n.type !== 'range').map((n) => n.name),
    ['length', '[[Prototype]]'],
  );
  const mid = tree.children(root.ref, 10_000, 20_000).nodes;
  assert.equal(mid.length, PAGE);
  assert.deepEqual(mid[3].range, [10_300, 10_400]);
  const leaf = tree.children(root.ref, 10_300, 10_400).nodes;
  assert.deepEqual(
    leaf.slice(0, 2).map((n) => [n.name, n.preview]),
    [
      ['10300', '10300'],
      ['10301', '10301'],
    ],
  );

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

test("the tree never runs program code: getters, Proxies, a Map subclass's own entries", () => {
  const tree = new ValueTree();
  let called = 0;
  const obj = {
    get risky() {
      called++;
      throw new Error('boom');
    },
    plain: 1,
  };
  const proxy = new Proxy(
    {},
    {
      ownKeys() {
        called++;
        return [];
      },
      get() {
        called++;
        return 1;
      },
    },
  );
  class Sneaky extends Map {
    entries() {
      called++;
      return [].values();
    }
    get size() {
      called++;
      return 0;
    }
  }
  const map = new Sneaky([['a', { deep: true }]]);
  // eslint-disable-next-line no-sparse-arrays -- the hole is what this row shows
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
  assert.deepEqual(
    tree.children(m[1].ref).nodes.map((n) => n.name),
    ['key', 'value'],
  );
  assert.deepEqual(
    tree
      .children(kids.sparse.ref)
      .nodes.slice(0, 3)
      .map((n) => n.preview),
    ['1', '<empty>', '3'],
  );
  assert.deepEqual(
    tree
      .children(kids.bytes.ref)
      .nodes.slice(0, 2)
      .map((n) => n.preview),
    ['7', '8'],
  );
  assert.equal(called, 0, 'no getter, trap or override ran');
  assert.equal(preview(Object.prototype), 'Object.prototype');
  assert.equal(preview(new RangeError('x\ny')), 'RangeError: x');
  assert.ok(preview('s'.repeat(1e6)).length <= PREVIEW_WIDTH);

  tree.reset();
  assert.throws(() => tree.children(h.ref), /earlier prompt/);
});

test("previews run no accessor of the program: a Map subclass's size and Symbol.toStringTag, an object's constructor getter", () => {
  let called = 0;
  const boom = () => {
    called++;
    throw new Error('program code ran');
  };
  class Registry extends Map {
    get size() {
      return boom();
    }
    get [Symbol.toStringTag]() {
      return boom();
    }
  }
  const liar = {
    get constructor() {
      return boom();
    },
    get [Symbol.toStringTag]() {
      return boom();
    },
    toString: boom,
  };
  const reg = new Registry([['a', liar]]);
  assert.equal(preview(reg), "Registry(1) { 'a' => [Object] }");
  assert.match(preview({ reg, liar }), /^\{ reg: \[Registry \[Map\]\], liar: \[Object\] \}$/);
  assert.match(preview([liar]), /^\[ \[Object\] \]$/);
  const tree = new ValueTree();
  const kids = tree.children(tree.node('reg', reg).ref).nodes;
  assert.equal(kids[0].preview, '1');
  // Node 24's util.inspect writes a symbol key without brackets.
  assert.match(
    kids[1].preview,
    /^'a' => \{ constructor: \[Getter\], toString: \[Function: boom\], \[?Symbol\(Symbol\.toStringTag\)\]?: \[Getter\] \}$/,
  );
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

// The hover (issue #9, item 5): which name is under the mouse (assets/source-words.js, the page's
// own module, loaded here as the browser loads it), and its value in a frame (hover-value.ts).
const { hoverValue } = require(path.join(ROOT, 'dist/runtime/engine/hover-value.js'));
const { tokenLines } = require(path.join(ROOT, 'dist/runtime/render/html-highlight.js'));
const { foldedStack } = require(path.join(ROOT, 'dist/runtime/front-ends/web/web-banner.js'));
const { readFileSync } = require('node:fs');
const sourceWords = () =>
  import(
    `data:text/javascript,${encodeURIComponent(readFileSync(path.join(ROOT, 'runtime/front-ends/web/assets/source-words.js'), 'utf8'))}`
  );

test('the name under the mouse: a chain of property names back to its root; nothing in strings, comments, keywords, or after a call', async () => {
  const { nameChainAt } = await sourceWords();
  const line = "  if (opts?.owner.name > this.id && f(x).y && a[0].b && super.z && 'str'.length && ...rest) throw new Error('lr'); // lr";
  const [tokens] = tokenLines([line]);
  const at = (needle, k = 0) => {
    const found = nameChainAt(tokens, line.indexOf(needle) + k);
    return found && found.path.join('.');
  };
  assert.equal(at('opts'), 'opts');
  assert.equal(at('owner', 2), 'opts.owner');
  assert.equal(at('name', 3), 'opts.owner.name');
  assert.equal(at('this'), 'this');
  assert.equal(at('id', 1), 'this.id');
  assert.equal(at('x)'), 'x');
  assert.equal(at('y &&'), null, 'f(x).y: only running f could say');
  assert.equal(at('b &&'), null, 'a[0].b');
  assert.equal(at('z &&'), null, 'super.z');
  assert.equal(at('length'), null, "'str'.length");
  assert.equal(at('rest'), 'rest', 'a spread is not a property access');
  assert.equal(at('throw'), null, 'a keyword');
  assert.equal(at("lr'"), null, 'a string');
  assert.equal(at('lr', line.lastIndexOf('lr') - line.indexOf('lr')), null, 'a comment');
  assert.equal(at(' > '), null, 'not a name');
  const found = nameChainAt(tokens, line.indexOf('name'));
  assert.deepEqual([found.start, found.wordStart, found.end], [line.indexOf('opts'), line.indexOf('name'), line.indexOf('name') + 4]);
});

test("hover values come from the frame's bindings, read from descriptors: no getter, no Proxy trap runs; locals only inside the function", () => {
  let called = 0;
  const count = () => {
    called++;
    return 'ran';
  };
  class Base {
    get label() {
      return count();
    }
    method() {}
  }
  const job = Object.assign(new Base(), {
    id: 'j1',
    owner: null,
    opts: {
      limit: 10,
      get lazy() {
        return count();
      },
    },
  });
  const proxy = new Proxy({ inner: 1 }, { get: count, getOwnPropertyDescriptor: count, getPrototypeOf: count, ownKeys: count });
  const binding = (name, value, kind = 'let') => [name, { name, kind, get: () => value, set() {} }];
  const frame = {
    meta: { line: 10, col: 2, endLine: 20, endCol: 3 },
    locals: new Map([binding('job', job), binding('proxy', proxy), binding('text', 'hello', 'const')]),
    closure: new Map([binding('scale', 2, 'closure')]),
    hasThis: true,
    thisValue: job,
    mod: { g: Object.defineProperties({}, { settings: { get: () => ({ retries: 3 }), enumerable: true } }) },
  };
  const tree = new ValueTree();
  const hover = (p, line = 12, col = 4) => hoverValue(frame, { line, col, path: p.split('.') }, tree);
  const shown = (p, ...rest) => {
    const a = hover(p, ...rest);
    return a.node ? [a.scope, a.node.name, a.node.preview] : (a.note ?? a.none);
  };
  assert.deepEqual(shown('job.opts.limit'), ['Locals', 'job.opts.limit', '10']);
  assert.deepEqual(shown('this.id'), ['this', 'this.id', "'j1'"]);
  assert.deepEqual(shown('scale'), ['Closure', 'scale', '2']);
  assert.deepEqual(shown('settings.retries'), ['Module', 'settings.retries', '3']);
  assert.deepEqual(shown('text.length'), ['Locals', 'text.length', '5']);
  assert.deepEqual(shown('job.method'), ['Locals', 'job.method', '[Function: method]']);
  assert.deepEqual(shown('job.nothing'), ['Locals', 'job.nothing', 'undefined']);
  assert.equal(hover('job').node.kind, 'let');
  assert.ok(hover('job').node.ref !== undefined, 'a value opens like a variable');
  // Getters: own, inherited; shown, not called. A name after a getter is not read.
  assert.equal(hover('job.opts.lazy').node.accessor, 'get');
  assert.equal(hover('job.label').node.accessor, 'get');
  assert.match(shown('job.label.length'), /job\.label is a getter: not called, so length is not read/);
  // A Proxy: a leaf; its properties are not read.
  assert.equal(hover('proxy').node.ref, undefined);
  assert.match(shown('proxy.inner'), /proxy is a Proxy: its properties are not read/);
  assert.match(shown('job.owner.name'), /job\.owner is null: it has no properties/);
  assert.equal(called, 0, 'no getter or trap ran');
  // Locals mean something inside the function only; module bindings anywhere in the file.
  assert.match(shown('job', 30, 0), /not a variable of this frame/);
  assert.match(shown('this', 9, 0), /not a variable of this frame/);
  assert.deepEqual(shown('settings', 30, 0).slice(0, 2), ['Module', 'settings']);
  // Not names, or too many of them: nothing.
  for (const p of [['a b'], ['#x'], [], Array(21).fill('a'), [1], 'job']) {
    assert.ok('none' in hoverValue(frame, { line: 12, col: 4, path: p }, tree), JSON.stringify(p));
  }
  assert.ok('none' in hoverValue(undefined, { line: 12, col: 4, path: ['job'] }, tree));
});

test("the page's first stack lines: original locations, runs of node internals folded, at most BANNER_FRAMES lines", () => {
  const frame = (name, kind, file, line) => ({
    name,
    kind,
    file,
    line,
    col: 3,
    stack: { kind, name, text: `at ${name} (${file}:${line}:4)`, isAsync: false, isConstructor: false },
  });
  const frames = [
    frame('check', 'file', path.join(process.cwd(), 'src/app.ts'), 18),
    frame('a', 'node', 'node:internal/x', 1),
    frame('b', 'node', 'node:internal/y', 2),
    frame('main', 'file', '/elsewhere/main.ts', 5),
    frame('c', 'node', 'node:internal/z', 3),
  ];
  assert.equal(
    foldedStack(frames),
    `    at check (${path.join('src', 'app.ts')}:18:4)\n    [2 node-internal frames]\n    at main (/elsewhere/main.ts:5:4)\n    [1 node-internal frame]\n`,
  );
  const deep = Array.from({ length: 100 }, (_, i) => frame(`f${i}`, 'file', '/a.ts', i + 1));
  const text = foldedStack(deep);
  assert.equal(text.split('\n').filter((l) => l.startsWith('    at ')).length, 30);
  assert.match(text, / {4}\.\.\. 70 more frames \(w lists them\)\n$/);
});
