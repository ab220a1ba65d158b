/**
 * Which block-scoped bindings of a function can be declared at function level (or at the top of
 * the body of the loop around them), so that one `catch` there sees them (one try/catch per
 * function keeps the bytecode small enough for V8 to inline; BENCHMARKS.md). A binding moves
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
 * The others stay where they are and are captured by the block's own try/catch segments.
 */
import type * as TS from 'typescript';
import { boundNames, type Binding, isFunctionLike, isWriteReference, type Scope, type ScopeInfo } from './scopes';

const MOVABLE = new Set(['let', 'const', 'class', 'catch']);
const NOT_A_BINDING_NAME = new Set(['arguments', 'eval']);

/**
 * Names later passes write into the output that the source does not show: CommonJS's wrapper
 * (`exports.x`, `require(...)`), TypeScript's helpers (`__rest`, `__awaiter`, ...) and the
 * globals its downlevel code calls (`Object.assign`, `Promise.resolve`, ...). A block binding of
 * such a name stays in its block, where it cannot capture those references.
 */
function reservedName(name: string): boolean {
  return name.startsWith('__') || name === 'exports' || name === 'require' || name === 'module'
    || name in globalThis;
}

/** Where a binding moves: to the function's level, or to the top of a loop's body. */
export interface HoistPlan {
  /** Bindings declared at function level, in source order. */
  fn: Binding[];
  /** Bindings declared at the top of a loop's body (the loop statement is the key), in source order. */
  loops: Map<TS.IterationStatement, Binding[]>;
}

/**
 * The loop whose body a binding moves to: the nearest loop around its declaration whose body
 * (not head) contains it; for a loop-head binding, the nearest loop around that loop. Moving a
 * binding declared in a loop body to function level would carry its value around the loop, and
 * V8 then keeps an object it could otherwise have optimised away (escape analysis does not
 * follow values through loop phis into a catch): `let p` at the top of the body keeps one
 * binding per iteration, as written.
 */
export function targetLoop(ts: typeof TS, decl: TS.Node, fn: TS.Node): TS.IterationStatement | undefined {
  let child: TS.Node = decl;
  for (let p = decl.parent; p && p !== fn; child = p, p = p.parent) {
    if (ts.isIterationStatement(p, false) && child === p.statement) return p;
  }
  return undefined;
}

/** The bindings of `fn` to move, and where to. */
export function planHoist(
  ts: typeof TS, info: ScopeInfo, fn: TS.FunctionLikeDeclaration,
  classIsExpression: (cls: TS.ClassDeclaration) => boolean,
): HoistPlan {
  const fnScope = info.scopes.get(fn)!;
  const own: Scope[] = [fnScope, ...(info.blocksOf.get(fnScope) ?? [])];

  const count = new Map<string, number>();
  for (const s of own) for (const n of s.order) count.set(n, (count.get(n) ?? 0) + 1);
  const fnLevel = new Set(fnScope.order.filter((n) => {
    const k = fnScope.bindings.get(n)!.kind;
    return k === 'param' || k === 'var' || k === 'function';
  }));

  // Every reference inside fn, by name, with what it resolves to.
  const refsByName = new Map<string, (Binding | undefined)[]>();
  for (const id of info.refsIn.get(fnScope) ?? []) {
    const b = info.refBinding.get(id);
    let list = refsByName.get(id.text);
    if (!list) refsByName.set(id.text, (list = []));
    list.push(b);
  }

  const chosen: Binding[] = [];
  for (const s of own) {
    if (ts.isCaseBlock(s.node)) continue;
    for (const name of s.order) {
      const b = s.bindings.get(name)!;
      if (!MOVABLE.has(b.kind) || !b.decl || NOT_A_BINDING_NAME.has(name) || reservedName(name)) continue;
      // A destructuring pattern stays a declaration: V8 words the errors of declaration and
      // assignment patterns differently (`n is not iterable` against `number 5 is not iterable`).
      if ((ts.isVariableDeclaration(b.decl) && !ts.isIdentifier(b.decl.name))) continue;
      if (b.scope !== fnScope && fnLevel.has(name)) continue;
      if (count.get(name)! > 1) continue;
      if (b.kind === 'class' && !classIsExpression(b.decl as TS.ClassDeclaration)) continue;
      if (!(refsByName.get(name) ?? []).every((r) => r === b || (r !== undefined && isInside(r.scope, fnScope)))) continue;
      if (!tdzUnobservable(ts, b, fn)) continue;
      if (b.kind === 'const' && b.refs.some((r) => isWriteReference(ts, r.id))) continue;
      if (b.refs.some((r) => enclosingFunction(ts, r.id, fn)) && recreatedBelow(ts, b, targetLoop(ts, b.decl, fn) ?? fn)) continue;
      chosen.push(b);
    }
  }
  // All names of one declarator move together (a destructuring pattern is one assignment), and all
  // declarators of a loop head (`for (let i = 0, n = a.length; ...)` becomes one expression).
  const chosenSet = new Set(chosen);
  for (let changed = true; changed;) {
    changed = false;
    for (const b of chosenSet) {
      const group = groupOf(ts, b.decl!);
      const ok = group.every((d) => declaratorNames(ts, d).every((n) => [...chosenSet].some((c) => c.name === n && c.decl === d)));
      if (!ok) { chosenSet.delete(b); changed = true; }
    }
  }
  const plan: HoistPlan = { fn: [], loops: new Map() };
  for (const b of chosen.filter((c) => chosenSet.has(c)).sort((a, c) => a.decl!.pos - c.decl!.pos)) {
    const loop = targetLoop(ts, b.decl!, fn);
    if (!loop) { plan.fn.push(b); continue; }
    let list = plan.loops.get(loop);
    if (!list) plan.loops.set(loop, (list = []));
    list.push(b);
  }
  return plan;
}

