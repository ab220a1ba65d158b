// Reads what the capture recorded for a thrown value, as plain data a test can compare.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ROOT } from './build.mjs';

const require = createRequire(import.meta.url);
const records = require(join(ROOT, 'dist/runtime/records.js'));
const capture = require(join(ROOT, 'dist/runtime/capture.js'));
export const settings = capture.settings;
const { buildFrames } = require(join(ROOT, 'dist/runtime/engine/frames.js'));

/** Display of one captured value for assertions: sentinels by name, the rest by util.inspect. */
export function show(v) {
  if (v === records.UNINITIALIZED) return '<uninitialized>';
  if (v === records.UNAVAILABLE) return '<unavailable>';
  return inspect(v, { depth: 2, breakLength: Infinity });
}

/**
 * The frames captured for `thrown`, innermost first, as the session engine builds them (stack
 * trace, source maps, records): only the instrumented frames,
 * `{ name, boundary, locals: { name: shown }, closure: { name: shown }, this: shown? }`.
 */
export function framesOf(thrown) {
  const c = capture.captureOf(thrown, false);
  if (!c) return [];
  return buildFrames(thrown, c)
    .filter((f) => f.instrumented)
    .map((f) => {
      const locals = {};
      for (const [n, b] of f.locals) locals[n] = show(b.get());
      const closure = {};
      for (const [n, b] of f.closure) closure[n] = show(b.get());
      const out = { name: f.meta?.name ?? f.name, boundary: !!f.meta?.boundary, locals, closure };
      if (f.hasThis) out.this = show(f.thisValue);
      return out;
    });
}
