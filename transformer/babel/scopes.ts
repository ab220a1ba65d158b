/**
 * The Babel adapter's scope walk: builds the core's scope model (core/scope-model.ts) from a Babel
 * AST, as typescript/scopes.ts does from a TypeScript AST, node kind for node kind; what each scope
 * declares is core/declarations.ts's. It reads the AST rather than `path.scope`, which files a few
 * declarations differently from the scopes the runtime shows (docs/transformer-design.md, "The scope walk").
 */
import type { BindingKind } from '../../runtime/records';
import type { DeclarationSyntax } from '../core/declarations';
import type { Scope, ScopeInfo } from '../core/scope-model';
import { type ScopeWalkSyntax, type Walker, walkScopes } from '../core/scope-walk';

/** A Babel AST node, read structurally (the adapter works with Babel 7 and 8 alike). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BNode = { type: string; [key: string]: any };

/** The scope model over Babel nodes. */
export type BScope = Scope<BNode>;

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);
const LOOP_TYPES = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
/** TypeScript nodes that are types or declarations only: nothing in them runs. */
const TYPE_ONLY = new Set([
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSDeclareMethod',
  'TSTypeAnnotation',
  'TSTypeParameterDeclaration',
  'TSTypeParameterInstantiation',
  'TSIndexSignature',
  'TSExpressionWithTypeArguments',
  'TSClassImplements',
  'TSInterfaceHeritage',
]);
/** Keys of nodes that hold types only. */
const TYPE_KEYS = new Set([
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'superTypeParameters',
  'implements',
  'typeArguments',
  'predicate',
]);

/** True for the nodes this analysis treats as functions (they get a function scope). */
export function isFunctionLike(n: BNode | null | undefined): boolean {
  return !!n && FUNCTION_TYPES.has(n.type);
}

/** True for loop statements. */
export function isLoop(n: BNode | null | undefined): boolean {
  return !!n && LOOP_TYPES.has(n.type);
}

/**
 * Calls `each` on the child nodes of `n` (types skipped; in visitor-key order), with the key that
 * holds each; stops at the first call that returns true, and returns true then. Asked of every
 * node of a file by the walks: no array and no object per node.
 */
export function eachChildOf(
  n: BNode,
  visitorKeys: Record<string, readonly string[] | undefined>,
  each: (node: BNode, key: string) => boolean | void,
): boolean {
  const keys = visitorKeys[n.type];
  if (keys === undefined) return false;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (TYPE_KEYS.has(key)) continue;
    const v = n[key];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const c = v[i];
        if (c && typeof c.type === 'string' && each(c, key) === true) return true;
      }
    } else if (v && typeof v.type === 'string' && each(v, key) === true) return true;
  }
  return false;
}

/** Names bound by a binding target (identifier, pattern, default, rest, parameter property), in source order. */
export function boundNames(target: BNode | null | undefined, out: string[] = []): string[] {
  if (!target) return out;
  switch (target.type) {
    case 'Identifier':
      out.push(target.name);
      break;
    case 'ObjectPattern':
      for (const p of target.properties) boundNames(p.type === 'RestElement' ? p.argument : p.value, out);
      break;
    case 'ArrayPattern':
      for (const el of target.elements) boundNames(el, out);
      break;
    case 'AssignmentPattern':
      boundNames(target.left, out);
      break;
    case 'RestElement':
      boundNames(target.argument, out);
      break;
    case 'TSParameterProperty':
      boundNames(target.parameter, out);
      break;
  }
  return out;
}

/** Kind of a `let`/`const`/`using` declaration (`var` for the rest). */
export function declarationKind(decl: BNode): BindingKind {
  const k = decl.kind as string;
  if (k === 'using' || k === 'await using') return 'using';
  if (k === 'const') return 'const';
  if (k === 'let') return 'let';
  return 'var';
}

