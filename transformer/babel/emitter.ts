/**
 * The core's node builders (core/emitter.ts) over `@babel/types` (the `types` a plugin receives;
 * Babel 7 or 8). New nodes carry no location unless `at` gives them one, so that Babel's source
 * maps stay correct.
 */
import type { Emitter } from '../core/emitter';
import type { BNode } from './scopes';

/** The part of `@babel/types` the adapter uses (the `types` a plugin receives; Babel 7 or 8). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BabelTypes = any;

/** {@link Emitter} over `@babel/types`. */
export function babelEmitter(t: BabelTypes): Emitter<BNode> {
  const id = (name: string): BNode => t.identifier(name);
  return {
    id,
    refId: (name) => id(name),
    member: (object, name) => t.memberExpression(object, id(name)),
    index: (object, i) => t.memberExpression(object, t.numericLiteral(i), true),
    num: (value) => t.numericLiteral(value),
    str: (value) => t.stringLiteral(value),
    voidZero: () => t.unaryExpression('void', t.numericLiteral(0)),
    this: () => t.thisExpression(),
    call: (callee, args) => t.callExpression(callee, args),
    assign: (target, value) => t.assignmentExpression('=', target, value),
    seq: (list) => t.sequenceExpression(list),
    comma: (list) => (list.length === 1 ? list[0] : t.sequenceExpression(list)),
    and: (a, b) => t.logicalExpression('&&', a, b),
    cond: (test, then, otherwise) => t.conditionalExpression(test, then, otherwise),
    // Babel's generator parenthesises where the grammar needs it.
    paren: (e) => e,
    array: (items) => t.arrayExpression(items),
    object: (props) => t.objectExpression(props),
    prop: (name, value) => t.objectProperty(id(name), value),
    getter: (name, read) => t.objectMethod('get', id(name), [], t.blockStatement([t.returnStatement(read)])),
    setter: (name, param, target) =>
      t.objectMethod(
        'set',
        id(name),
        [id(param)],
        t.blockStatement([t.expressionStatement(t.assignmentExpression('=', target, id(param)))]),
      ),
    exprStmt: (e) => t.expressionStatement(e),
    letDecl: (names, init) =>
      t.variableDeclaration(
        'let',
        names.map((n) => t.variableDeclarator(id(n), init ?? null)),
      ),
    varDecl: (name, init) => t.variableDeclaration('var', [t.variableDeclarator(id(name), init)]),
    importNamespace: (name, module) => t.importDeclaration([t.importNamespaceSpecifier(id(name))], t.stringLiteral(module)),
    block: (stmts) => t.blockStatement(stmts),
    tryCatch: (stmts, handler) => t.tryStatement(t.blockStatement(stmts), handler),
    catchClause: (param, stmts) => t.catchClause(param === undefined ? null : id(param), t.blockStatement(stmts)),
    catchParam: (name) => id(name),
    throw: (e, comment) => {
      const st = t.throwStatement(e);
      if (comment) t.addComment(st, 'trailing', comment, true);
      return st;
    },
    return: (e) => t.returnStatement(e ?? null),
    if: (test, then) => t.ifStatement(test, then),
    switch: (d, cases) =>
      t.switchStatement(
        d,
        cases.map(([test, stmts]) => t.switchCase(test, stmts)),
      ),
    forEver: (stmts) => t.forStatement(null, null, null, t.blockStatement(stmts)),
    continue: () => t.continueStatement(),
    at: (node, from) => {
      const n: BNode = node;
      if (from?.loc) {
        n.loc = from.loc;
        n.start = from.start;
        n.end = from.end;
      }
      return node;
    },
    // Babel's later plugins change nodes in place: a node used twice needs its own copy.
    copy: (node) => t.cloneNode(node, true),
  };
}
