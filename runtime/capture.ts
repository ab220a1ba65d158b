/**
 * The hot path: the runtime API that instrumented code calls (`import * as __tsPdb from
 * "ts-pdb/capture"`, or `require`). The names are short on purpose: they are in every output file.
 *
 * | name | emitted where | what it does |
 * |---|---|---|
 * | `m(desc)` | once per module, at its top: `var __tsPdbM = __tsPdb.m({ file, ev, g, meta })` | registers the module's descriptor (records.ts `ModuleDesc`) and returns it |
 * | `U` | among the values of `b` and `f` | the sentinel of a binding still in its temporal dead zone |
 * | `b(e, M, scope, ...values)` | the catch added around a block scope with lexical bindings | keeps the scope's values until its function's `f`/`F`/`B` claims them |
 * | `f(e, M, fn, this, ...values)` | the catch added to an instrumented function | records the frame: its bindings (`FnMeta.names`), then its closure variables (`FnMeta.closure`) |
 * | `F(e, M, fn, this, ...values)` | the catch of a boundary that cannot recover (a constructor) | `f`, then opens the session once per thrown value; returns when it ends, the catch rethrows |
 * | `B(e, M, fn, this, ...values)` | the catch of every other boundary (`@attachOnError()`, `// @debuggable`) | `F`, and answers what the session decided: 0 rethrow, 1 `return expr`, 2 `retry` |
 * | `r()` | `case 1: return __tsPdb.r()` after `B` | the value `return expr` chose, once |
 * | `bp(M, site, this, opts, values)` | a `breakpoint()` call, behind `__tsPdb.settings.enabled ?` | opens the live session at the call; true when it changed a binding |
 * | `w` | `(b = __tsPdb.w[1])` after `bp` answered true | the values after the session, for the call site to assign back |
 *
 * `e` is the thrown value, `M` the module's descriptor (undefined when a function runs before its
 * module's first statement: an import cycle), `fn` and `scope` indexes into the module's metadata.
 * Every entry point is called from code the transform added, never throws (a debugger fault never
 * replaces the user's error), and does nothing but return with debugging off (`settings.enabled`).
 *
 * One file, loaded at startup by every instrumented module: each module file costs about 0.5 ms to
 * load (measured with `process.hrtime` around `require` in fresh processes), so the switches, the
 * store of captured frames and what they need live here, and this file imports nothing at run time
 * (records.ts has the shared definitions, of which this file keeps its own copies: the sentinels,
 * `metaOf`). Session code is loaded lazily, the first time a session opens: see {@link openOnce}.
 */
import type { Settings } from './config';
import type { ErrorCapture, ModuleDesc, ModuleMeta, ScopeRecord } from './records';

/** Sentinel stored in place of a binding that was still in its temporal dead zone at the throw. */
export const UNINITIALIZED: unique symbol = Symbol.for('ts-pdb.uninitialized');

/** Sentinel for a binding the capture could not read (a closure variable renamed by a later pass, ...). */
export const UNAVAILABLE: unique symbol = Symbol.for('ts-pdb.unavailable');

/** True for `1`, `true`, `yes`, `on` (any case); false for unset, empty, `0`, `false`, `no`, `off`. */
export function parseFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** A positive integer setting, or the default when unset or not a positive integer. */
export function parsePositiveInt(value: string | undefined, fallback: number): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const env = process.env;
/** The process-wide settings, from the environment at load time. */
export const settings: Settings = {
  enabled: parseFlag(env.IPDB_DEBUG),
  modeText: env.IPDB_MODE,
  contextSize: parsePositiveInt(env.IPDB_CONTEXT_SIZE, 11),
};

// The capture runs inside the program's own catch paths: it must not call built-ins the program
// may have patched (spies, polyfills, zone.js). Take them once, at load.
const uncurry = <A extends unknown[], R>(fn: (...args: A) => R): ((self: unknown, ...args: A) => R) =>
  Function.prototype.call.bind(fn) as (self: unknown, ...args: A) => R;
const weakGet = uncurry(WeakMap.prototype.get) as (m: WeakMap<object, ErrorCapture>, k: object) => ErrorCapture | undefined;
const weakSet = uncurry(WeakMap.prototype.set) as (m: WeakMap<object, ErrorCapture>, k: object, v: ErrorCapture) => void;
const same = Object.is;
const parseJson = JSON.parse;
// New arrays through concat and slice: they define their elements (an assignment `a[i] = v`
// would run a setter a program put on Array.prototype).
const concat = uncurry(Array.prototype.concat) as <T>(list: T[], more: T[]) => T[];
const slice = uncurry(Array.prototype.slice) as <T>(list: T[], from: number, to: number) => T[];

