// The inspector approach to locals at a throw, as Sentry's LocalVariables integration (async form,
// @sentry/node packages/node/src/integrations/local-variables/worker.ts) does it; written here for
// test/bench/throw-cost.mjs, not copied. A worker thread connects to the main thread's inspector
// (`Session.connectToMainThread()`), enables the debugger and pauses on every exception (caught
// ones too: Sentry's default `captureAllExceptions`). On each `Debugger.paused`: for every call
// frame, `Runtime.getProperties` of its local scope object, and one more `Runtime.getProperties`
// for each local holding an Array or a plain Object (their own properties, one level), then
// `Runtime.callFunctionOn` stores the frames' variables, as JSON, on the error object; then
// `Debugger.resume` and, a turn later, `Runtime.releaseObject` of the error.
//
// Not mimicked: Sentry's rate limit (50 exceptions a second by default, then caught exceptions are
// no longer paused on for a while): the benchmark measures what capturing one exception costs.
//
// Messages from the main thread: { state: 'none' | 'all' } sets the pause-on-exceptions state and
// answers { state }; { stats: true } answers the pauses seen and the last pause's frames.
'use strict';
const { Session } = require('node:inspector/promises');
const { parentPort } = require('node:worker_threads');

const KEY = '__ts_pdb_bench_local_variables';
const stats = { paused: 0, last: undefined };

async function unrollArray(session, objectId, name, vars) {
  const { result } = await session.post('Runtime.getProperties', { objectId, ownProperties: true });
  vars[name] = result
    .filter((p) => p.name !== 'length' && !Number.isNaN(parseInt(p.name, 10)))
    .sort((a, b) => parseInt(a.name, 10) - parseInt(b.name, 10))
    .map((p) => p.value?.value);
}

async function unrollObject(session, objectId, name, vars) {
  const { result } = await session.post('Runtime.getProperties', { objectId, ownProperties: true });
  const obj = {};
  for (const p of result) obj[p.name] = p.value?.value;
  vars[name] = obj;
}

function unrollOther(prop, vars) {
  const v = prop.value;
  if (!v) return;
  if ('value' in v) vars[prop.name] = v.value === undefined || v.value === null ? `<${v.value}>` : v.value;
  else if ('description' in v && v.type !== 'function') vars[prop.name] = `<${v.description}>`;
  else if (v.type === 'undefined') vars[prop.name] = '<undefined>';
}

async function localVariables(session, objectId) {
  const { result } = await session.post('Runtime.getProperties', { objectId, ownProperties: true });
  const vars = {};
  for (const prop of result) {
    if (prop?.value?.objectId && prop.value.className === 'Array') await unrollArray(session, prop.value.objectId, prop.name, vars);
    else if (prop?.value?.objectId && prop.value.className === 'Object') await unrollObject(session, prop.value.objectId, prop.name, vars);
    else if (prop?.value) unrollOther(prop, vars);
  }
  return vars;
}

async function onPaused(session, { reason, data, callFrames }) {
  if (reason !== 'exception' && reason !== 'promiseRejection') return undefined;
  const objectId = data?.objectId;
  if (objectId === undefined) return undefined;
  const frames = [];
  for (let i = 0; i < callFrames.length; i++) {
    const { scopeChain, functionName, this: self } = callFrames[i];
    const local = scopeChain.find((s) => s.type === 'local');
    const fn = self.className === 'global' || !self.className ? functionName : `${self.className}.${functionName}`;
    frames[i] =
      local?.object.objectId === undefined
        ? { function: fn }
        : { function: fn, vars: await localVariables(session, local.object.objectId) };
  }
  await session.post('Runtime.callFunctionOn', {
    functionDeclaration: `function() { this.${KEY} = ${JSON.stringify(frames)}; }`,
    silent: true,
    objectId,
  });
  stats.paused++;
  stats.last = frames;
  return objectId;
}

async function main() {
  const session = new Session();
  session.connectToMainThread();
  let paused = false;
  session.on('Debugger.resumed', () => {
    paused = false;
  });
  session.on('Debugger.paused', (event) => {
    paused = true;
    onPaused(session, event.params).then(
      async (objectId) => {
        if (paused) await session.post('Debugger.resume');
        if (objectId)
          setImmediate(() => {
            session.post('Runtime.releaseObject', { objectId }).catch(() => {});
          });
      },
      (e) => {
        parentPort.postMessage({ error: String(e?.stack ?? e) });
      },
    );
  });
  await session.post('Debugger.enable');
  await session.post('Debugger.setPauseOnExceptions', { state: 'none' });
  parentPort.on('message', async (m) => {
    if (m.state) {
      await session.post('Debugger.setPauseOnExceptions', { state: m.state });
      parentPort.postMessage({ state: m.state });
    } else if (m.stats) {
      parentPort.postMessage({ stats });
    }
  });
  parentPort.postMessage({ ready: true });
}

main().catch((e) => parentPort.postMessage({ error: String(e?.stack ?? e) }));
// A pending inspector call keeps no handle open: without this the thread would end (Sentry's
// worker has the same interval).
setInterval(() => {}, 10_000);
