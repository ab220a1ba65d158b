/**
 * Which block-scoped bindings of a function can be declared at function level (or at the top of
 * the body of the loop around them), so that one `catch` there sees them (one try/catch per
 * function keeps the bytecode small enough for V8 to inline; docs/BENCHMARKS.md). A binding moves
 * only when no program can tell the difference:
 *
 * - `let`, `const`, `class` (where `let C = class C {}` is emitted the same) or a catch parameter;
 *   not `using`, not in a `switch` (its TDZ depends on which case runs);
 * - its name is unique in the function: no parameter, `var`, function or other block binding of
 *   that name in the function, and no reference in the function to another variable (outer,
 *   module or global) of that name;
 * - its TDZ cannot be observed: every reference comes after its declaration in the text, and
 *   none is inside a function declaration (hoisted: callable before) or inside a function
 *   created before the declaration; for a `for...in/of` head, none is in the iterated expression;
 * - a `const` is never assigned (the assignment must still throw);
 * - a binding that a closure captures is not re-created by a loop (per-iteration bindings, a
 *   catch parameter in a loop): moving it would share one binding between the closures.
 *
 * The others stay where they are and are captured by the block's own try/catch segments. The
 * decision is made here for both adapters; each answers the few syntax questions of
 * {@link HoistSyntax} about its own AST.
 */
import type { Binding, Scope, ScopeInfo } from './scope-model';

const MOVABLE = new Set(['let', 'const', 'class', 'catch']);
const NOT_A_BINDING_NAME = new Set(['arguments', 'eval']);

/**
 * Names later passes write into the output that the source does not show: CommonJS's wrapper
 * (`exports.x`, `require(...)`), the compilers' helpers (`__rest`, `__awaiter`, `_defineProperty`
 * is uid-named by Babel) and the globals downlevel code calls (`Object.assign`,
 * `Promise.resolve`, ...). A block binding of such a name stays in its block, where it cannot
 * capture those references.
 */
function reservedName(name: string): boolean {
  return name.startsWith('__') || name === 'exports' || name === 'require' || name === 'module' || name in globalThis;
}

/** True when the reference `id` assigns its variable (`x = ...`, `x += ...`, `x++`, a destructuring or for-in/of target). */
export function isWrite<N>(sx: HoistSyntax<N>, id: N): boolean {
  for (let node = id, p = sx.parent(id); p !== undefined; node = p, p = sx.parent(p)) {
    const step = sx.writeStep(p, node, id);
    if (step !== 'through') return step === 'write';
  }
  return false;
}

/**
 * True when `class C {...}` may be written `C = class C {...}` with the same behaviour: not
 * `declare`, no decorators anywhere in it (TypeScript treats decorated expressions differently;
 * a marker decorator counts, it was in the source), no static members moved out of its body.
 * @param decorated whether a node carries decorators (file-state.ts: marker decorators included)
 */
export function canBeClassExpression<N>(sx: HoistSyntax<N>, cls: N, decorated: (n: N) => boolean): boolean {
  const c = sx.classParts(cls);
  if (c.ambient || decorated(cls)) return false;
  if (c.members.some((m) => decorated(m) || c.params(m).some(decorated))) return false;
  return !c.lowersStatics;
}