const byObject = new WeakMap<object, ErrorCapture>();
/**
 * Thrown primitives (`throw "x"`) cannot key a WeakMap; the last one thrown is kept in this one
 * slot, which bounds what is retained to a single capture.
 */
let primitive: { value: unknown; capture: ErrorCapture } | undefined;

/** The capture of `thrown`, created on first use when `create` is true. */
export function captureOf(thrown: unknown, create: boolean): ErrorCapture | undefined {
  if ((typeof thrown === 'object' && thrown !== null) || typeof thrown === 'function') {
    let c = weakGet(byObject, thrown);
    if (!c && create) weakSet(byObject, thrown, (c = { frames: [], pending: [], handled: false }));
    return c;
  }
  if (primitive && same(primitive.value, thrown)) return primitive.capture;
  if (!create) return undefined;
  primitive = { value: thrown, capture: { frames: [], pending: [], handled: false } };
  return primitive.capture;
}

/** Forgets the capture of `thrown` (after its session, or when a thrown primitive is done with). */
export function forgetCapture(thrown: unknown): void {
  if ((typeof thrown === 'object' && thrown !== null) || typeof thrown === 'function') {
    const c = weakGet(byObject, thrown);
    if (c) {
      c.frames = [];
      c.pending = [];
    }
    return;
  }
  if (primitive && same(primitive.value, thrown)) primitive = undefined;
}

/** The parsed metadata of a module, or undefined when the module descriptor is missing or bad (records.ts has the same for the session side). */
export function metaOf(mod: ModuleDesc | undefined): ModuleMeta | undefined {
  if (!mod) return undefined;
  if (!mod.parsed) {
    try {
      mod.parsed = parseJson(mod.meta) as ModuleMeta;
    } catch {
      return undefined;
    }
  }
  return mod.parsed;
}

/** Frames kept per thrown value; a value thrown again keeps its earlier frames up to this. */
const MAX_FRAMES = 256;

/** Stands for a binding still in its temporal dead zone (emitted by the transform). */
export const U = UNINITIALIZED;

/** Registers a module's descriptor; returns it for the module's `var` (`var __tsPdbM = m({...})`). */
export function m(desc: ModuleDesc): ModuleDesc {
  return desc;
}

/** A block scope's bindings, on the way out of the scope. */
export function b(thrown: unknown, mod: ModuleDesc | undefined, scope: number, ...values: unknown[]): void {
  if (!settings.enabled) return;
  try {
    const c = captureOf(thrown, true)!;
    c.pending = concat(c.pending, [{ mod, scope, values }]);
  } catch (fault) {
    reportFault(fault);
  }
}

/** A function frame's bindings, on the way out of the function. */
export function f(thrown: unknown, mod: ModuleDesc | undefined, fn: number, thisValue: unknown, ...values: unknown[]): void {
  if (!settings.enabled) return;
  try {
    record(captureOf(thrown, true)!, mod, fn, thisValue, values);
  } catch (fault) {
    reportFault(fault);
  }
}

/**
 * A boundary's frame (a function marked with `@attachOnError()` or `// @debuggable`): records it
 * like {@link f}, then opens the session if none was opened for this value yet. Returns when the
 * session ends; the caller rethrows.
 */
export function F(thrown: unknown, mod: ModuleDesc | undefined, fn: number, thisValue: unknown, ...values: unknown[]): void {
  if (!settings.enabled) return;
  try {
    const c = captureOf(thrown, true)!;
    record(c, mod, fn, thisValue, values);
    openOnce(thrown, c, { instrumented: true });
  } catch (fault) {
    reportFault(fault);
  }
}

/** The values a breakpoint session left in its frame, for the call site to assign back (see {@link bp}). */
export let w: unknown[] = [];

/**
 * A `breakpoint()` call site, as the transform emits it:
 * `__tsPdb.settings.enabled ? (__tsPdb.bp(M, site, this, opts, [a, b]) && (b = __tsPdb.w[1]), void 0) : (args, void 0)`.
 * Opens the live session (runtime/breakpoint.ts, loaded now) on `values`, the bindings visible at
 * the call; answers true when the session changed one, with every value in {@link w} for the
 * call site to assign back to its writable bindings. No closure over the bindings is emitted: one
 * would make V8 keep them in the function's context, a cost on every pass even with debugging off.
 */
