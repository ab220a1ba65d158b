/**
 * The Babel answers to hoist planning's syntax questions (core/hoist-plan.ts decides).
 */
import type { HoistSyntax } from '../core/hoist-plan';
import { type BNode, boundNames, isFunctionLike, isLoop, TRANSPARENT } from './scopes';

/**
 * {@link HoistSyntax} over Babel nodes.
 * @param parentOf the parent links the scope walk recorded (Babel nodes have none)
 */
export function babelHoistSyntax(parentOf: WeakMap<BNode, BNode>): HoistSyntax<BNode> {
  return {
    parent: (n) => parentOf.get(n),
    start: (n) => n.start ?? 0,
    end: (n) => n.end ?? 0,
    loopBody: (n) => (isLoop(n) ? n.body : undefined),
    deferred: (n) =>
      n.type === 'FunctionDeclaration'
        ? 'declaration'
        : isFunctionLike(n) ||
            n.type === 'StaticBlock' ||
            n.type === 'ClassProperty' ||
            n.type === 'ClassPrivateProperty' ||
            n.type === 'ClassAccessorProperty'
          ? 'other'
          : undefined,
    isSwitchScope: (n) => n.type === 'SwitchStatement',
    isPattern: (d) =>
      d.type === 'VariableDeclarator' ? d.id.type !== 'Identifier' : d.type === 'ObjectPattern' || d.type === 'ArrayPattern',
    iterated: (d) => {
      const list = parentOf.get(d);
      const loop = list && parentOf.get(list);
      return loop && (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') && loop.left === list ? loop.right : undefined;
    },
    group: (d) => {
      const list = parentOf.get(d);
      const loop = list && parentOf.get(list);
      return d.type === 'VariableDeclarator' && list?.type === 'VariableDeclaration' && isLoop(loop) ? [...list.declarations] : [d];
    },
    declaredNames: (d) => (d.type === 'VariableDeclarator' ? boundNames(d.id) : d.type === 'ClassDeclaration' && d.id ? [d.id.name] : []),
    // Through a destructuring assignment pattern to what it is the target of.
    writeStep: (p, node) =>
      p.type === 'ObjectPattern' ||
      p.type === 'ArrayPattern' ||
      p.type === 'RestElement' ||
      TRANSPARENT.has(p.type) ||
      (p.type === 'ObjectProperty' && p.value === node) ||
      (p.type === 'AssignmentPattern' && p.left === node)
        ? 'through'
        : (p.type === 'AssignmentExpression' && p.left === node) ||
            p.type === 'UpdateExpression' ||
            ((p.type === 'ForOfStatement' || p.type === 'ForInStatement') && p.left === node)
          ? 'write'
          : undefined,
    classParts: (cls) => ({ ambient: !!cls.declare, members: cls.body.body, params: (m) => m.params ?? [], lowersStatics: false }),
  };
}
