// `ts-pdb dap` (the built bin, on stdio as VS Code runs it) attached to a snapshot of a real program
// (`ts-pdb run` in dump mode, every function instrumented), driven by @vscode/debugadapter-testsupport's
// DebugClient. What an editor shows: the thread stopped on the exception with its first line, the
// stack in TypeScript (node internals subtle), Locals/Closure/this/Module, a 600-item array and Map
// paged, the debug console's commands and expressions, hover and watch, completions, the source the
// snapshot holds, the exception and its cause, what a snapshot refuses (restartFrame, stepping) in the
// session's words, and the end (continue, terminate, disconnect). Every message the adapter sends
// conforms to the protocol's schema, generated from @vscode/debugprotocol's declarations.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import zlib from 'node:zlib';
import { attach, cleanup, refused, snapshotOf, startAdapter, variablesOf, waitForEvents } from './dap-helpers.mjs';

const { dir, file } = snapshotOf();
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
const APP_TS = path.join(dir, 'app.ts');

/** The frames of thread 1, by name. */
async function frames(dc) {
  const r = await dc.stackTraceRequest({ threadId: 1 });
  return { list: r.body.stackFrames, byName: Object.fromEntries(r.body.stackFrames.map((f) => [f.name, f])), total: r.body.totalFrames };
}

/** The scopes of a frame, by name. */
async function scopes(dc, frameId) {
  const r = await dc.scopesRequest({ frameId });
  return Object.fromEntries(r.body.scopes.map((s) => [s.name, s]));
}

