/**
 * What each catch of an instrumented function passes to the runtime, and the module's metadata
 * that names those values: decided here for both adapters, from the scope model and the hoist
 * plan, so a TypeScript build and a Babel build of one source capture the same frames.
 */
import type { BindingKind, FnMeta, ModuleMeta, ScopeMeta } from '../../runtime/records';
import type { CommentMarker } from './markers';
import type { ResolvedOptions } from './options';
import type { Binding, Scope } from './scope-model';

/** A captured name and its kind. */
export interface Capturable {
  name: string;
  kind: BindingKind;
}

const CAPTURABLE = new Set<string>(['param', 'var', 'let', 'const', 'function', 'class', 'catch', 'using']);
/** Names a strict-mode function cannot read as plain identifiers in our catch clauses. */
export const NEVER_CAPTURED: ReadonlySet<string> = new Set(['arguments', 'eval']);

/** What an adapter knows about a function when deciding whether to instrument it. */
export interface FunctionFacts {
  /** It has a body (not an overload, abstract or ambient declaration). */
  hasBody: boolean;
  /** Its body calls `eval(...)` directly. */
  directEval: boolean;
  /** It contains, or lies inside, a `with` statement. */
  withStatement: boolean;
  /** A scope of its own declares a name twice, one of them lexically: an early error (`Scope.redeclaresLexically`). */
  redeclaresLexically?: boolean;
  /** The comment marker written before it. */
  comment: CommentMarker;
  /** It carries a marker decorator. */
  decorated: boolean;
}

/**
 * What a file's text allows, so that adapters skip their per-function walks for what cannot be
 * there: no `eval` anywhere means no direct eval; no `with (` means no `with` statement.
 */