/** The syntax questions hoist planning asks of an adapter's AST. */
export interface HoistSyntax<N> {
  /** The node around `n`. */
  parent(n: N): N | undefined;
  /** Offsets in the source text, comparable with each other. */
  start(n: N): number;
  end(n: N): number;
  /** For a `for`, `for...in/of`, `while` or `do` statement, its body statement; otherwise undefined. */
  loopBody(n: N): N | undefined;
  /**
   * Whether `n` starts code that runs later than the text around it: `'declaration'` for a
   * function declaration (hoisted: callable before it), `'other'` for any other function, method,
   * accessor, class static block or field initialiser; otherwise undefined.
   */
  deferred(n: N): 'declaration' | 'other' | undefined;
  /** True for a `switch` statement's scope node. */
  isSwitchScope(n: N): boolean;
  /** True when the declaration (a variable declarator or catch parameter) binds a destructuring pattern. */
  isPattern(decl: N): boolean;
  /** For a declarator in a `for...in/of` head, the iterated expression. */
  iterated(decl: N): N | undefined;
  /** The declarators that must move together with `decl` (all of a loop head's), `decl` included. */
  group(decl: N): N[];
  /** The names a declarator (or class) declares. */
  declaredNames(decl: N): string[];
  /**
   * What the node `p` around a reference makes of it (`node`: the reference `id`, or a pattern or
   * wrapper holding it): `'through'` a destructuring pattern or a wrapper (ask its parent),
   * `'write'` an assignment to it (`=`, `+=`, `++`, a for-in/of head), undefined a read.
   */
  writeStep(p: N, node: N, id: N): 'through' | 'write' | undefined;
  /**
   * What decides whether a class declaration may be written `C = class C {}`: `declare`, its
   * members and their parameters (for their decorators), and whether the output moves its static
   * members out of the class body (TypeScript below ES2022: the name would then mean the outer binding).
   */
  classParts(cls: N): { ambient: boolean; members: readonly N[]; params(member: N): readonly N[]; lowersStatics: boolean };
}

/** Where a binding moves: to the function's level, or to the top of a loop's body. */
export interface HoistPlan<N> {
  /** Bindings declared at function level, in source order. */
  fn: Binding<N>[];
  /** Bindings declared at the top of a loop's body (the loop statement is the key), in source order. */
  loops: Map<N, Binding<N>[]>;
}

/**
 * The loop whose body a binding moves to: the nearest loop around its declaration whose body
 * (not head) contains it; for a loop-head binding, the nearest loop around that loop. Moving a
 * binding declared in a loop body to function level would carry its value around the loop, and
 * V8 then keeps an object it could otherwise have optimised away (escape analysis does not
 * follow values through loop phis into a catch): `let p` at the top of the body keeps one
 * binding per iteration, as written.
 */
export function targetLoop<N>(sx: HoistSyntax<N>, decl: N, fn: N): N | undefined {
  let child: N = decl;
  for (let p = sx.parent(decl); p !== undefined && p !== fn; child = p, p = sx.parent(p)) {
    if (sx.loopBody(p) === child) return p;
  }
  return undefined;
}