/** The declarations that must move together with `decl`. */
function groupOf(ts: typeof TS, decl: TS.Node): TS.Node[] {
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent)
    && decl.parent.parent && ts.isIterationStatement(decl.parent.parent, false)) {
    return [...decl.parent.declarations];
  }
  return [decl];
}

/** True when `inner` is a scope strictly inside the function scope `fnScope` but in a nested function. */
function isInside(inner: Scope, fnScope: Scope): boolean {
  if (inner.fn === fnScope) return false;
  for (let s: Scope | undefined = inner; s; s = s.parent) if (s === fnScope) return true;
  return false;
}

function declaratorNames(ts: typeof TS, d: TS.Node): string[] {
  if (ts.isVariableDeclaration(d)) return boundNames(ts, d.name);
  if (ts.isClassDeclaration(d) && d.name) return [d.name.text];
  return [];
}

/** The outermost function (below `fn`) that contains `node`, if any. */
function enclosingFunction(ts: typeof TS, node: TS.Node, fn: TS.Node): TS.Node | undefined {
  let found: TS.Node | undefined;
  for (let p = node.parent; p && p !== fn; p = p.parent) {
    if (isFunctionLike(ts, p) || ts.isClassStaticBlockDeclaration(p) || ts.isPropertyDeclaration(p)) found = p;
  }
  return found;
}

function tdzUnobservable(ts: typeof TS, b: Binding, fn: TS.Node): boolean {
  const decl = b.decl!;
  const declEnd = decl.end;
  const loop = decl.parent?.parent;
  const iterated = loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && decl.parent === loop.initializer
    ? loop.expression : undefined;
  for (const r of b.refs) {
    if (iterated && r.id.pos >= iterated.pos && r.id.end <= iterated.end) return false;
    const outer = enclosingFunction(ts, r.id, fn);
    if (outer) {
      if (ts.isFunctionDeclaration(outer)) return false;
      if (outer.pos < declEnd) return false;
    } else if (r.id.pos < declEnd) {
      return false;
    }
  }
  return true;
}

/**
 * True when the binding's scope is entered more than once for one entry of `target` (the
 * function, or the loop whose body it moves to): a loop head's own binding.
 */
function recreatedBelow(ts: typeof TS, b: Binding, target: TS.Node): boolean {
  for (let p: TS.Node | undefined = b.scope.node; p && p !== target; p = p.parent) {
    if (ts.isIterationStatement(p, false)) return true;
  }
  return false;
}