/** The statement an `export` wraps (`export const x`, `export default class C {}`), or the statement itself. */
export function unwrapExport(st: BNode): BNode {
  if ((st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration') && st.declaration) return st.declaration;
  return st;
}

/**
 * The declaring rules' questions (core/declarations.ts) over Babel nodes.
 * @param expressions the node types that hold no `var` of the function around them (`holdsNoVars`;
 *   {@link varFreeExpressions}); default: none (the `var` walk looks into every node)
 */
export function babelDeclarations(
  visitorKeys: Record<string, readonly string[] | undefined>,
  expressions?: ReadonlySet<string>,
): DeclarationSyntax<BNode> {
  return {
    ...(expressions && { holdsNoVars: (n: BNode) => expressions.has(n.type) }),
    declarationOf: (raw) => {
      const st = unwrapExport(raw);
      if (st.declare) return { kind: 'ambient' };
      if (st.type === 'VariableDeclaration') return { kind: 'vars', binding: declarationKind(st), declarators: st.declarations };
      if (st.type === 'ClassDeclaration' || st.type === 'FunctionDeclaration') {
        return st.id
          ? { kind: st.type === 'ClassDeclaration' ? 'class' : 'function', name: st.id.name, node: st, hasBody: true }
          : undefined;
      }
      if ((st.type === 'TSEnumDeclaration' || st.type === 'TSModuleDeclaration') && st.id?.type === 'Identifier')
        return { kind: 'enum', name: st.id.name, node: st, hasBody: true };
      return undefined;
    },
    boundNames: (t) =>
      t.type === 'VariableDeclarator' ? boundNames(t.id) : t.type === 'Identifier' && t.name === 'this' ? [] : boundNames(t),
    importNames: (raw) => {
      const st = unwrapExport(raw);
      if (st.type === 'TSImportEqualsDeclaration') return st.importKind === 'type' ? [] : [st.id.name];
      if (st.type !== 'ImportDeclaration') return undefined;
      if (st.importKind === 'type' || st.importKind === 'typeof') return [];
      return st.specifiers.filter((sp: BNode) => sp.importKind !== 'type' && sp.importKind !== 'typeof').map((sp: BNode) => sp.local.name);
    },
    hoistedVarNames: (n) =>
      n.type === 'VariableDeclaration' && declarationKind(n) === 'var' && !n.declare
        ? n.declarations.flatMap((d: BNode) => boundNames(d.id))
        : undefined,
    ownsVars: (n) => isFunctionLike(n) || n.type === 'ClassDeclaration' || n.type === 'ClassExpression' || TYPE_ONLY.has(n.type),
    forEachChild: (n, each) => {
      eachChildOf(n, visitorKeys, (c) => {
        each(c);
      });
    },
    statements: (b) => b.body,
    catchParts: (c) => ({ param: c.param ?? undefined, block: c.body }),
    clauseParts: (c) => ({ test: c.test ?? undefined, statements: c.consequent }),
  };
}

/**
 * True when identifier `id` (whose parent is `p`, reached through `key`) is read or written as a
 * variable: not a property name, label, declared name or type. Binding names of declarations are
 * never reached here (the walk visits only their defaults and computed keys).
 */
function isReference(p: BNode, key: string): boolean {
  switch (p.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return key === 'object' || !!p.computed;
    case 'ObjectProperty':
    case 'ClassProperty':
    case 'ClassPrivateProperty':
    case 'ClassAccessorProperty':
      return key !== 'key' || !!p.computed;
    case 'TSEnumMember':
      return key === 'initializer';
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ExportSpecifier':
    case 'ExportNamespaceSpecifier':
    case 'ExportDefaultSpecifier':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'MetaProperty':
    case 'TSModuleDeclaration':
    case 'TSEnumDeclaration':
    case 'TSQualifiedName':
    case 'TSImportEqualsDeclaration':
    case 'TSExternalModuleReference':
    case 'PrivateName':
      return false;
    default:
      return true;
  }
}

/** The scope walk's questions (core/scope-walk.ts) over Babel nodes, recording parent links into `parent`. */
function babelScopeSyntax(
  visitorKeys: Record<string, readonly string[] | undefined>,
  parent: WeakMap<BNode, BNode>,
  expressions: ReadonlySet<string> | undefined,
): ScopeWalkSyntax<BNode> {
  const link = (p: BNode, c: BNode | null | undefined): void => {
    if (c) parent.set(c, p);
  };
  /** A binding target: only its defaults and computed keys run (in `scope`); its names are the file's identifiers. */
  const visitTarget = (target: BNode | null | undefined, owner: BNode, scope: BScope, w: Walker<BNode>): void => {
    if (!target) return;
    link(owner, target);
    switch (target.type) {
      case 'Identifier':
        w.identifier(target.name);
        break;
      case 'ObjectPattern':
        for (const p of target.properties) {
          link(target, p);
          if (p.type === 'RestElement') {
            visitTarget(p.argument, p, scope, w);
            continue;
          }
          if (p.computed) w.visit(p.key, p, 'key', scope);
          else link(p, p.key);
          visitTarget(p.value, p, scope, w);
        }
        break;
      case 'ArrayPattern':
        for (const el of target.elements) visitTarget(el, target, scope, w);
        break;
      case 'AssignmentPattern':
        visitTarget(target.left, target, scope, w);
        w.visit(target.right, target, 'right', scope);
        break;
      case 'RestElement':
        visitTarget(target.argument, target, scope, w);
        break;
      case 'TSParameterProperty':
        for (const d of target.decorators ?? []) w.visit(d, target, 'decorators', scope);
        visitTarget(target.parameter, target, scope, w);
        break;
    }
  };
  return {
    ...babelDeclarations(visitorKeys, expressions),
    kind: (node, p, key) => {
      if (TYPE_ONLY.has(node.type) || node.declare) return 'skip';
      switch (node.type) {
        case 'Identifier':
          return 'identifier';
        case 'ThisExpression':
          return 'this';
        // A JSX tag's name reads a variable (`<Row />`, the `ui` of `<ui.Row />`), as TypeScript's
        // identifiers there do; attribute names do not.
        case 'JSXIdentifier': {
          const tag =
            p!.type === 'JSXOpeningElement' || p!.type === 'JSXClosingElement' || (p!.type === 'JSXMemberExpression' && key === 'object');
          return !tag ? 'skip' : node.name === 'this' ? 'this' : 'identifier';
        }
        case 'ClassDeclaration':
        case 'ClassExpression':
          return 'class';
        case 'BlockStatement':
        case 'TSModuleBlock':
        case 'StaticBlock':
          return 'block';
        case 'SwitchStatement':
          return 'switch';
        case 'CatchClause':
          return 'catch';
        case 'VariableDeclaration':
          return 'custom';
        case 'ForStatement':
        case 'ForInStatement':
        case 'ForOfStatement':
          return 'loop';
        default:
          return isFunctionLike(node) ? 'function' : 'other';
      }
    },
    name: (id) => id.name,
    isReference: (_id, p, key) => isReference(p!, key),
    eachChild: (n, scope, w) => {
      eachChildOf(n, visitorKeys, (c, key) => {
        w.visit(c, n, key, scope);
      });
    },
    link,
    functionParts: (fn) => ({
      computedKey: fn.computed ? fn.key : undefined,
      key: fn.computed ? undefined : (fn.key ?? undefined),
      name: fn.key?.type === 'Identifier' ? fn.key.name : undefined,
      decorators: fn.decorators ?? [],
      ownName: fn.type === 'FunctionExpression' && fn.id ? { name: fn.id.name, node: fn.id } : undefined,
      arrow: fn.type === 'ArrowFunctionExpression',
      params: fn.params,
      body: fn.body,
      statements: fn.body.type === 'BlockStatement' ? fn.body.body : undefined,
    }),
    visitClass: (node, scope, w) => {
      for (const d of node.decorators ?? []) w.visit(d, node, 'decorators', scope);
      const inner = node.id ? w.classScope(node, node.id.name, node.id, scope) : scope;
      w.visit(node.superClass, node, 'superClass', inner);
      link(node, node.body);
      for (const m of node.body.body as BNode[]) w.visit(m, node.body, 'body', inner);
    },
    switchParts: (node) => ({ discriminant: node.discriminant, clauses: node.cases }),
    lexicalLoopHead: (node) => {
      const head = node.type === 'ForStatement' ? node.init : node.left;
      return head?.type === 'VariableDeclaration' && declarationKind(head) !== 'var'
        ? { binding: declarationKind(head), declarators: head.declarations }
        : undefined;
    },
    binding: (target, owner, scope, w) => {
      if (target.type === 'Identifier' && target.name === 'this') link(owner, target);
      else visitTarget(target, owner, scope, w);
    },
    // A declaration's targets bind (only their defaults and computed keys run); its initialisers run.
    visitCustom: (node, scope, w) => {
      for (const d of node.declarations as BNode[]) {
        link(node, d);
        visitTarget(d.id, d, scope, w);
        w.visit(d.init, d, 'init', scope);
      }
    },
  };
}

/**
 * Walks the program once (core/scope-walk.ts), building scopes and resolving every variable
 * reference to record each function's closure variables and whether arrows read `this`.
 * @param visitorKeys `t.VISITOR_KEYS` of the Babel in use
 * @param parent where the parent links are recorded (Babel nodes have none)
 * @param expressions see {@link babelDeclarations}; default: none
 */
export function analyzeScopes(
  program: BNode,
  visitorKeys: Record<string, readonly string[] | undefined>,
  parent: WeakMap<BNode, BNode>,
  expressions?: ReadonlySet<string>,
): ScopeInfo<BNode> {
  return walkScopes(babelScopeSyntax(visitorKeys, parent, expressions), program, program.body);
}

/** Per Babel `types`: its expression node types, except those that can hold statements. */
const expressionSets = new WeakMap<object, ReadonlySet<string>>();

/**
 * The expression types of `aliases` (`t.FLIPPED_ALIAS_KEYS`) that hold no `var` of the function
 * around them, for a program whose text is `code`; undefined when the text may hold a `do { }`
 * expression or a `module { }` block (statements inside an expression: their `var`s are the
 * function's, or the module block's own), where the `var` walk must look everywhere. Other
 * expressions hold statements only inside functions and classes, which own their `var`s.
 */
export function varFreeExpressions(aliases: Record<string, readonly string[] | undefined>, code: string): ReadonlySet<string> | undefined {
  // Conservative: any `do` word (a do-while loop too), `module` before a `{` (comments allowed between).
  if (/\bdo\b/.test(code) || /\bmodule\b(?:\s|\/\*[\s\S]*?\*\/)*\{/.test(code)) return undefined;
  let set = expressionSets.get(aliases);
  if (!set) {
    set = new Set((aliases.Expression ?? []).filter((type) => type !== 'DoExpression' && type !== 'ModuleExpression'));
    expressionSets.set(aliases, set);
  }
  return set;
}

/** Wrappers that do not change what an expression is (types, parentheses). */
export const TRANSPARENT = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'ParenthesizedExpression',
  'TypeCastExpression',
]);