export function bp(mod: ModuleDesc | undefined, fn: number, thisValue: unknown, options: unknown, values: unknown[]): boolean {
  if (!settings.enabled) return false;
  try {
    // Lazy load (an import cycle by design, the only kind the cycle check allows,
    // test/import-cycles.test.mjs): breakpoint.ts imports this file back.
    const { openBreakpoint } = require('./breakpoint') as typeof import('./breakpoint');
    const after = openBreakpoint(mod, fn, thisValue, options as import('./breakpoint').BreakpointOptions | undefined, values, bp);
    if (after) {
      w = after;
      return true;
    }
  } catch (fault) {
    reportFault(fault);
  }
  return false;
}

/** The value a session's `return expr` chose, held until the boundary's catch takes it with {@link r}. */
let returning: { value: unknown } | undefined;

/**
 * A boundary that can recover (every boundary but constructors): like {@link F}, and answers what
 * its session decided: 0 rethrow, 1 `return expr` (the catch returns {@link r}() instead of
 * rethrowing), 2 `retry` (the catch runs the body again; only boundaries whose metadata says
 * `retry`). Emitted as `switch (__tsPdb.B(...)) { case 1: return __tsPdb.r(); case 2: continue; }`,
 * or `if (__tsPdb.B(...)) return __tsPdb.r();` where retry is not possible.
 */
export function B(thrown: unknown, mod: ModuleDesc | undefined, fn: number, thisValue: unknown, ...values: unknown[]): 0 | 1 | 2 {
  if (!settings.enabled) return 0;
  try {
    const c = captureOf(thrown, true)!;
    record(c, mod, fn, thisValue, values);
    const session = openOnce(thrown, c, { instrumented: true, recoverable: true });
    if (session?.returning) {
      returning = session.returning;
      return 1;
    }
    if (session?.retrying) {
      // The same value thrown again by the retried body opens a session again.
      c.handled = false;
      return 2;
    }
  } catch (fault) {
    reportFault(fault);
  }
  return 0;
}

/** The value chosen by `return expr`, once (see {@link B}). */
export function r(): unknown {
  const value = returning?.value;
  returning = undefined;
  return value;
}

/** What a boundary reads of a session that ended (engine/session.ts's Session has it). */
export interface SessionOutcome {
  /** Set by `return expr`: the value the boundary returns instead of throwing. */
  readonly returning: { value: unknown } | undefined;
  /** Set by `retry`: the boundary runs its body again. */
  readonly retrying: boolean;
}

/**
 * Opens the session for a value that left a boundary, unless one was opened for it already.
 * Used by {@link F} and by the run-time decorator of builds made without the transform.
 */
export function openOnce(
  thrown: unknown,
  c: ErrorCapture,
  how: { instrumented: boolean; uncaught?: boolean; recoverable?: boolean },
): SessionOutcome | undefined {
  if (c.handled) return undefined;
  c.handled = true;
  // Loaded on the first session only: an instrumented program that never opens one never loads it.
  // A lazy load that makes an import cycle by design (test/import-cycles.test.mjs allows
  // these three and no other): the opener and the live frame source read this file's store back.
  const { openSession } = loadOwn(() => require('./front-ends/open-session') as typeof import('./front-ends/open-session'));
  return openSession(thrown, c, how);
}

/**
 * Opens a session for an exception nobody caught, or a promise rejection nobody handled, with the
 * frames recorded on its way (every function of an "instrument all" build), then lets Node go on as
 * it would have: print the error and exit. `ts-pdb run` turns it on (`IPDB_ON_UNCAUGHT=1` unless
 * set); so does `IPDB_ON_UNCAUGHT=1` for any instrumented program. Installed once per thread.
 *
 * It listens to `uncaughtExceptionMonitor`, which Node emits before its own handling and which,
 * unlike `uncaughtException`, changes nothing of what happens next (rejections reach it too, in
 * Node's default `--unhandled-rejections=throw` mode). An error whose session already opened at a
 * boundary (and was quit there) does not open a second one.
 */
