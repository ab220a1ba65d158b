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
import { metaOf, reportFault, settings } from './capture';
import type { ModuleDesc } from './records';

/** Options of {@link breakpoint}. */
export interface BreakpointOptions {
  /** The ranks that stop (docs/SPEC.md §3's rank); default: every rank. Other ranks run on. */
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
  openBreakpoint(undefined, -1, undefined, options, [], breakpoint);
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
 * @param values the values of the site's bindings (own, then enclosing functions').
 * @param caller where the stack starts (frames above it are ts-pdb's).
 * @returns the values after the session when it changed one (the call site assigns them back to
 *   its writable bindings), else undefined.
 */
export function openBreakpoint(
  mod: ModuleDesc | undefined,
  fn: number,
  thisValue: unknown,
  options: BreakpointOptions | undefined,
  values: unknown[],
  caller: Function,
): unknown[] | undefined {
  try {
    if (!stopsHere(options)) return undefined;
    const meta = fn >= 0 ? metaOf(mod)?.fns[fn] : undefined;
    const split = meta?.names.length ?? 0;
    const record = { mod, fn, thisValue, values: meta ? values.slice(0, split) : [], closure: meta ? values.slice(split) : [], scopes: [] };
    const capture = { frames: meta ? [record] : [], pending: [], handled: true };
    const here = new Error('breakpoint');
    Error.captureStackTrace(here, caller);
    const { openSession } = require('./front-ends/open-session') as typeof import('./front-ends/open-session');
    const session = openSession(here, capture, { instrumented: !!meta, breakpoint: true });
    if (session?.endProgram) {
      (require('node:fs') as typeof import('node:fs')).writeSync(2, 'ts-pdb: quit at a breakpoint: the program ends.\n');
      process.exit(1);
    }
    // What the session changed, the program sees: the call site assigns the writable bindings (the
    // session refused, at the prompt, to assign the others: engine/frames.ts `constant`).
    const now = [...record.values, ...record.closure];
    if (!meta || now.every((v, i) => Object.is(v, values[i]))) return undefined;
    return now;
  } catch (fault) {
    reportFault(fault);
    return undefined;
  }
}