/** The bindings of the function `fn` to move, and where to. */
export function planHoist<N>(sx: HoistSyntax<N>, info: ScopeInfo<N>, fn: N, decorated: (n: N) => boolean): HoistPlan<N> {
  const fnScope = info.scopes.get(fn)!;
  const own: Scope<N>[] = [fnScope, ...(info.blocksOf.get(fnScope) ?? [])];
  // Most functions (callbacks, one-liners) declare nothing that could move: no more work for them.
  if (!own.some((s) => s.order.some((n) => MOVABLE.has(s.bindings.get(n)!.kind)))) return { fn: [], loops: new Map() };

  const count = new Map<string, number>();
  for (const s of own) for (const n of s.order) count.set(n, (count.get(n) ?? 0) + 1);
  const fnLevel = new Set(
    fnScope.order.filter((n) => {
      const k = fnScope.bindings.get(n)!.kind;
      return k === 'param' || k === 'var' || k === 'function';
    }),
  );

  // The names referenced inside fn (nested functions included) that mean a binding outside fn or
  // a global: a binding of such a name moved to function level would capture those references.
  const free = info.freeIn.get(fnScope);

  const chosen: Binding<N>[] = [];
  for (const s of own) {
    if (sx.isSwitchScope(s.node)) continue;
    for (const name of s.order) {
      const b = s.bindings.get(name)!;
      if (!MOVABLE.has(b.kind) || b.decl === undefined || NOT_A_BINDING_NAME.has(name)) continue;
      if (b.scope !== fnScope && fnLevel.has(name)) continue;
      if (count.get(name)! > 1) continue;
      // Every reference of this name inside fn must mean b (the only binding of the name in fn's
      // own scopes) or a binding of a nested function.
      if (free?.has(name) || reservedName(name)) continue;
      // A destructuring pattern stays a declaration: V8 words the errors of declaration and
      // assignment patterns differently (`n is not iterable` against `number 5 is not iterable`).
      if (sx.isPattern(b.decl)) continue;
      if (b.kind === 'class' && !canBeClassExpression(sx, b.decl!, decorated)) continue;
      const tdz = tdzUnobservable(sx, b, fn);
      if (tdz === undefined) continue;
      if (b.kind === 'const' && b.refs.some((r) => isWrite(sx, r.id))) continue;
      if (tdz === 'deferred' && recreatedBelow(sx, b, targetLoop(sx, b.decl, fn) ?? fn)) continue;
      chosen.push(b);
    }
  }
  // All names of one declarator move together (a destructuring pattern is one assignment), and all
  // declarators of a loop head (`for (let i = 0, n = a.length; ...)` becomes one expression).
  const chosenSet = new Set(chosen);
  for (let changed = true; changed;) {
    changed = false;
    for (const b of chosenSet) {
      const ok = sx.group(b.decl!).every((d) => sx.declaredNames(d).every((n) => [...chosenSet].some((c) => c.name === n && c.decl === d)));
      if (!ok) {
        chosenSet.delete(b);
        changed = true;
      }
    }
  }
  const plan: HoistPlan<N> = { fn: [], loops: new Map() };
  for (const b of chosen.filter((c) => chosenSet.has(c)).sort((a, c) => sx.start(a.decl!) - sx.start(c.decl!))) {
    const loop = targetLoop(sx, b.decl!, fn);
    if (loop === undefined) {
      plan.fn.push(b);
      continue;
    }
    let list = plan.loops.get(loop);
    if (!list) plan.loops.set(loop, (list = []));
    list.push(b);
  }
  return plan;
}

/** The outermost deferred node (function, method, static block, field initialiser) below `fn` around `node`. */
function enclosingDeferred<N>(sx: HoistSyntax<N>, node: N, fn: N): N | undefined {
  let found: N | undefined;
  for (let p = sx.parent(node); p !== undefined && p !== fn; p = sx.parent(p)) if (sx.deferred(p)) found = p;
  return found;
}

/**
 * Whether the binding's TDZ cannot be observed (see the file's header): undefined when it can;
 * otherwise `'deferred'` when a reference is inside a function (or other deferred code) below
 * `fn`, `'direct'` when none is (what the closure check then asks, found on the same walk).
 */
function tdzUnobservable<N>(sx: HoistSyntax<N>, b: Binding<N>, fn: N): 'deferred' | 'direct' | undefined {
  const declEnd = sx.end(b.decl!);
  const iterated = sx.iterated(b.decl!);
  let result: 'deferred' | 'direct' = 'direct';
  for (const r of b.refs) {
    if (iterated !== undefined && sx.start(r.id) >= sx.start(iterated) && sx.end(r.id) <= sx.end(iterated)) return undefined;
    const outer = enclosingDeferred(sx, r.id, fn);
    if (outer !== undefined) {
      if (sx.deferred(outer) === 'declaration') return undefined;
      if (sx.start(outer) < declEnd) return undefined;
      result = 'deferred';
    } else if (sx.start(r.id) < declEnd) {
      return undefined;
    }
  }
  return result;
}

/**
 * True when the binding's scope is entered more than once for one entry of `target` (the
 * function, or the loop whose body it moves to): a loop head's own binding.
 */
function recreatedBelow<N>(sx: HoistSyntax<N>, b: Binding<N>, target: N): boolean {
  for (let p: N | undefined = b.scope.node; p !== undefined && p !== target; p = sx.parent(p)) {
    if (sx.loopBody(p) !== undefined) return true;
  }
  return false;
}
