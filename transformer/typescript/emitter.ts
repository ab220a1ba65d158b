/**
 * The core's node builders (core/emitter.ts) over TypeScript's node factory. Touches nothing but the
 * factory and the TypeScript module it is given.
 */
import type * as TS from 'typescript';
import type { Emitter } from '../core/emitter';

/** {@link Emitter} over `ts.factory` (the transformation context's factory). */
export function tsEmitter(ts: typeof TS, f: TS.NodeFactory): Emitter<TS.Node> {
  type E = TS.Expression;
  type S = TS.Statement;
  const id = (name: string): TS.Identifier => f.createIdentifier(name);
  // The printer puts a block on one line where it fits unless told `multiLine`.
  const block = (stmts: TS.Node[], compact?: boolean): TS.Block => f.createBlock(stmts as S[], compact ? undefined : true);
  // Getters on the factory that build (and look up by a string key) the function on each read: read once.
  const { createAssignment, createComma, createLogicalAnd } = f;
  return {
    id,
    // The original node links the identifier to the declaration: a later pass that renames the
    // binding (CommonJS `fs_1.readFile`, `exports.x`) renames this read too.
    refId: (name, ref) => (ref ? ts.setOriginalNode(id(name), ref) : id(name)),
    member: (object, name) => f.createPropertyAccessExpression(object as E, name),
    index: (object, i) => f.createElementAccessExpression(object as E, i),
    num: (value) => f.createNumericLiteral(value),
    str: (value) => f.createStringLiteral(value),
    voidZero: () => f.createVoidZero(),
    this: () => f.createThis(),
    call: (callee, args) => f.createCallExpression(callee as E, undefined, args as E[]),
    assign: (target, value) => createAssignment(target as E, value as E),
    seq: (list) => f.createCommaListExpression(list as E[]),
    comma: (list) => (list as E[]).reduce((a, b) => createComma(a, b)),
    and: (a, b) => createLogicalAnd(a as E, b as E),
    cond: (test, then, otherwise) => f.createConditionalExpression(test as E, undefined, then as E, undefined, otherwise as E),
    paren: (e) => f.createParenthesizedExpression(e as E),
    array: (items) => f.createArrayLiteralExpression(items as E[]),
    object: (props) => f.createObjectLiteralExpression(props as TS.ObjectLiteralElementLike[], false),
    prop: (name, value) => f.createPropertyAssignment(name, value as E),
    getter: (name, read) =>
      f.createGetAccessorDeclaration(undefined, id(name), [], undefined, f.createBlock([f.createReturnStatement(read as E)])),
    setter: (name, param, target) =>
      f.createSetAccessorDeclaration(
        undefined,
        id(name),
        [f.createParameterDeclaration(undefined, undefined, param)],
        f.createBlock([f.createExpressionStatement(f.createAssignment(target as E, id(param)))]),
      ),
    exprStmt: (e) => f.createExpressionStatement(e as E),
    letDecl: (names, init) =>
      f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList(
          names.map((n) => f.createVariableDeclaration(n, undefined, undefined, init as E | undefined)),
          ts.NodeFlags.Let,
        ),
      ),
    varDecl: (name, init) =>
      f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, init as E)], ts.NodeFlags.None),
      ),
    importNamespace: (name, module) =>
      f.createImportDeclaration(
        undefined,
        f.createImportClause(undefined, undefined, f.createNamespaceImport(id(name))),
        f.createStringLiteral(module),
      ),
    block: (stmts) => block(stmts),
    tryCatch: (stmts, handler, compact) => f.createTryStatement(block(stmts, compact), handler as TS.CatchClause, undefined),
    catchClause: (param, stmts, compact) => f.createCatchClause(param, block(stmts, compact)),
    catchParam: (name) => f.createVariableDeclaration(name),
    throw: (e, comment) => {
      const st = f.createThrowStatement(e as E);
      if (comment) ts.addSyntheticTrailingComment(st, ts.SyntaxKind.SingleLineCommentTrivia, comment, false);
      return st;
    },
    return: (e) => f.createReturnStatement(e as E | undefined),
    if: (test, then) => f.createIfStatement(test as E, then as S),
    switch: (d, cases) =>
      f.createSwitchStatement(d as E, f.createCaseBlock(cases.map(([t, stmts]) => f.createCaseClause(t as E, stmts as S[])))),
    forEver: (stmts) => f.createForStatement(undefined, undefined, undefined, block(stmts)),
    continue: () => f.createContinueStatement(),
    at: (node, from) => ts.setTextRange(node, from),
    copy: (node) => node,
  };
}
