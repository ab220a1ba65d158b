/**
 * The statements of an instrumented function: where a block's declarations stay, which runs of
 * statements get a catch of their own, what moved declarations become (assignments), and the loop
 * bodies that declare the bindings moved to their top, and how each part of a statement is visited
 * (`STATEMENT_PARTS`: an adapter's statement table only names the parts).
 */
import type { Capturable } from './frame-plan';
import { blockNames } from './frame-plan';
import { capturable, type FileState, type ScopeCtx } from './file-state';
import { type PartRole, STATEMENT_PARTS } from './statement-parts';
import { canBeClassExpression } from './hoist-plan';
import { scopeCatch } from './templates';
import { cannotThrow, isAnonymousClass } from './expression-kinds';

/**
 * A statement of an instrumented function: a block in segments, a `switch`'s clauses in one scope,
 * the parts of a statement of {@link STATEMENT_PARTS} each as its role says; the rest visited as any node.
 */
export function visitStatement<N>(s: FileState<N>, st: N): N {
  const sx = s.syntax;
  if (sx.isBlock(st)) return block(s, st);
  if (sx.isSwitch(st)) return sx.visitSwitch(st);
  const p = sx.statementParts(st);
  if (!p) return sx.visit(st)!;
  const roles: readonly PartRole[] = STATEMENT_PARTS[p.kind];
  return sx.withParts(
    st,
    p.parts.map((part, i) => (part === undefined ? undefined : visitPart(s, roles[i], st, part))),
  );
}

function visitPart<N>(s: FileState<N>, role: PartRole, st: N, part: N): N {
  switch (role) {
    case 'expr':
      return s.syntax.visit(part)!;
    case 'stmt':
      return visitStatement(s, part);
    case 'head':
      return loopHead(s, st, part);
    case 'loop':
      return loopBody(s, st, part);
    case 'block':
      return block(s, part);
    case 'catch':
      return catchClause(s, part);
  }
}

/**
 * A `switch`'s clauses: one scope for all of them (opened by `scopeNode`), every read in its
 * catches guarded (which case ran decides what is initialised).
 */
export function caseClauses<N>(s: FileState<N>, scopeNode: N, clauses: readonly N[]): N[] {
  const sx = s.syntax;
  const ctx = scopeCtxFor(s, scopeNode, true);
  return clauses.map((c) => {
    const { test, statements } = sx.clauseParts(c);
    return sx.withClause(c, test && sx.visit(test), statementList(s, statements, ctx, []));
  });
}

/** The catch context of the block scope opened by `node`, registered; undefined when it declares nothing to capture. */
export function scopeCtxFor<N>(s: FileState<N>, node: N, guard = false): ScopeCtx | undefined {
  const names = blockNames(s.info.scopes.get(node), s.moved);
  return names ? s.scope(node, names, guard) : undefined;
}

/**
 * A statement list of a scope: declarations stay where they are (their scope, TDZ and hoisting
 * unchanged); the runs of other statements between them go in try/catch clauses that see every
 * name of the scope (`ctx`; without it, no catch: the statements are only visited).
 * @param preInit names initialised before the list runs (a catch clause's parameter)
 */
export function statementList<N>(s: FileState<N>, stmts: readonly N[], ctx: ScopeCtx | undefined, preInit: readonly string[]): N[] {
  const { e, syntax: sx } = s;
  const initialized = new Set(preInit);
  for (const st of stmts) {
    const fd = sx.declarationOf(st);
    if (fd?.kind === 'function') initialized.add(fd.name);
  }
  const out: N[] = [];
  let run: N[] = [];
  const flush = (): void => {
    if (!run.length) return;
    if (ctx) out.push(e.tryCatch(run, scopeCatch(s, ctx, new Set(initialized))));
    else out.push(...run);
    run = [];
  };
  /** `let t; try { t = <value>; } catch ...`: a value that may throw, computed where this scope's catch sees it. */
  const throughTemp = (c: ScopeCtx, value: () => N): string => {
    const t = s.names.temp();
    out.push(e.letDecl([t]));
    out.push(e.tryCatch([e.exprStmt(e.assign(e.id(t), value()))], scopeCatch(s, c, new Set(initialized))));
    return t;
  };
  for (const st of stmts) {
    const d = sx.declarationOf(st);
    const lexical = d?.kind === 'vars' && d.binding !== 'var' ? d : undefined;
    if (lexical) {
      for (const d of lexical.declarators) {
        if (s.movedDecls.has(d)) {
          // Declared at function level: here it is an assignment, in the run of statements.
          run.push(e.at(e.exprStmt(assignDeclaration(s, d)), d));
          continue;
        }
        flush();
        const init = sx.declaratorInit(d);
        // Split through a temporary so that the scope's earlier bindings are reported when the
        // initialiser throws. Not a pattern: its errors name the source expression (`of 'obj.foo'`),
        // which a temporary would replace (and V8 reads an object rest's excluded keys differently).
        if (
          ctx &&
          init &&
          lexical.binding !== 'using' &&
          sx.declaratorName(d) !== undefined &&
          !cannotThrow(sx, init) &&
          !isAnonymousClass(sx, init)
        ) {
          const t = throughTemp(ctx, () => sx.visit(init)!);
          out.push(sx.singleDeclaration(st, sx.withInit(d, e.id(t))));
        } else {
          out.push(sx.singleDeclaration(st, sx.visit(d)!));
        }
        if (ctx) for (const n of sx.boundNames(d)) initialized.add(n);
      }
      continue;
    }
    const cls = d?.kind === 'class' ? d : undefined;
    if (cls && s.movedDecls.has(st)) {
      // `class C {}` is `C = class C {}` with C declared at function level (same name, inner binding).
      run.push(e.at(e.exprStmt(e.assign(e.id(cls.name), sx.classExpression(st))), st));
      continue;
    }
    if (ctx && cls && canBeClassExpression(s.hoist, st, (n) => s.decorated(n))) {
      // `class C {}` is `let C = class C {}` (same TDZ, mutable outer binding, immutable inner
      // one, same name): evaluate the class expression inside a try so that a static block,
      // static field, computed key or `extends` that throws still reports this scope.
      flush();
      const t = throughTemp(ctx, () => sx.classExpression(st));
      out.push(e.letDecl([cls.name], e.id(t)));
      initialized.add(cls.name);
      continue;
    }
    // Anything else that declares (a function, a class, an enum or namespace), anything `declare`
    // and types stay in place, out of the try segments.
    if ((d && d.kind !== 'vars') || sx.isTypeDeclaration(st)) {
      flush();
      out.push(visitStatement(s, st));
      if (cls) initialized.add(cls.name);
      continue;
    }
    run.push(visitStatement(s, st));
  }
  flush();
  return out;
}