export function watchUncaught(): void {
  const key = Symbol.for('ts-pdb.watch-uncaught');
  const g = globalThis as { [k: symbol]: unknown };
  if (g[key]) return;
  g[key] = true;
  process.on('uncaughtExceptionMonitor', (thrown) => {
    if (!settings.enabled) return;
    try {
      const c = captureOf(thrown, true)!;
      // A program that never started (its file not found, or not compiling) gets Node's own
      // message and exit code: a session would show nothing but the module loader.
      // A lazy load (allowed by test/import-cycles.test.mjs; this one makes no cycle).
      const loadFailure = require('./front-ends/load-failure') as typeof import('./front-ends/load-failure');
      if (!c.handled && loadFailure.isLoadFailure(thrown, c)) return loadFailure.reportCompileError(thrown);
      // No notice about a build without the transform: this program is instrumented (it loaded
      // this module); an error whose path had no instrumented function shows its stack alone.
      openOnce(thrown, c, { instrumented: true, uncaught: true });
    } catch (fault) {
      reportFault(fault);
    }
  });
}

if (parseFlag(env.IPDB_ON_UNCAUGHT)) watchUncaught();

/**
 * Adds a frame. `values` are the function's bindings (`FnMeta.names`) followed by its closure
 * variables (`FnMeta.closure`), passed as arguments: an argument list is a few bytes of bytecode
 * per value, an array literal three times that, and V8 inlines by bytecode size.
 */
function record(c: ErrorCapture, mod: ModuleDesc | undefined, fn: number, thisValue: unknown, values: unknown[]): void {
  // Scope records of another function were left by an earlier throw of the same value that the
  // program caught there: they are not this frame's.
  const meta = metaOf(mod);
  const split = meta?.fns[fn]?.names.length ?? values.length;
  let scopes: ScopeRecord[] = [];
  const pending = c.pending;
  for (let i = 0; i < pending.length; i++) {
    const s = pending[i];
    if (s.mod === mod && meta?.scopes[s.scope]?.fn === fn) scopes = concat(scopes, [s]);
  }
  c.pending = [];
  // A value thrown again and again (a cached error, a retry loop) keeps its earlier frames, as
  // Python's traceback does; bounded, so that it cannot grow without end.
  if (c.frames.length >= MAX_FRAMES) c.frames = slice(c.frames, c.frames.length - MAX_FRAMES / 2, c.frames.length);
  c.frames = concat(c.frames, [
    { mod, fn, thisValue, values: slice(values, 0, split), closure: slice(values, split, values.length), scopes },
  ]);
}

/**
 * Runs `load` (a `require` of ts-pdb's own session code) with Node's source-map support off, and
 * puts it back as it was. With it on (`ts-pdb run`, `--enable-source-maps`), Node reads every
 * loaded file's source map and measures each of its lines as it loads it: a third of a rank's CPU
 * time from its throw to its socket listening (test/bench/socket-wait.mjs). ts-pdb's own files
 * need no mapping there; the program's files loaded before keep theirs, and nothing of the
 * program runs inside `load`. Node 20 has only `process.setSourceMapsEnabled`; 22.14 and later
 * also keep the options of `module.setSourceMapsSupport`, restored as they were.
 */
export function loadOwn<T>(load: () => T): T {
  const p = process as unknown as { sourceMapsEnabled?: boolean; setSourceMapsEnabled?: (on: boolean) => void };
  if (p.sourceMapsEnabled !== true || typeof p.setSourceMapsEnabled !== 'function') return load();
  type Support = { enabled: boolean; nodeModules: boolean; generatedCode: boolean };
  const m = require('node:module') as {
    getSourceMapsSupport?: () => Support;
    setSourceMapsSupport?: (on: boolean, options?: { nodeModules?: boolean; generatedCode?: boolean }) => void;
  };
  const was = m.getSourceMapsSupport?.();
  p.setSourceMapsEnabled(false);
  try {
    return load();
  } finally {
    if (was && m.setSourceMapsSupport) m.setSourceMapsSupport(true, { nodeModules: was.nodeModules, generatedCode: was.generatedCode });
    else p.setSourceMapsEnabled(true);
  }
}

/** Says, on stderr and without throwing, that the debugger itself failed. */
export function reportFault(fault: unknown): void {
  try {
    const text = fault instanceof Error ? (fault.stack ?? fault.message) : String(fault);
    // fs.writeSync: the event loop may be blocked, and console may be patched by the program.
    (require('node:fs') as typeof import('node:fs')).writeSync(2, `ts-pdb: internal fault (your error is rethrown unchanged): ${text}\n`);
  } catch {
    // nothing left to do: the user's error still propagates.
  }
}