export function textAllows(text: string): { eval: boolean; with: boolean } {
  return { eval: text.includes('eval'), with: /\bwith\s*\(/.test(text) };
}

/**
 * The runtime entry a function's catch calls (`__tsPdb.<entry>(...)`):
 * - `f`: records a frame (`instrument: "all"`);
 * - `F`: records a boundary's frame and opens its session, then the catch rethrows;
 * - `B`: the same, and answers `true` when the session ended with `return expr`: the catch then
 *   returns `__tsPdb.r()` (that value) instead of rethrowing
 *   (`if (__tsPdb.B(...)) return __tsPdb.r();`).
 * Constructors get `F`: what a constructor returns is not what `new` gives its caller in place of
 * the object being built (a primitive is ignored; in a derived class it is a TypeError).
 */
export function catchEntry(role: 'boundary' | 'frame', isConstructor: boolean): 'f' | 'F' | 'B' {
  if (role === 'frame') return 'f';
  return isConstructor ? 'F' : 'B';
}

/**
 * True when a boundary can be retried (the session's `retry`): its body is then wrapped in
 * `for (;;) { try { body; return; } catch (e) { switch (__tsPdb.B(...)) { case 1: return __tsPdb.r();
 * case 2: continue; } throw e; } }`, so `retry` runs the body again from its first statement, with
 * the same `this` and parameter bindings, without a reference to the function (a method has none)
 * and without saving anything on the way in. Not for generators (what they yielded is gone) nor
 * constructors (a half-built object).
 */
export function retryable(role: 'boundary' | 'frame', isConstructor: boolean, isGenerator: boolean): boolean {
  return role === 'boundary' && !isConstructor && !isGenerator;
}

/**
 * Whether to instrument a function, and as what: a boundary (marked: the session opens there) or a
 * plain frame (`instrument: "all"`).
 */
export function instrumentRole(f: FunctionFacts, options: ResolvedOptions): 'boundary' | 'frame' | undefined {
  if (!f.hasBody || !options.enabled) return undefined;
  // Direct eval sees the function's scope: it could see (or, sloppy, redeclare) the names the
  // transform adds, and its var declarations clash with block-level functions. Left as written.
  // `with` looks names up through an object the program controls (a Proxy sees every read).
  if (f.directEval || f.withStatement) return undefined;
  // An early error the compiler let through: instrumented, the program would run; as written it must not.
  if (f.redeclaresLexically) return undefined;
  if (f.comment === 'no-debug') return undefined;
  if (f.decorated || f.comment === 'debuggable') return 'boundary';
  return options.instrument === 'all' ? 'frame' : undefined;
}

/**
 * A block scope's capturable names (in declaration order), or undefined when it declares none.
 * Moved bindings are captured where they moved to; functions declared in blocks are not captured
 * (a segment catch just for them would cost more than they are worth).
 */
export function blockNames<N>(scope: Scope<N> | undefined, moved: ReadonlySet<Binding<N>>): Capturable[] | undefined {
  if (!scope) return undefined;
  const names = scope.order
    .map((n) => scope.bindings.get(n)!)
    .filter((b) => CAPTURABLE.has(b.kind) && b.kind !== 'function' && !NEVER_CAPTURED.has(b.name) && !moved.has(b))
    .map((b) => ({ name: b.name, kind: b.kind as BindingKind }));
  return names.length ? names : undefined;
}

/** The lexical bindings of a function body's top level that stay in the try block (captured by its segments). */
export function topLevelNames<N>(scope: Scope<N>, moved: ReadonlySet<Binding<N>>): Capturable[] {
  const out: Capturable[] = [];
  for (const n of scope.order) {
    const b = scope.bindings.get(n)!;
    if ((b.kind === 'let' || b.kind === 'const' || b.kind === 'class') && !moved.has(b) && !NEVER_CAPTURED.has(n)) {
      out.push({ name: n, kind: b.kind });
    }
  }
  return out;
}

/**
 * The values the function's own catch passes, in order: parameters and `var`s, the bindings moved
 * to function level, then the function declarations that stay at function level.
 */
export function frameNames<N>(scope: Scope<N>, movedToFn: readonly Binding<N>[], functionNames: readonly string[]): Capturable[] {
  const out: Capturable[] = [];
  for (const n of scope.order) {
    const k = scope.bindings.get(n)!.kind;
    if (NEVER_CAPTURED.has(n)) continue;
    if (k === 'param' || k === 'var') out.push({ name: n, kind: k });
  }
  for (const b of movedToFn) out.push({ name: b.name, kind: b.kind as BindingKind });
  for (const n of functionNames) if (!NEVER_CAPTURED.has(n) && !out.some((v) => v.name === n)) out.push({ name: n, kind: 'function' });
  return out;
}

/** The closure variables a function's catch passes (free variables bound in enclosing functions). */
export function closureOf<N>(scope: Scope<N>): Binding<N>[] {
  return [...scope.closure.values()].filter((b) => !NEVER_CAPTURED.has(b.name));
}

/** True when reading the closure variable can hit its TDZ (all but `var` and functions): read guarded. */
export function closureReadMayThrow<N>(b: Binding<N>): boolean {
  return b.kind !== 'var' && b.kind !== 'function';
}

/**
 * Top-level function declarations stay at function level (out of the try: that is their own
 * scope) unless they read a top-level binding that stays in the try block; a function that stays
 * makes the functions that read it stay too. Returns the ones that stay in the try block.
 * @param reads whether a function's text reads any of the names (conservative: by name)
 */
export function stayingFunctions<N>(
  fns: readonly { name: string; node: N }[],
  staying: Set<string>,
  reads: (node: N, names: ReadonlySet<string>) => boolean,
): Set<N> {
  const out = new Set<N>();
  for (let changed = true; changed;) {
    changed = false;
    for (const fd of fns) {
      if (!out.has(fd.node) && reads(fd.node, staying)) {
        out.add(fd.node);
        staying.add(fd.name);
        changed = true;
      }
    }
  }
  return out;
}

/** A position in the original source: 1-based line, 0-based column. */
export interface Pos {
  line: number;
  col: number;
}

/** Collects the metadata of one module's instrumented functions and scopes, in emission order. */
export class MetaBuilder {
  readonly fns: FnMeta[] = [];
  readonly scopes: ScopeMeta[] = [];
  /** Index of the function being instrumented (scopes registered now belong to it). */
  current = -1;

  /**
   * Registers a block scope of the current function; returns its index (the catch passes it).
   * @param declEnds for bindings moved to the top of a loop body: where their declaration ends
   */
  scope(at: Pos, names: readonly Capturable[], declEnds?: ([number, number] | null)[]): number {
    this.scopes.push({
      fn: this.current,
      names: names.map((n) => n.name),
      kinds: names.map((n) => n.kind),
      line: at.line,
      col: at.col,
      ...(declEnds ? { declEnds } : {}),
    });
    return this.scopes.length - 1;
  }

  /**
   * Registers a function and makes it current; returns the index of the function that was current
   * (give it back to {@link end}).
   */
  begin(
    meta: Omit<FnMeta, 'names' | 'kinds' | 'declEnds'>,
    names: readonly Capturable[],
    declEndOf: (name: string) => [number, number] | undefined,
  ): number {
    const declEnds = names.map((v) => declEndOf(v.name) ?? null);
    this.fns.push({
      name: meta.name,
      line: meta.line,
      col: meta.col,
      endLine: meta.endLine,
      endCol: meta.endCol,
      names: names.map((v) => v.name),
      kinds: names.map((v) => v.kind),
      closure: meta.closure,
      boundary: meta.boundary,
      hasThis: meta.hasThis,
      ...(declEnds.some((d) => d !== null) ? { declEnds } : {}),
      ...(meta.retry ? { retry: true } : {}),
    });
    const outer = this.current;
    this.current = this.fns.length - 1;
    return outer;
  }

  /**
   * Registers a `breakpoint()` call site (breakpoints.ts): the bindings visible there, with the
   * range of the function around it (so the live frame attaches to that function's stack line).
   * Does not change the current function. Returns the site's index (the call passes it).
   */
  site(
    around: { name: string; line: number; col: number; endLine: number; endCol: number; hasThis: boolean },
    own: readonly Capturable[],
    outer: readonly Capturable[],
  ): number {
    this.fns.push({
      name: around.name,
      line: around.line,
      col: around.col,
      endLine: around.endLine,
      endCol: around.endCol,
      names: own.map((v) => v.name),
      kinds: own.map((v) => v.kind),
      closure: outer.map((v) => v.name),
      boundary: false,
      hasThis: around.hasThis,
      site: 'breakpoint',
      closureKinds: outer.map((v) => v.kind),
    });
    return this.fns.length - 1;
  }

  /** Ends the current function (see {@link begin}). */
  end(outer: number): void {
    this.current = outer;
  }

  /** The module's metadata, as the runtime reads it. */
  meta(): ModuleMeta {
    return { v: 1, fns: this.fns, scopes: this.scopes };
  }
}