/** `let x = init` as `x = init` (`x = void 0` without initialiser). Only identifiers move (hoist-plan.ts). */
function assignDeclaration<N>(s: FileState<N>, d: N): N {
  const init = s.syntax.declaratorInit(d);
  const value = init ? s.syntax.visit(init)! : s.e.voidZero();
  return s.e.assign(s.e.id(s.syntax.declaratorName(d)!), value);
}

/**
 * A block: its statements in segments (statementList) with the catch of the scope that `scopeNode`
 * opens (the block itself, or the catch clause around it).
 */
export function block<N>(s: FileState<N>, blockNode: N, preInit: readonly string[] = [], scopeNode: N = blockNode): N {
  const ctx = scopeCtxFor(s, scopeNode);
  return s.syntax.withStatements(blockNode, statementList(s, s.syntax.statements(blockNode), ctx, preInit));
}

/**
 * A loop body: the bindings moved to its top are declared there (one binding per iteration, as
 * written), and one catch sees them and the loop head's own bindings that stayed.
 */
export function loopBody<N>(s: FileState<N>, loop: N, body: N): N {
  const { e, syntax: sx } = s;
  const here = s.loopMoves.get(loop) ?? [];
  const inner = sx.isBlock(body) ? block(s, body) : visitStatement(s, body);
  const head = blockNames(s.info.scopes.get(loop), s.moved) ?? [];
  if (!here.length && !head.length) return inner;
  const names: Capturable[] = [...here.map(capturable), ...head];
  const declEnds = here.length ? [...here.map((b) => s.declEnd(b)), ...head.map(() => null)] : undefined;
  const ctx = s.scope(loop, names, false, declEnds);
  const stmts = sx.isBlock(inner) ? [...sx.statements(inner)] : [inner];
  const declare = here.length ? [e.letDecl(here.map((b) => b.name))] : [];
  return e.block([...declare, e.tryCatch(stmts, scopeCatch(s, ctx, new Set(names.map((n) => n.name))))]);
}

/** A loop head: declarations moved to function level become assignments (`for (x of xs)`, `for (i = 0, n = 3; ...)`). */
export function loopHead<N>(s: FileState<N>, loop: N, init: N): N {
  const decls = s.syntax.loopHeadDeclarators(init);
  if (!decls?.length || !decls.every((d) => s.movedDecls.has(d))) return s.syntax.visit(init)!;
  if (s.syntax.isForInOf(loop)) return s.e.id(s.syntax.declaratorName(decls[0])!);
  return s.e.comma(decls.map((d) => assignDeclaration(s, d)));
}

/** A catch clause; a parameter moved to function level takes the value under a new name (`catch (t) { e = t; ... }`). */
export function catchClause<N>(s: FileState<N>, c: N): N {
  const { e, syntax: sx } = s;
  const { param, block: body } = sx.catchParts(c);
  if (param !== undefined && s.movedDecls.has(param)) {
    const t = s.names.temp();
    const stmts = statementList(s, sx.statements(body), scopeCtxFor(s, c), []);
    const take = e.exprStmt(e.assign(e.id(sx.boundNames(param)[0]), e.id(t)));
    return sx.withCatch(c, e.catchParam(t), sx.withStatements(body, [take, ...stmts]));
  }
  const visited = param !== undefined ? sx.visit(param) : undefined;
  return sx.withCatch(c, visited, block(s, body, param !== undefined ? sx.boundNames(param) : [], c));
}
