/**
 * The TypeScript answers to hoist planning's syntax questions (core/hoist-plan.ts decides).
 */
import type * as TS from 'typescript';
import type { HoistSyntax } from '../core/hoist-plan';
import { boundNames, hasModifier, isFunctionLike } from './scopes';

/**
 * {@link HoistSyntax} over TypeScript nodes.
 * @param options the compiler options (whether a class's static members stay in its body depends on them)
 */
export function tsHoistSyntax(ts: typeof TS, options: TS.CompilerOptions): HoistSyntax<TS.Node> {
  return {
    parent: (n) => n.parent,
    // `pos` includes leading trivia: for the comparisons made (a reference before a declaration's
    // end, a function starting before it) it decides as the token start would, and costs nothing.
    start: (n) => n.pos,
    end: (n) => n.end,
    loopBody: (n) => (ts.isIterationStatement(n, false) ? n.statement : undefined),
    deferred: (n) =>
      ts.isFunctionDeclaration(n)
        ? 'declaration'
        : isFunctionLike(ts, n) || ts.isClassStaticBlockDeclaration(n) || ts.isPropertyDeclaration(n)
          ? 'other'
          : undefined,
    isSwitchScope: (n) => ts.isCaseBlock(n),
    isPattern: (d) => ts.isVariableDeclaration(d) && !ts.isIdentifier(d.name),
    iterated: (d) => {
      const loop = d.parent?.parent;
      return loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && d.parent === loop.initializer
        ? loop.expression
        : undefined;
    },
    group: (d) =>
      ts.isVariableDeclaration(d) &&
      ts.isVariableDeclarationList(d.parent) &&
      d.parent.parent &&
      ts.isIterationStatement(d.parent.parent, false)
        ? [...d.parent.declarations]
        : [d],
    declaredNames: (d) => (ts.isVariableDeclaration(d) ? boundNames(ts, d.name) : ts.isClassDeclaration(d) && d.name ? [d.name.text] : []),
    // Through a destructuring assignment pattern (and its defaults) to what it is the target of.
    writeStep: (p, node, id) => {
      if (
        ts.isShorthandPropertyAssignment(p) ||
        ts.isSpreadAssignment(p) ||
        ts.isSpreadElement(p) ||
        ts.isArrayLiteralExpression(p) ||
        ts.isObjectLiteralExpression(p) ||
        ts.isParenthesizedExpression(p) ||
        ts.isAsExpression(p) ||
        ts.isSatisfiesExpression(p) ||
        ts.isNonNullExpression(p) ||
        ts.isTypeAssertionExpression(p) ||
        (ts.isPropertyAssignment(p) && p.initializer === node) ||
        (ts.isBinaryExpression(p) &&
          p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          p.left === node &&
          node !== id &&
          (ts.isArrayLiteralExpression(p.parent) || ts.isObjectLiteralExpression(p.parent) || ts.isPropertyAssignment(p.parent)))
      )
        return 'through';
      const k = ts.isBinaryExpression(p) && p.left === node ? p.operatorToken.kind : undefined;
      if (k !== undefined) return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment ? 'write' : undefined;
      const update = ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p);
      if (update && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return 'write';
      return (ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === node ? 'write' : undefined;
    },
    classParts: (d) => {
      const cls = d as TS.ClassDeclaration;
      // A lower target (or `useDefineForClassFields: false`) moves static members out of the class
      // body; private names become WeakMaps below ES2022 as well.
      const target = options.target ?? ts.ScriptTarget.ES5;
      const nativeClasses = target >= ts.ScriptTarget.ES2022 && options.useDefineForClassFields !== false;
      const statics = cls.members.some(
        (m) =>
          ts.isClassStaticBlockDeclaration(m) ||
          (ts.isPropertyDeclaration(m) && hasModifier(ts, m, ts.SyntaxKind.StaticKeyword)) ||
          (m.name && ts.isPrivateIdentifier(m.name)),
      );
      return {
        ambient: hasModifier(ts, cls, ts.SyntaxKind.DeclareKeyword),
        members: cls.members,
        params: (m) => (ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m) || ts.isAccessor(m) ? m.parameters : []),
        lowersStatics: statics && !nativeClasses,
      };
    },
  };
}
