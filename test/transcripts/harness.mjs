// Shared setup of the transcript tests: a real thrown error captured by instrumented fixture code,
// a Session on it, and a transcript runner that feeds a FakeChannel and compares what it shows.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeChannel } from '../helpers/fake-channel.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Paths inside the working directory are shown relative to it: make that the repository.
process.chdir(ROOT);

const require = createRequire(import.meta.url);
const dist = (p) => require(join(ROOT, 'dist', 'runtime', p));

export const records = dist('records.js');
export const capture = dist('capture.js');
export const { settings } = capture;
settings.enabled = true; // the fixtures' capture calls record nothing otherwise
export const loop = dist('engine/commands/session-loop.js');
export const { Session } = dist('engine/session.js');
export const { runSession } = loop;
export const { LiveFrameSource } = dist('engine/live-source.js');
export const { buildFrames } = dist('engine/frames.js');
export const { bannerText } = dist('engine/commands/banner.js');
export const { reportText } = dist('engine/commands/report.js');
export const stack = dist('engine/stack.js');
export const sourceMaps = dist('engine/source-maps.js');
export const format = dist('render/format.js');
export { FakeChannel };

/** The ESM fixture (file:// stack paths, external source map read from disk). */
export const shop = await import('./fixtures/shop.mjs');
/** The CommonJS fixture (renamed imports, inline source map with sourcesContent). */
export const shopCjs = require('./fixtures/shop.cjs');
/** The original source of both fixtures, relative to the repository (as sessions show it). */
export const SHOP_TS = 'test/transcripts/fixtures/src/shop.ts';

/** Calls `fn` and returns what it threw (sync or async); fails the test when it does not throw. */
export async function thrownBy(fn) {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

/**
 * A session on the value `fn` throws, with the capture the fixture's catch clauses recorded.
 * `stackLimit` cuts the stack trace to the fixture's own frames (`Error.stackTraceLimit`), so that
 * transcripts do not depend on this test file's lines or on node:test's internals.
 */
export async function sessionOn(fn, { stackLimit, ...options } = {}) {
  const saved = Error.stackTraceLimit;
  if (stackLimit !== undefined) Error.stackTraceLimit = stackLimit;
  let err;
  try {
    err = await thrownBy(fn);
  } finally {
    Error.stackTraceLimit = saved;
  }
  return sessionFor(err, capture.captureOf(err, false), options);
}

/** A session on a value thrown in this process with what the capture recorded for it (`capture`: undefined for none). */
export function sessionFor(thrown, recorded, options) {
  return new Session(new LiveFrameSource(thrown, recorded), options);
}

/**
 * Runs a transcript against `session` and asserts that the channel shows exactly `expected`.
 * `expected` is what a terminal would show: lines starting with the prompt are typed by the user
 * (everything after the prompt; `interact`'s `>>> ` prompt too), every other line is output.
 * `ipdb> ^D` is end of input.
 * Returns how the session ended.
 */
export function expectTranscript(session, expected, { prompt = 'ipdb> ', banner = false } = {}) {
  const text = dedent(expected);
  const inputs = [];
  for (const line of text.split('\n')) {
    const shown = [prompt, '>>> '].find((pr) => line.startsWith(pr));
    if (shown) {
      const typed = line.slice(shown.length);
      if (typed === '^D') break;
      inputs.push(typed);
    }
  }
  const ch = new FakeChannel(inputs);
  const end = runSession(session, ch, { prompt, banner });
  assert.equal(ch.transcript, text);
  return end;
}

/** Runs `inputs` and returns the transcript (for assertions on parts of it). */
export function transcriptOf(session, inputs, options = {}) {
  const ch = new FakeChannel(inputs, options);
  const end = runSession(session, ch, { banner: false, ...options });
  return { text: ch.transcript, end, channel: ch };
}

/** Removes the common indentation of a template literal and its first and last empty lines. */
export function dedent(s) {
  const lines = s
    .replace(/^\n/, '')
    .replace(/\n[ \t]*$/, '\n')
    .split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)[0].length);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join('\n');
}
