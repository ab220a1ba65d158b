/**
 * The TypeScript answers to hoist planning's syntax questions (core/hoist-plan.ts decides).
 */
import type * as TS from 'typescript';
import type { HoistSyntax } from '../core/hoist-plan';
import { boundNames, isFunctionLike, isWriteReference } from './scopes';

/**
 * {@link HoistSyntax} over TypeScript nodes.
 * @param classIsExpression whether a class declaration may become `C = class C {}` (depends on the compiler options)
 */
export function tsHoistSyntax(ts: typeof TS, classIsExpression: (cls: TS.ClassDeclaration) => boolean): HoistSyntax<TS.Node> {
  return {
    parent: (n) => n.parent,
    // `pos` includes leading trivia: for the comparisons made (a reference before a declaration's
    // end, a function starting before it) it decides as the token start would, and costs nothing.
    start: (n) => n.pos,
    end: (n) => n.end,
    loopBody: (n) => (ts.isIterationStatement(n, false) ? n.statement : undefined),
    deferred: (n) => (ts.isFunctionDeclaration(n) ? 'declaration'
      : isFunctionLike(ts, n) || ts.isClassStaticBlockDeclaration(n) || ts.isPropertyDeclaration(n) ? 'other' : undefined),
    isSwitchScope: (n) => ts.isCaseBlock(n),
    isPattern: (d) => ts.isVariableDeclaration(d) && !ts.isIdentifier(d.name),
    iterated: (d) => {
      const loop = d.parent?.parent;
      return loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && d.parent === loop.initializer ? loop.expression : undefined;
    },
    group: (d) => (ts.isVariableDeclaration(d) && ts.isVariableDeclarationList(d.parent)
      && d.parent.parent && ts.isIterationStatement(d.parent.parent, false) ? [...d.parent.declarations] : [d]),
    declaredNames: (d) => (ts.isVariableDeclaration(d) ? boundNames(ts, d.name)
      : ts.isClassDeclaration(d) && d.name ? [d.name.text] : []),
    isWrite: (id) => isWriteReference(ts, id as TS.Identifier),
    canBeClassExpression: (d) => classIsExpression(d as TS.ClassDeclaration),
  };
}
