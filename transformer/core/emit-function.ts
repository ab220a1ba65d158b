/**
 * An instrumented function: its moved bindings declared first, its body in one `try` whose catch
 * passes the frame's values to the runtime (docs/transformer-design.md shows the shape and says why). The plan comes
 * from hoist-plan.ts and frame-plan.ts; this file lays it out, and the adapter rebuilds the
 * function around the new body (`EmitSyntax.rebuildFunction`).
 */
import { catchEntry, closureOf, closureReadMayThrow, frameNames, retryable, stayingFunctions, topLevelNames } from './frame-plan';
import { lexicalDeclarations } from './declarations';
import { displayName } from './display-name';
import type { FileState } from './file-state';
import { planHoist } from './hoist-plan';
import { statementList } from './emit-statements';
import { frameRecord, functionTry, guardedRead } from './templates';
import { declaresVar, leadingDirectives, mentionsAny } from './tree-queries';

/** Instruments `fn` as a boundary or a frame; a function with nothing to instrument is only visited. */
export function instrumentFunction<N>(s: FileState<N>, fn: N, role: 'boundary' | 'frame'): N {
  const { e, syntax: sx } = s;
  const scope = s.info.scopes.get(fn)!;
  const all = sx.functionBody(fn);
  const d = leadingDirectives(sx, all);
  const directives = all.slice(0, d);
  const rest = all.slice(d);
  // Nothing in the body can throw (a constructor with parameter properties only, `() => {}`):
  // an empty try would only make the function bigger.
  if (!rest.length || rest.every((st) => sx.isEmptyStatement(st))) return sx.visitChildren(fn);

  const hoist = planHoist(s.hoist, s.info, fn, (n) => s.decorated(n));
  const plan = hoist.fn;
  s.move(hoist);

  // Top-level function declarations stay at function level (out of the try: that is their own
  // scope) unless they read a top-level binding that stays in the try block; one of those that
  // cannot move into a block (same name as a parameter or var, declared twice) leaves the
  // function as written.
  const params = scope.order.filter((n) => scope.bindings.get(n)!.kind === 'param');
  const topFns = rest.flatMap((st) => {
    const fd = sx.declarationOf(st);
    return fd?.kind === 'function' && fd.hasBody ? [{ name: fd.name, node: st }] : [];
  });
  const staying = new Set(
    lexicalDeclarations(sx, rest, true)
      .filter((d) => d.kind !== 'function' && d.kind !== 'enum' && !s.movedDecls.has(d.decl))
      .map((d) => d.name),
  );
  const seen = new Map<string, number>();
  for (const fd of topFns) seen.set(fd.name, (seen.get(fd.name) ?? 0) + 1);
  const stayingFns = stayingFunctions(topFns, staying, (fd, names) => mentionsAny(sx, fd, names));
  const hoisted: { name: string; node: N }[] = [];
  for (const fd of topFns) {
    if (!stayingFns.has(fd.node)) {
      hoisted.push(fd);
      continue;
    }
    const n = fd.name;
    if (params.includes(n) || rest.some((st) => declaresVar(sx, st, n)) || n === 'arguments' || seen.get(n)! > 1) {
      s.unmove(hoist);
      return sx.visitChildren(fn);
    }
  }
  const fnVarNames = frameNames(
    scope,
    plan,
    hoisted.map((h) => h.name),
  );
  const closure = closureOf(scope);
  const shape = sx.functionShape(fn);
  const hasThis = !shape.isArrow || scope.usesThis;
  const inArrowOfCtor = shape.isArrow && scope.usesThis;

  const again = retryable(role, shape.isConstructor, shape.generator);
  const p = sx.pos(fn);
  const end = sx.endPos(fn);
  const outerFn = s.meta.begin(
    {
      name: displayName(sx, fn),
      line: p.line,
      col: p.col,
      endLine: end.line,
      endCol: end.col,
      closure: closure.map((c) => c.name),
      boundary: role === 'boundary',
      hasThis,
      retry: again,
    },
    fnVarNames,
    (name) => {
      const b = plan.find((m) => m.name === name);
      return b && s.declEnd(b);
    },
  );
  const fnIdx = s.meta.current;

  // Top level of the body: the bindings that could not move stay in the try block, captured by
  // its segments.
  const topNames = topLevelNames(scope, s.moved);
  const topCtx = topNames.length ? s.scope(fn, topNames) : undefined;
  const hoistedNodes = new Set(hoisted.map((h) => h.node));
  const inner = statementList(
    s,
    rest.filter((st) => !hoistedNodes.has(st)),
    topCtx,
    [],
  );
  // The moved bindings, declared first, uninitialised (`let x;`): no sentinel store on entry; the
  // runtime tells from where their declarations end whether one was initialised.
  const declareMoved = plan.length ? [e.letDecl(plan.map((b) => b.name))] : [];

  const catchBody: N[] = [];
  let thisExpr = e.voidZero();
  if (hasThis) thisExpr = shape.derivedConstructor || inArrowOfCtor ? guardedRead(s, e.this(), catchBody) : e.this();
  // Parameters have a TDZ too while the parameter list runs (a closure in a default).
  const closureValues = closure.map((b) => (closureReadMayThrow(b) ? guardedRead(s, e.id(b.name), catchBody) : e.id(b.name)));
  // Values as arguments (bindings, then closure variables): fewer bytes of bytecode than arrays.
  const entry = catchEntry(role, shape.isConstructor);
  const record = e.call(s.rt(entry), [
    e.id(s.names.err),
    e.id(s.names.mod),
    e.num(fnIdx),
    thisExpr,
    ...fnVarNames.map((v) => e.id(v.name)),
    ...closureValues,
  ]);
  frameRecord(s, entry, record, again, catchBody);
  const last = inner[inner.length - 1];
  const body = [
    ...hoisted.map((h) => sx.visit(h.node)!),
    ...declareMoved,
    functionTry(s, inner, catchBody, again, last !== undefined && sx.leaves(last)),
  ];
  s.meta.end(outerFn);
  return sx.rebuildFunction(fn, directives, body);
}
