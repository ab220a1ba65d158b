// A whole session on a snapshot: a real error captured by the instrumented fixtures, its snapshot
// taken, written as the file holds it (gzip JSON) and read back, and the engine run on the snapshot
// frame source. Each command prints what the live session prints for the same frames; what needs
// the program says that it is gone.
import assert from 'node:assert/strict';
import test from 'node:test';
import { bannerText, Session, shop, shopCjs, transcriptOf } from '../transcripts/harness.mjs';
import { liveAndSnapshot } from './helpers.mjs';

const CART = [
  { name: 'pen', price: 2, qty: 3 },
  { name: 'ink', price: 5, qty: 1 },
];

/** The same commands on the live session and on the snapshot's: both transcripts. */
function both(live, source, commands) {
  const run = (src) => transcriptOf(new Session(src, {}), [...commands, 'q']).text;
  return { live: run(live), snap: run(source) };
}

for (const [name, mod] of [
  ['ESM', shop],
  ['CommonJS', shopCjs],
]) {
  test(`${name} fixture: w, a, p, ll, u, d, whatis, exceptions print as in the live session`, async () => {
    const { live, source } = await liveAndSnapshot(() => mod.checkout(CART, undefined), { stackLimit: 3 });
    const commands = [
      'w',
      'a',
      'p codes',
      'p total * 2',
      'p locals()',
      'll',
      'u',
      'a',
      'p cart[1].price * 4',
      'whatis cart',
      'l',
      'd',
      'exceptions',
      'p TAX_RATE',
      'p globals().orderCount',
    ];
    const { live: l, snap: s } = both(live, source, commands);
    assert.equal(s, l);
    // And it is a real session, not empty output compared with empty output.
    assert.match(s, /> test\/transcripts\/fixtures\/src\/shop\.ts\(28\)applyCoupon\(\)/);
    assert.match(s, /ipdb> p cart\[1\]\.price \* 4\n20\n/);
    assert.match(s, /ipdb> p TAX_RATE\n0\.2\n/);
  });
}

test('the banner of a snapshot is the live banner but for what goes on after it', async () => {
  const { live, source } = await liveAndSnapshot(() => shop.checkout(CART, undefined), { stackLimit: 3 });
  const l = bannerText(new Session(live, {}));
  const s = bannerText(new Session(source, {}));
  assert.equal(s, l.replace(' and the error goes on.', '.'));
  assert.match(s, /^Exception caught in checkout:\nTypeError: Cannot read properties of undefined \(reading 'toUpperCase'\)\n/);
});

test('linked errors: the cause chain and the frames of each error', async () => {
  const { live, source } = await liveAndSnapshot(() => shop.safeCheckout(CART), { stackLimit: 4 });
  const { live: l, snap: s } = both(live, source, ['exceptions', 'w', 'a', 'exceptions 1', 'w', 'a', 'u', 'a']);
  assert.equal(s, l);
  assert.match(s, /1 cause: TypeError: Cannot read properties of undefined/);
});

test('closures, this and an async frame', async () => {
  const counter = shop.makeCounter(2);
  const { live, source } = await liveAndSnapshot(() => counter(5), { stackLimit: 2 });
  const c = both(live, source, ['a', 'p count + step', 'p locals()']);
  assert.equal(c.snap, c.live);
  assert.match(c.snap, /\{ step: 5, count: 7 \}/);
  const r = new shop.Register('r1');
  const reg = await liveAndSnapshot(() => r.close('end of day'), { stackLimit: 2 });
  const t = both(reg.live, reg.source, ['a', 'p this', 'p this.id', 'p closing', 'exceptions']);
  assert.equal(t.snap, t.live);
  const pay = await liveAndSnapshot(() => shop.pay(CART), { stackLimit: 3 });
  const a = both(pay.live, pay.source, ['w', 'a', 'u', 'a']);
  assert.equal(a.snap, a.live);
});

test('hostile values through a snapshot: shown bounded, as the live session shows them, nothing of the program run', async () => {
  const { live, source } = await liveAndSnapshot(() => shop.hostile(), { stackLimit: 1 });
  const same = ['p cyc', 'p bad', 'p prox', 'whatis prox', 'p revoked', 'p nul', 'whatis nul', 'p n', 'p priv', 'p sym', 'whatis priv'];
  const { live: l, snap: s } = both(live, source, same);
  assert.equal(s, l);
  const { text } = transcriptOf(new Session(source, {}), [
    'p bad.boom',
    'p prox.inside',
    'p priv.peek()',
    'p big',
    'p huge',
    'p many',
    'p big.length',
    'q',
  ]);
  assert.match(text, /p bad\.boom\n\*\*\* boom is a getter that was not called when the snapshot was taken, and the program is gone\n/);
  assert.match(text, /p priv\.peek\(\)\n\*\*\* restored function peek: the program is gone, so it cannot run \(a snapshot\)\n/);
  assert.match(text, /p big\n\[ 7, 7, [^\n]*\.\.\. 999900 more items, '\(not in the snapshot\)': 'items 1000 to 999999 \(999000\)' \]\n/);
  assert.match(text, /p huge\n'x{8192}\.\.\. \[10477568 more characters not in the snapshot\]'\n/);
  assert.match(text, /p many\n\{ '\(not in the snapshot\)': '4000 more properties', k0: 0, /);
  assert.match(text, /p big\.length\n1000000\n/);
});

test('what needs the program says it is gone: return, retry, calling a function; c and q only end the session', async () => {
  const { source } = await liveAndSnapshot(() => shop.checkout(CART, undefined), { stackLimit: 3 });
  const s = new Session(source, { recoverable: true });
  assert.equal(s.live, false);
  const { text, end } = transcriptOf(s, ['return 0', 'retry', 'u', 'p lineTotal(cart[0])', 'c']);
  assert.match(text, /\*\*\* return is not available here: the program is not running \(a snapshot\)/);
  assert.match(text, /\*\*\* retry is not available here: the program is not running \(a snapshot\)/);
  assert.match(text, /\*\*\* restored function lineTotal: the program is gone, so it cannot run \(a snapshot\)/);
  assert.ok(end, 'c ended the session');
});

test('source of a restored function shows the text the snapshot recorded; a class or method known by name only says so', async () => {
  const { snapshot, source } = await liveAndSnapshot(() => shop.hostile(), { stackLimit: 1 });
  const recorded = (name) => snapshot.values.find((n) => n.t === 'function' && n.name === name).src;
  const { text } = transcriptOf(new Session(source, {}), [
    'source lineTotal',
    'source Vault',
    'source priv.peek',
    'source priv.constructor',
    'q',
  ]);
  assert.ok(
    text.includes(
      `ipdb> source lineTotal\n(no original source: a function restored from a snapshot, shown as the program ran it)\n${recorded('lineTotal')}\n`,
    ),
    text,
  );
  assert.match(recorded('lineTotal'), /^function lineTotal\(item\) \{\n[^]*item\.price \* item\.qty/);
  assert.ok(
    text.includes(
      `ipdb> source Vault\n(no original source: a function restored from a snapshot, shown as the program ran it)\n${recorded('Vault')}\n`,
    ),
  );
  assert.match(
    text,
    /ipdb> source priv\.peek\n\(no original source: the snapshot has only the name of peek \(a class or method of a recorded object\)\)\n\/\* peek: not in the snapshot \*\/\n/,
  );
  assert.match(text, /ipdb> source priv\.constructor\n\(no original source: the snapshot has only the name of Vault /);
  // Not the stand-in's own text, nor where ts-pdb defines it.
  assert.doesNotMatch(text, /decode-values|fail\(\)/);
});
