/**
 * The data that instrumented code hands to the runtime: the contract between the transform
 * (transformer/, which imports these types) and the runtime.
 *
 * The transform emits, once per module, a {@link ModuleDesc}, and in the `catch` clauses it adds,
 * calls to `capture.f` (a function frame) and `capture.b` (a block scope inside a frame). Those
 * calls build {@link FrameRecord}s attached to the thrown value (capture.ts keeps them). Nothing
 * here runs on the non-throwing path, and this file imports nothing: every layer may use it.
 * capture.ts keeps its own copies of the sentinels and of {@link metaOf}, for the reason its header gives.
 */

// The sentinels are registered symbols: capture.ts (which must load alone, see its header) makes
// the same two with the same keys, so the values it stores are these.
/** Sentinel stored in place of a binding that was still in its temporal dead zone at the throw. */
export const UNINITIALIZED: unique symbol = Symbol.for('ts-pdb.uninitialized');

/** Sentinel for a binding the capture could not read (a closure variable renamed by a later pass, ...). */
export const UNAVAILABLE: unique symbol = Symbol.for('ts-pdb.unavailable');

/**
 * The global (`globalThis[STACK_REWRITERS]`, a `Set`) of functions that rewrite an error's stack text
 * for the session, by a tool that ran the code from memory and knows its source maps where Node's
 * stack does not (the Vite plugin in Vite's SSR dev server: runtime/vite/ssr-stacks.ts). Read by
 * engine/stack.ts `stackTextOf`; the error itself is never changed.
 */
export const STACK_REWRITERS: unique symbol = Symbol.for('ts-pdb.stack-rewriters');

/** A function of {@link STACK_REWRITERS}: the stack text mapped (or as it was). May throw: the text is then kept. */
export type StackRewriter = (stack: string) => string;

/**
 * One instrumented module, as emitted by the transform at the top of the module.
 * Built with `capture.m(...)`; `undefined` when a function of the module runs before the
 * module's own first statement (an import cycle), which the runtime tolerates.
 */
export interface ModuleDesc {
  /** Original source file, as the compiler saw it (absolute path). */
  file: string;
  /** Evaluates code in the module's top-level scope (direct eval in an arrow at module level). */
  ev?: (code: string) => unknown;
  /**
   * Getters for the module's top-level bindings and imports, by their source names. Reading one may
   * throw (a binding still in its TDZ): callers must guard.
   */
  g?: Record<string, unknown>;
  /** JSON text of {@link ModuleMeta}; parsed lazily, on the first throw that needs it. */
  meta: string;
  /** Parsed {@link meta}, filled in by the runtime. */
  parsed?: ModuleMeta;
}

/** Static facts about the instrumented functions and scopes of a module (original positions). */
export interface ModuleMeta {
  /** Version of this format. */
  v: 1;
  fns: FnMeta[];
  scopes: ScopeMeta[];
}

/** Kind of a captured binding: parameter, var, let, const, function, class, catch parameter, import, using. */
export type BindingKind = 'param' | 'var' | 'let' | 'const' | 'function' | 'class' | 'catch' | 'using';

/**
 * The kinds of binding a `breakpoint()` call site assigns back to the program when the session
 * changed them (transformer/core/breakpoints.ts); the others (`const`, ...) keep their value.
 */
export const BREAKPOINT_WRITABLE: ReadonlySet<BindingKind> = new Set<BindingKind>(['param', 'var', 'let', 'catch']);

/** One instrumented function. Lines are 1-based, columns 0-based, in the original source. */
export interface FnMeta {
  /** Name as a user would call it (`Trainer.step`, `riskyOperation`, `<anonymous>`). */
  name: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  /** Names of the function-level bindings passed in `values` of `capture.f`, in order. */
  names: string[];
  kinds: BindingKind[];
  /** Names of the free variables (of enclosing functions) passed in `closure`. */
  closure: string[];
  /** True when the function is a debug boundary (marked): the session opens here. */
  boundary: boolean;
  /** True when `thisValue` is meaningful (not an arrow, not a static context). */
  hasThis: boolean;
  /**
   * For bindings the transform moved to function level out of a block (aligned with `names`,
   * `null` for the others): where their declaration ends, `[line, col]`. Such a binding starts
   * undefined (no sentinel is stored at run time, so the non-throwing path pays nothing), and is
   * shown as not initialised at a position before that.
   */
  declEnds?: ([number, number] | null)[];
  /**
   * `breakpoint` for the entry of a `breakpoint()` call site: the bindings visible there (own
   * function's in `names`, enclosing functions' in `closure`), with the enclosing function's range,
   * so that the live frame attaches to its stack line. Such an entry is not an instrumented function.
   */
  site?: 'breakpoint';
  /** For a breakpoint site: the kinds of the `closure` bindings (what the call site may assign back). */
  closureKinds?: BindingKind[];
  /** True for a boundary whose session can `retry` it (transformer/core/frame-plan.ts `retryable`). */
  retry?: boolean;
}

/** One block scope (block, loop body, catch clause, switch) with lexical bindings. */
export interface ScopeMeta {
  /** Index of the function (in `fns`) that contains the scope. */
  fn: number;
  names: string[];
  kinds: BindingKind[];
  /** Original position of the scope's start. */
  line: number;
  col: number;
  /** As {@link FnMeta.declEnds}, for bindings moved to the top of a loop's body. */
  declEnds?: ([number, number] | null)[];
}

/** Captured values of one block scope of a frame, pushed before the frame itself completes. */
export interface ScopeRecord {
  mod: ModuleDesc | undefined;
  scope: number;
  values: unknown[];
}

/** The locals of one instrumented frame at the moment an exception passed through it. */
export interface FrameRecord {
  mod: ModuleDesc | undefined;
  fn: number;
  thisValue: unknown;
  values: unknown[];
  closure: unknown[];
  /** Block scopes of this frame, innermost first. */
  scopes: ScopeRecord[];
}

/** Everything captured for one thrown value. */
export interface ErrorCapture {
  /** Instrumented frames the value passed through, innermost first. */
  frames: FrameRecord[];
  /** Scope records of the frame currently being unwound, not yet claimed by its `capture.f`. */
  pending: ScopeRecord[];
  /** Set once a session has been opened (or a report printed) for this value. */
  handled: boolean;
}

/**
 * The parsed metadata of a module, or undefined when the module descriptor is missing or bad.
 * Parsed once, on first use, into `mod.parsed`. capture.ts has its own copy (it must load alone)
 * that fills the same field, so either reads what the other parsed.
 */
export function metaOf(mod: ModuleDesc | undefined): ModuleMeta | undefined {
  if (!mod) return undefined;
  if (!mod.parsed) {
    try {
      mod.parsed = JSON.parse(mod.meta) as ModuleMeta;
    } catch {
      return undefined;
    }
  }
  return mod.parsed;
}