test('attach {snapshot}: capabilities as stated, one thread stopped on the exception, the stack in TypeScript with node internals subtle', async (t) => {
  const { dc, problems } = await startAdapter(t, { cwd: dir });
  const init = await dc.initializeRequest({ adapterID: 'ts-pdb', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  assert.deepEqual(init.body, {
    supportsConfigurationDoneRequest: true,
    supportsEvaluateForHovers: true,
    supportsSetVariable: true,
    supportsSetExpression: true,
    supportsExceptionInfoRequest: true,
    supportsCompletionsRequest: true,
    supportsRestartFrame: true,
    supportsTerminateRequest: true,
    supportTerminateDebuggee: true,
  });
  const initialized = dc.waitForEvent('initialized');
  const output = dc.waitForEvent('output');
  // A path relative to the working directory the editor gives (`cwd`).
  await dc.attachRequest({ snapshot: path.relative(dir, file), cwd: dir });
  await initialized;
  const stopped = dc.waitForEvent('stopped');
  await dc.configurationDoneRequest();
  const said = (await output).body.output;
  assert.match(said, /ts-pdb: a snapshot \(.*\.tspdb\.json\.gz\), not a running program: rank 0 \(host \S+, pid \d+\), taken /);
  assert.match(said, /Exception caught in checkout:\nRangeError: sum 600 is over 10\n/);
  assert.deepEqual((await stopped).body, {
    reason: 'exception',
    description: 'Exception caught in checkout',
    threadId: 1,
    allThreadsStopped: false,
    text: 'RangeError: sum 600 is over 10',
  });
  assert.deepEqual((await dc.threadsRequest()).body.threads, [{ id: 1, name: 'rank 0 (snapshot)' }]);

  const { list, byName, total } = await frames(dc);
  assert.equal(total, list.length);
  assert.deepEqual(
    list.slice(0, 4).map((f) => [f.name, f.source?.path, f.line, f.column]),
    [
      ['check', APP_TS, 11, 30],
      ['Cart.total', APP_TS, 13, 5],
      ['checkout', APP_TS, 21, 15],
      ['Object.<anonymous>', APP_TS, 24, 13],
    ],
    'the original TypeScript file, 1-based lines and columns',
  );
  // The snapshot's text is what ran: the source comes from the adapter (a reference), marked as a snapshot's.
  assert.equal(byName.check.source.origin, 'snapshot');
  assert.ok(byName.check.source.sourceReference > 0);
  assert.equal(byName.check.source.presentationHint, undefined, 'a frame with locals is not dimmed');
  assert.equal(byName['Object.<anonymous>'].source.presentationHint, 'deemphasize', 'a frame without locals is dimmed');
  const internals = list.filter((f) => /node:internal/.test(f.name));
  assert.ok(internals.length >= 3, list.map((f) => f.name).join('\n'));
  for (const f of internals) {
    assert.equal(f.presentationHint, 'subtle');
    assert.equal(f.source, undefined);
  }
  assert.ok(
    list.every((f) => !f.canRestart),
    'nothing restarts in a snapshot',
  );
  // Paging the stack as VS Code does (startFrame, levels).
  const page = await dc.stackTraceRequest({ threadId: 1, startFrame: 1, levels: 2 });
  assert.deepEqual(
    page.body.stackFrames.map((f) => f.name),
    ['Cart.total', 'checkout'],
  );
  assert.deepEqual(problems, []);
});

test('a client that counts lines and columns from 0 gets them so (frames, completions)', async (t) => {
  const { dc, problems } = await startAdapter(t, { cwd: dir });
  await attach(dc, { snapshot: file }, { init: { linesStartAt1: false, columnsStartAt1: false } });
  const { byName } = await frames(dc);
  assert.deepEqual([byName.check.line, byName.check.column], [10, 29]);
  const c = await dc.completionsRequest({ text: 'p cart.ow', column: 9, frameId: byName.checkout.id });
  assert.deepEqual(c.body.targets, [{ label: 'owner', start: 7, length: 2 }]);
  assert.deepEqual(problems, []);
});

test('scopes and variables: Locals, Closure, this, Module; a 600-item array and Map paged (indexedVariables, filters); nothing of the program runs', async (t) => {
  const { dc, problems } = await startAdapter(t, { cwd: dir });
  await attach(dc, { snapshot: file });
  const { byName } = await frames(dc);

  const check = await scopes(dc, byName.check.id);
  assert.deepEqual(Object.keys(check), ['Locals', 'Closure', 'Module']);
  assert.equal(check.Locals.presentationHint, 'locals');
  assert.equal(check.Module.expensive, true, 'the module is fetched only when opened');
  assert.equal((await variablesOf(dc, check.Closure.variablesReference)).sum.value, '600');
  const module = await variablesOf(dc, check.Module.variablesReference);
  assert.equal(module.LIMIT.value, '10');
  assert.equal(module.LIMIT.evaluateName, 'LIMIT');
  assert.equal(module.Cart.value, '[class Cart]');

  const total = await scopes(dc, byName['Cart.total'].id);
  assert.deepEqual(Object.keys(total), ['Locals', 'this', 'Module']);
  const locals = await variablesOf(dc, total.Locals.variablesReference);
  assert.deepEqual(Object.keys(locals), ['rate', 'big', 'sum', 'check']);
  assert.deepEqual([locals.rate.value, locals.rate.type, locals.rate.variablesReference], ['1.5', 'number', 0]);
  assert.equal(locals.big.type, 'Map');
  assert.equal(locals.big.indexedVariables, 600, 'a big Map pages its entries');
  assert.equal(locals.big.namedVariables, 2, 'size and [[Prototype]]');
  const entries = await dc.variablesRequest({ variablesReference: locals.big.variablesReference, filter: 'indexed', start: 598, count: 2 });
  assert.deepEqual(
    entries.body.variables.map((v) => [v.name, v.value]),
    [
      ['598', "'s598' => 1"],
      ['599', "'s599' => 2"],
    ],
  );
  const self = await variablesOf(dc, total.this.variablesReference);
  assert.match(self.this.value, /^Cart \{ owner: 'bob', items: \[Array\], audit: \[Getter\] \}$/);
  const cart = await variablesOf(dc, self.this.variablesReference);
  assert.equal(cart.owner.value, "'bob'");
  // A getter is shown, not called.
  assert.equal(cart.audit.value, '(getter: not called; inspect calls it)');
  assert.deepEqual(cart.audit.presentationHint, { kind: 'property', attributes: ['readOnly'] });
  assert.equal(cart.owner.evaluateName, 'this.owner');
  const items = cart.items;
  assert.deepEqual([items.indexedVariables, items.namedVariables, items.evaluateName], [600, 2, 'this.items']);
  // VS Code's paging: the named children apart, then the items a hundred at a time.
  const named = await dc.variablesRequest({ variablesReference: items.variablesReference, filter: 'named' });
  assert.deepEqual(
    named.body.variables.map((v) => [v.name, v.value]),
    [
      ['length', '600'],
      ['[[Prototype]]', 'Array.prototype'],
    ],
  );
  const hundred = await dc.variablesRequest({ variablesReference: items.variablesReference, filter: 'indexed', start: 100, count: 100 });
  assert.equal(hundred.body.variables.length, 100);
  assert.deepEqual(
    [hundred.body.variables[0].name, hundred.body.variables[0].value, hundred.body.variables[0].evaluateName],
    ['100', "{ sku: 's100', qty: 1 }", 'this.items[100]'],
  );
  // More than a page at once (the adapter asks the engine page by page).
  const many = await dc.variablesRequest({ variablesReference: items.variablesReference, filter: 'indexed', start: 0, count: 350 });
  assert.deepEqual(
    many.body.variables.map((v) => v.name),
    Array.from({ length: 350 }, (_, i) => String(i)),
  );
  // A client that does not page (no filter) gets the engine's ranges, which open like any value.
  const all = await variablesOf(dc, items.variablesReference);
  assert.deepEqual(Object.keys(all), [
    '[0 … 99]',
    '[100 … 199]',
    '[200 … 299]',
    '[300 … 399]',
    '[400 … 499]',
    '[500 … 599]',
    'length',
    '[[Prototype]]',
  ]);
  assert.deepEqual(all['[500 … 599]'].presentationHint, { kind: 'virtual' });
  const last = await variablesOf(dc, all['[500 … 599]'].variablesReference);
  assert.equal(last['599'].value, "{ sku: 's599', qty: 2 }");
  // The restored program's getters and functions are never called: a function is shown, not run.
  assert.equal(locals.check.value, '[Function: check]');
  assert.deepEqual(problems, []);
});

test('evaluate: the debug console runs commands (w, p, u, up) and JavaScript (a tree to open, a declaration kept); hover reads names without running anything; a watch evaluates', async (t) => {
  const { dc, problems } = await startAdapter(t, { cwd: dir });
  await attach(dc, { snapshot: file });
  const { byName } = await frames(dc);
  const repl = async (expression, frameId) => (await dc.evaluateRequest({ expression, context: 'repl', frameId })).body;

  const checkoutLocals = (await scopes(dc, byName.checkout.id)).Locals.variablesReference;
  const where = await repl('w', byName.check.id);
  assert.match(where.result, / {2}app\.ts\(13\)Cart\.total\(\)\n-> check\(\);\n> app\.ts\(11\)check\(\)\n-> if \(sum > LIMIT\) throw/);
  assert.equal(where.variablesReference, 0);
  assert.equal((await repl('p sum * 2', byName.check.id)).result, '1200');
  // Several lines are several commands, as pasted at the prompt.
  assert.equal((await repl('p sum\np LIMIT', byName.check.id)).result, '600\n10');
  // A command after the editor selected another frame runs in that frame.
  const invalidated = dc.waitForEvent('invalidated');
  assert.equal((await repl('a', byName.checkout.id)).result, "owner = 'bob'");
  // The command moved the session to a new prompt: the client is told to ask again, and old variables are refused.
  assert.deepEqual((await invalidated).body, { areas: ['stacks', 'variables'], threadId: 1 });
  assert.match(await refused(dc.variablesRequest({ variablesReference: checkoutLocals })), /belongs to an earlier prompt/);
  // A frame keeps its number (the editor sends the one it shows with the next line).
  let now = (await frames(dc)).byName;
  assert.equal(now.checkout.id, byName.checkout.id);
  // `u` moves the session's frame; its listing comes back as the result.
  assert.match((await repl('u', now.checkout.id)).result, /> app\.ts\(24\)Object\.<anonymous>\(\)/);

  now = (await frames(dc)).byName;
  // JavaScript: its value as a tree.
  const cart = await repl('cart', now.checkout.id);
  assert.equal(cart.result, "Cart { owner: 'bob', items: [Array], audit: [Getter] }");
  assert.equal(cart.type, 'Cart');
  const opened = await variablesOf(dc, cart.variablesReference);
  assert.equal(opened.owner.value, "'bob'");
  assert.equal((await repl('cart.items.length + 1', now.checkout.id)).result, '601');
  // A statement is no expression: the session runs it as its prompt does, and keeps the name.
  assert.equal((await repl('const double = (n) => n * 2', now.checkout.id)).result, '');
  now = (await frames(dc)).byName;
  assert.equal((await repl('double(21)', now.checkout.id)).result, '42');
  // The session's own error words, as an error response.
  assert.equal(await refused(repl('nope + 1', now.checkout.id)), 'ReferenceError: nope is not defined');
  assert.match((await repl('p nope', now.checkout.id)).result, /^\*\*\* ReferenceError: nope is not defined$/);

  // What the console's code writes to stdout reaches the editor as output, not into the protocol's stream.
  const printed = dc.waitForEvent('output');
  assert.equal((await repl('console.log("from the console")', now.checkout.id)).result, 'undefined');
  assert.deepEqual((await printed).body, { category: 'stdout', output: 'from the console\n' });

  // Hover: a name or a chain of names is read from the frame, never evaluated.
  const hover = (expression, frameId) => dc.evaluateRequest({ expression, context: 'hover', frameId });
  assert.equal((await hover('sum', now['Cart.total'].id)).body.result, '600');
  assert.equal((await hover('this.owner', now['Cart.total'].id)).body.result, "'bob'");
  assert.equal((await hover('this.audit', now['Cart.total'].id)).body.result, '(getter: not called; inspect calls it)');
  assert.match(await refused(hover('LIMITS', now.check.id)), /LIMITS is not a variable of this frame/);
  // A watch is an expression in its frame.
  assert.equal((await dc.evaluateRequest({ expression: 'sum > LIMIT', context: 'watch', frameId: now.check.id })).body.result, 'true');
  assert.deepEqual(problems, []);
});

test('completions, source (the text the snapshot holds, though the file changed), exceptionInfo with its cause', async (t) => {
  const { dc, problems } = await startAdapter(t, { cwd: dir });
  await attach(dc, { snapshot: file });
  const { byName } = await frames(dc);

  // The prompt's completer: properties after a dot, the frame's names, command names.
  const c1 = await dc.completionsRequest({ text: 'p cart.ow', column: 10, frameId: byName.checkout.id });
  assert.deepEqual(c1.body.targets, [{ label: 'owner', start: 8, length: 2 }]);
  const c2 = await dc.completionsRequest({ text: 'whe', column: 4, frameId: byName.checkout.id });
  assert.ok(
    c2.body.targets.some((x) => x.label === 'where'),
    JSON.stringify(c2.body),
  );

  // The file on disk is changed after the snapshot: the editor gets the text that ran.
  const ran = fs.readFileSync(APP_TS, 'utf8');
  fs.writeFileSync(APP_TS, '// edited since\n');
  t.after(() => fs.writeFileSync(APP_TS, ran));
  const src = byName.check.source;
  const text = await dc.sourceRequest({ source: src, sourceReference: src.sourceReference });
  assert.equal(text.body.content, ran.replace(/\n$/, ''));
  assert.match(await refused(dc.sourceRequest({ sourceReference: 999 })), /no such source reference/);

  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.equal(info.body.exceptionId, 'RangeError');
  assert.equal(info.body.description, 'RangeError: sum 600 is over 10');
  assert.equal(info.body.breakMode, 'always');
  assert.equal(info.body.details.message, 'RangeError: sum 600 is over 10');
  assert.match(info.body.details.stackTrace, /^ {4}at check \(app\.ts:11\)\n {4}at Cart\.total \(app\.ts:13\)\n/);
  assert.deepEqual(info.body.details.innerException, [
    { message: 'Error: the inner cause', typeName: 'Error', fullTypeName: 'cause: Error' },
  ]);
  assert.deepEqual(problems, []);
});

test('setVariable and setExpression change what the session sees; restartFrame and stepping are refused in the session words', async (t) => {
  const { dc, problems } = await startAdapter(t, { cwd: dir });
  await attach(dc, { snapshot: file });
  let { byName } = await frames(dc);
  const total = await scopes(dc, byName['Cart.total'].id);
  const set = await dc.setVariableRequest({ variablesReference: total.Locals.variablesReference, name: 'rate', value: '2 * 3' });
  assert.equal(set.body.value, '6');
  ({ byName } = await frames(dc));
  assert.equal((await dc.evaluateRequest({ expression: 'rate', context: 'watch', frameId: byName['Cart.total'].id })).body.result, '6');
  // A child of a value, by the expression that reads it.
  const self = await variablesOf(dc, (await scopes(dc, byName['Cart.total'].id)).this.variablesReference);
  const owner = await dc.setVariableRequest({ variablesReference: self.this.variablesReference, name: 'owner', value: "'eve'" });
  assert.equal(owner.body.value, "'eve'");
  ({ byName } = await frames(dc));
  const expr = await dc.customRequest('setExpression', { expression: 'this.items[0].qty', value: '99', frameId: byName['Cart.total'].id });
  assert.equal(expr.body.value, '99');
  ({ byName } = await frames(dc));
  assert.equal(
    (await dc.evaluateRequest({ expression: 'cart.items[0].qty', context: 'repl', frameId: byName.checkout.id })).body.result,
    '99',
  );
  // Only a variable's name is a name: anything else is refused, not run.
  ({ byName } = await frames(dc));
  const again = await scopes(dc, byName['Cart.total'].id);
  assert.match(
    await refused(
      dc.setVariableRequest({ variablesReference: again.Locals.variablesReference, name: 'rate; globalThis.x = 1', value: '1' }),
    ),
    /^"rate; globalThis\.x = 1" cannot be set from here/,
  );
  // What the session refuses, as an error the editor shows.
  assert.match(
    await refused(dc.setVariableRequest({ variablesReference: 424242, name: 'x', value: '1' })),
    /not a number this session gave/,
  );
  assert.equal(
    await refused(dc.restartFrameRequest({ frameId: byName.checkout.id })),
    'retry is not available here: the program is not running (a snapshot), there is nothing to go back to',
  );
  assert.match(await refused(dc.nextRequest({ threadId: 1 })), /^ts-pdb does not step/);
  assert.match(await refused(dc.stepInRequest({ threadId: 1 })), /^ts-pdb does not step/);
  assert.match(await refused(dc.customRequest('modules', {})), /^ts-pdb does not support the request "modules"/);
  assert.match(await refused(dc.launchRequest({ program: 'app.ts' })), /attaches, it does not launch/);
  const bps = await dc.setBreakpointsRequest({ source: { path: APP_TS }, breakpoints: [{ line: 3 }] });
  assert.deepEqual(
    bps.body.breakpoints.map((b) => b.verified),
    [false],
  );
  assert.match(await refused(dc.stackTraceRequest({ threadId: 7 })), /no thread 7 \(threads: 1\)/);
  assert.deepEqual(problems, []);
});

test('continue ends the session: the words of a snapshot, the thread exits, terminated; then disconnect ends the adapter (exit 0)', async (t) => {
  const { dc, problems, exited, messages } = await startAdapter(t, { cwd: dir });
  await attach(dc, { snapshot: file });
  const output = waitForEvents(dc, 'output', 1);
  const exitedThread = dc.waitForEvent('thread');
  const terminated = dc.waitForEvent('terminated');
  const r = await dc.continueRequest({ threadId: 1 });
  assert.deepEqual(r.body, { allThreadsContinued: false });
  assert.equal(
    (await output)[0].body.output,
    'The program is not running (a snapshot): nothing goes on; the session ends.\nts-pdb: session ended.\n',
  );
  assert.deepEqual((await exitedThread).body, { reason: 'exited', threadId: 1 });
  await terminated;
  // The events come after the answer to continue.
  const order = messages.map((m) => m.command ?? m.event);
  assert.ok(order.indexOf('continue') < order.indexOf('terminated'), order.join(' '));
  assert.deepEqual((await dc.threadsRequest()).body.threads, []);
  await dc.disconnectRequest({});
  assert.equal(await exited, 0);
  assert.deepEqual(problems, []);
});

test('terminate ends every thread; a request on an ended thread says so', async (t) => {
  const { dc, problems } = await startAdapter(t, { cwd: dir });
  await attach(dc, { snapshot: file });
  const terminated = dc.waitForEvent('terminated');
  await dc.terminateRequest({});
  await terminated;
  assert.match(await refused(dc.stackTraceRequest({ threadId: 1 })), /thread 1's session has ended/);
  assert.deepEqual(problems, []);
});

test('attach mistakes are error responses with the reason: nothing named, two things, a missing, a truncated and a newer snapshot; a second attach', async (t) => {
  const { dc, problems } = await startAdapter(t, { cwd: dir });
  await dc.initializeRequest({ adapterID: 'ts-pdb', pathFormat: 'path' });
  assert.match(await refused(dc.stackTraceRequest({ threadId: 1 })), /^not attached: attach to a waiting rank or a snapshot first/);
  assert.match(await refused(dc.attachRequest({})), /^nothing to attach to: attach takes one of: \{"snapshot": "FILE"\}/);
  assert.match(
    await refused(dc.attachRequest({ snapshot: file, rank: 1 })),
    /^attach to one thing at a time \(snapshot and rank were given\)/,
  );
  assert.match(await refused(dc.attachRequest({ snapshot: 42 })), /^"snapshot" is the path of a snapshot file/);
  const missing = path.join(dir, 'missing.tspdb.json.gz');
  assert.match(await refused(dc.attachRequest({ snapshot: missing })), /missing\.tspdb\.json\.gz/);
  const cut = path.join(dir, 'cut.tspdb.json.gz');
  fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, 100));
  cleanup(t, cut);
  assert.match(await refused(dc.attachRequest({ snapshot: cut })), /truncated|corrupt|not a snapshot|unexpected end/i);
  const newer = path.join(dir, 'newer.tspdb.json.gz');
  const doc = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString());
  fs.writeFileSync(newer, zlib.gzipSync(JSON.stringify({ ...doc, version: doc.version + 1 })));
  cleanup(t, newer);
  assert.match(await refused(dc.attachRequest({ snapshot: newer })), /newer ts-pdb/);
  await dc.attachRequest({ snapshot: file });
  assert.match(await refused(dc.attachRequest({ snapshot: file })), /^already attached/);
  assert.deepEqual(problems, []);
});
