// Reads what the capture recorded for a thrown value, as plain data a test can compare.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ROOT } from './build.mjs';

const require = createRequire(import.meta.url);
const records = require(join(ROOT, 'dist/runtime/records.js'));
export const settings = require(join(ROOT, 'dist/runtime/config.js')).settings;

/** Display of one captured value for assertions: sentinels by name, the rest by util.inspect. */
export function show(v) {
  if (v === records.UNINITIALIZED) return '<uninitialized>';
  if (v === records.UNAVAILABLE) return '<unavailable>';
  return inspect(v, { depth: 2, breakLength: Infinity });
}

/**
 * The frames captured for `thrown`, innermost first:
 * `{ name, boundary, locals: { name: shown }, closure: { name: shown }, this: shown? }`.
 * Block scopes are merged over the function's bindings, innermost first winning.
 */
export function framesOf(thrown) {
  const c = records.captureOf(thrown, false);
  if (!c) return [];
  return c.frames.map((fr) => {
    const meta = records.metaOf(fr.mod);
    const fn = meta.fns[fr.fn];
    const locals = {};
    for (const sc of fr.scopes) {
      const sm = meta.scopes[sc.scope];
      sm.names.forEach((n, i) => { if (!(n in locals)) locals[n] = show(sc.values[i]); });
    }
    fn.names.forEach((n, i) => { if (!(n in locals)) locals[n] = show(fr.values[i]); });
    const closure = {};
    fn.closure.forEach((n, i) => { closure[n] = show(fr.closure[i]); });
    const out = { name: fn.name, boundary: fn.boundary, locals, closure };
    if (fn.hasThis) out.this = show(fr.thisValue);
    return out;
  });
}
