/**
 * Live breakpoints (issue #6, py_debug's `breakpoint(ranks=[...])`): the program stops at the call
 * on the listed ranks and a session opens on the live frame. Locals are read, and written back
 * when the program goes on (`c`); `q` asks, then ends the program.
 *
 * With the transform, each `breakpoint(...)` call becomes `__tsPdb.settings.enabled &&
 * __tsPdb.bp(...)` with a reader and writers of the bindings visible at the call (see
 * transformer/core/breakpoints.ts); without it, `breakpoint()` still stops, with the stack only.
 * Debugging off: nothing happens (the transformed call costs one property read).
 */
import { settings } from './capture';
import type { ModuleDesc } from './records';

/** Options of {@link breakpoint}. */
export interface BreakpointOptions {
  /** The ranks that stop (SPEC §3's rank); default: every rank. Other ranks run on. */
  ranks?: readonly number[];
}

/**
 * Stops the program here and opens a session, when debugging is on (`IPDB_DEBUG=1`) and this
 * process's rank is listed (all ranks when `ranks` is omitted). Built with the ts-pdb transform,
 * the session reads and writes the locals at the call; without it, it shows the stack.
 * @param options `ranks`: which ranks stop; default all.
 */
export function breakpoint(options?: BreakpointOptions): void {
  if (!settings.enabled) return;
  openBreakpoint(undefined, -1, undefined, options, () => [], [], breakpoint);
}

/** True when this rank stops for `options` (a malformed `ranks` stops everywhere: better than missing). */
function stopsHere(options: BreakpointOptions | undefined): boolean {
  const ranks = options?.ranks;
  if (!Array.isArray(ranks)) return true;
  const { detectRank } = require('./rank') as typeof import('./rank');
  return ranks.includes(detectRank().rank);
}

/**
 * Opens the live session of a breakpoint (the transformed call's `bp`, or {@link breakpoint}).
 * Never throws: a fault is reported and the program goes on.
 * @param mod the module's descriptor; `fn` its meta entry for the call site (-1: none).
 * @param read the current values of the site's bindings (own, then enclosing functions').
 * @param write for each binding, a function that assigns it, or undefined (a `const`).
 * @param caller where the stack starts (frames above it are ts-pdb's).
 */
export function openBreakpoint(
  mod: ModuleDesc | undefined, fn: number, thisValue: unknown, options: BreakpointOptions | undefined,
  read: () => unknown[], write: readonly (((v: unknown) => void) | undefined)[], caller: Function,
): void {
  try {
    if (!stopsHere(options)) return;
    const { metaOf } = require('./records') as typeof import('./records');
    const meta = fn >= 0 ? metaOf(mod)?.fns[fn] : undefined;
    const values = meta ? read() : [];
    const split = meta?.names.length ?? 0;
    const record = { mod, fn, thisValue, values: values.slice(0, split), closure: values.slice(split), scopes: [] };
    const capture = { frames: meta ? [record] : [], pending: [], handled: true };
    const here = new Error('breakpoint');
    Error.captureStackTrace(here, caller);
    const { openSession } = require('./open-session') as typeof import('./open-session');
    const session = openSession(here, capture, { instrumented: !!meta, breakpoint: true });
    // What the session changed, the program sees: write each changed binding back.
    const now = [...record.values, ...record.closure];
    const names = meta ? [...meta.names, ...meta.closure] : [];
    const refused: string[] = [];
    now.forEach((v, i) => {
      if (Object.is(v, values[i])) return;
      const set = write[i];
      if (set) set(v);
      else refused.push(names[i]);
    });
    const fs = require('node:fs') as typeof import('node:fs');
    if (refused.length) fs.writeSync(2, `ts-pdb: not changed in the program (const): ${refused.join(', ')}\n`);
    if (session?.endProgram) {
      fs.writeSync(2, 'ts-pdb: quit at a breakpoint: the program ends.\n');
      process.exit(1);
    }
  } catch (fault) {
    (require('./capture') as typeof import('./capture')).reportFault(fault);
  }
}
