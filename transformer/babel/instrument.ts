/**
 * The Babel adapter: instruments a program in place, as the TypeScript adapter does, from the same
 * core (core/emit-*.ts lay out what core/hoist-plan.ts and core/frame-plan.ts decide). This file
 * reads Babel's AST for the core (`EmitSyntax`) and walks the program; babel/emitter.ts builds the
 * nodes. It runs on the program before any other plugin's visitor (TypeScript types are still
 * there and are left for the preset to strip).
 */
import { breakpointCall, isBreakpointCall } from '../core/emit-breakpoint';
import { instrumentFunction } from '../core/emit-function';
import { withPrologue } from '../core/emit-module';
import { caseClauses } from '../core/emit-statements';
import type { EmitSyntax } from '../core/emit-syntax';
import { type ExpressionKind, skipOuter } from '../core/expression-kinds';
import { FileState } from '../core/file-state';
import { LineIndex } from '../core/line-index';
import { coldMembers, findMarkerDecorators, nothingToDo, pruneMarkerImports, readMarkerImports } from '../core/file-markers';
import { findTestCallbacks } from '../core/test-callbacks';
import { markerReferences, QuietSubtrees, textOffsets } from '../core/quiet-subtrees';
import { type CalleeShape, commentMarker } from '../core/markers';
import type { ResolvedOptions } from '../core/options';
import type { StatementKind } from '../core/statement-parts';
import { type BabelTypes, babelEmitter } from './emitter';
import { babelHoistSyntax } from './hoist-syntax';
import {
  analyzeScopes,
  babelDeclarations,
  type BNode,
  eachChildOf,
  isFunctionLike,
  TRANSPARENT,
  unwrapExport,
  varFreeExpressions,
} from './scopes';

export type { BabelTypes } from './emitter';

/** What the plugin knows about the file. */
export interface ProgramContext {
  /** The file's name (absolute when Babel was given one). */
  filename: string;
  /** The source text (for computed names in display names). */
  code: string;
  /** True when the output will be CommonJS (a script, or a modules-to-CommonJS plugin runs). */
  commonJs: boolean;
}

/** Class and object literal members: with statements, what can hold a marker comment in a list. */
const LIST_MEMBERS = new Set([
  'ClassMethod',
  'ClassPrivateMethod',
  'ClassProperty',
  'ClassPrivateProperty',
  'ClassAccessorProperty',
  'StaticBlock',
  'ObjectProperty',
  'ObjectMethod',
  'SpreadElement',
]);
/** Statements that declare only types: they stay in place, out of the try segments. */
const TYPE_DECLARATIONS = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction']);
/** The statements whose parts the core visits (core/statement-parts.ts), by type: their parts in that order. */
const STATEMENTS = new Map<string, [StatementKind, string[]]>([
  ['IfStatement', ['if', ['test', 'consequent', 'alternate']]],
  ['ForStatement', ['for', ['init', 'test', 'update', 'body']]],
  ['ForOfStatement', ['forInOf', ['left', 'right', 'body']]],
  ['ForInStatement', ['forInOf', ['left', 'right', 'body']]],
  ['WhileStatement', ['while', ['test', 'body']]],
  ['DoWhileStatement', ['doWhile', ['body', 'test']]],
  ['LabeledStatement', ['labeled', ['body']]],
  ['TryStatement', ['try', ['handler', 'block', 'finalizer']]],
]);
/** Literals (core/expression-kinds.ts). */
const LITERALS = new Set(['StringLiteral', 'NumericLiteral', 'BigIntLiteral', 'BooleanLiteral', 'NullLiteral', 'RegExpLiteral']);

/** The kind of an expression the core's rules tell apart (core/expression-kinds.ts). */
function expressionKind(e: BNode): ExpressionKind<BNode> | undefined {
  if (TRANSPARENT.has(e.type)) return { kind: 'transparent', inner: e.expression };
  if (LITERALS.has(e.type) || (e.type === 'TemplateLiteral' && e.expressions.length === 0)) return { kind: 'literal' };
  if (e.type === 'FunctionExpression' || e.type === 'ArrowFunctionExpression') return { kind: 'function' };
  if (e.type === 'ClassExpression') return { kind: 'class', named: !!e.id };
  if (e.type === 'UnaryExpression' && e.operator === 'void') return { kind: 'void', operand: e.argument };
  return undefined;
}

/** A call's callee in the shape markers have (`name(...)`, `object.property(...)`). */
function calleeShape(call: BNode): CalleeShape<BNode> | undefined {
  const c = call.callee;
  if (c.type === 'Identifier') return { name: c.name, id: c };
  if (c.type === 'MemberExpression' && !c.computed && c.object.type === 'Identifier' && c.property.type === 'Identifier') {
    return { object: c.object.name, objectId: c.object, property: c.property.name };
  }
  return undefined;
}

/** An import declaration's module and named imports. */
function importOf(st: BNode): { module: string; named: { imported: string; local: string }[] } | undefined {
  if (st.type !== 'ImportDeclaration') return undefined;
  const named = (st.specifiers as BNode[])
    .filter((sp) => sp.type === 'ImportSpecifier')
    .map((sp) => ({ imported: sp.imported.type === 'Identifier' ? sp.imported.name : sp.imported.value, local: sp.local.name }));
  return { module: st.source.value, named };
}

/** Members whose key names the function written as their value (an `accessor` field too, as TypeScript's `PropertyDeclaration`). */
const CONTEXT_KEYS = new Set(['ObjectProperty', 'ClassProperty', 'ClassPrivateProperty', 'ClassAccessorProperty']);

/** The class around a class member (`ClassBody`'s parent). */
function classOf(fn: BNode, parentOf: WeakMap<BNode, BNode>): BNode | undefined {
  const body = parentOf.get(fn);
  return body?.type === 'ClassBody' ? parentOf.get(body) : undefined;
}

/** The `EmitSyntax` answers that read a node and its parents. */
function babelSyntax(
  t: BabelTypes,
  ctx: ProgramContext,
  keys: Record<string, readonly string[] | undefined>,
  parentOf: WeakMap<BNode, BNode>,
  at: (node: BNode, from: BNode) => BNode,
): Omit<EmitSyntax<BNode>, 'visit' | 'visitSwitch' | 'visitChildren' | 'classExpression' | 'rebuildFunction'> {
  // For positions Babel's nodes do not carry (a switch's `{`, the end of the file).
  const lines = new LineIndex(ctx.code);
  const keyText = (k: BNode | undefined, computed: boolean): string | undefined => {
    if (!k) return undefined;
    if (computed) return `[${ctx.code.slice(k.start, k.end)}]`;
    if (k.type === 'Identifier') return k.name;
    if (k.type === 'PrivateName') return `#${k.id.name}`;
    if (k.type === 'StringLiteral') return k.value;
    if (k.type === 'NumericLiteral') return String(k.value);
    return undefined;
  };
  const isConstructor = (fn: BNode): boolean => fn.type === 'ClassMethod' && fn.kind === 'constructor';
  return {
    ...babelDeclarations(keys),
    parent: (n) => parentOf.get(n),
    isFunction: isFunctionLike,
    someChild: (n, each) => eachChildOf(n, keys, (c) => !!each(c)),
    // As the TypeScript adapter reports it (the metadata of both builds is the same): an exported
    // declaration starts at `export`, a switch's scope at its `{`.
    pos: (n) => {
      const p = parentOf.get(n);
      if (p && (p.type === 'ExportNamedDeclaration' || p.type === 'ExportDefaultDeclaration')) return lines.at(p.start);
      if (n.type === 'SwitchStatement') return lines.at(ctx.code.indexOf('{', n.discriminant.end));
      return { line: n.loc.start.line, col: n.loc.start.column };
    },
    endPos: (n) => ({ line: n.loc.end.line, col: n.loc.end.column }),
    fileEnd: () => lines.at(ctx.code.length),
    startOffset: (n) => n.start,
    declEnd: (d) => [d.loc.end.line, d.loc.end.column],
    isBlock: (n) => n.type === 'BlockStatement',
    isSwitch: (st) => st.type === 'SwitchStatement',
    statementParts: (st) => {
      const [kind, keys] = STATEMENTS.get(st.type) ?? [];
      return kind && { kind, parts: keys!.map((k) => st[k] ?? undefined) };
    },
    withParts: (st, parts) => {
      STATEMENTS.get(st.type)![1].forEach((k, i) => {
        if (st[k]) st[k] = parts[i];
      });
      return st;
    },
    withClause: (c, test, stmts) => {
      if (c.test) c.test = test;
      c.consequent = stmts;
      return c;
    },
    withStatements: (b, stmts) => {
      b.body = stmts;
      return b;
    },
    isEmptyStatement: (st) => st.type === 'EmptyStatement',
    declaratorName: (d) => (d.id.type === 'Identifier' ? d.id.name : undefined),
    declaratorInit: (d) => d.init ?? undefined,
    singleDeclaration: (st, d) => at(t.variableDeclaration(st.kind, [d]), st),
    withInit: (d, init) => {
      d.init = init;
      return d;
    },
    isTypeDeclaration: (st) => TYPE_DECLARATIONS.has(unwrapExport(st).type),
    leaves: (st) => st.type === 'ReturnStatement' || st.type === 'ThrowStatement',
    loopHeadDeclarators: (init) => (init.type === 'VariableDeclaration' ? init.declarations : undefined),
    isForInOf: (loop) => loop.type === 'ForOfStatement' || loop.type === 'ForInStatement',
    withCatch: (c, param, body) => {
      c.param = param ?? null;
      c.body = body;
      return c;
    },
    functionBody: (fn) => (fn.body.type === 'BlockStatement' ? fn.body.body : [at(t.returnStatement(fn.body), fn.body)]),
    isDirective: () => false, // Babel keeps them on the body (rebuildFunction moves them to the new one)
    bodyNode: (fn) => fn.body,
    functionShape: (fn) => ({
      isArrow: fn.type === 'ArrowFunctionExpression',
      isConstructor: isConstructor(fn),
      derivedConstructor: isConstructor(fn) && !!classOf(fn, parentOf)?.superClass,
      generator: !!fn.generator,
    }),
    hasCode: (fn) => !!fn.body && !fn.declare && !fn.abstract,
    nameParts: (fn) => {
      const cls = classOf(fn, parentOf);
      return {
        className: cls ? (cls.id?.name ?? '<class>') : undefined,
        isConstructor: isConstructor(fn),
        own:
          fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression'
            ? fn.id?.name
            : fn.type === 'ArrowFunctionExpression'
              ? undefined
              : keyText(fn.key, !!fn.computed),
        accessor: fn.kind === 'get' || fn.kind === 'set' ? fn.kind : undefined,
      };
    },
    nameFromParent: (p) => {
      if (p.type === 'VariableDeclarator') return p.id.type === 'Identifier' ? p.id.name : undefined;
      if (CONTEXT_KEYS.has(p.type)) return keyText(p.key, !!p.computed);
      if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') return p.left.name;
      // As the TypeScript adapter names it: any binary expression with a name on its left.
      const binary = p.type === 'AssignmentExpression' || p.type === 'BinaryExpression' || p.type === 'LogicalExpression';
      return binary && p.left.type === 'Identifier' ? p.left.name : undefined;
    },
    commentMarker: (n) =>
      commentMarker((n.leadingComments ?? []).map((c: BNode) => (c.type === 'CommentLine' ? `//${c.value}\n` : `/*${c.value}*/`)).join('')),
    commentHolder: (p) => {
      if (p.type === 'VariableDeclaration') return parentOf.get(p)?.type === 'ExportNamedDeclaration' ? 'through' : 'last';
      if (
        [
          'ExpressionStatement',
          'ObjectProperty',
          'ClassProperty',
          'ClassPrivateProperty',
          'ExportNamedDeclaration',
          'ExportDefaultDeclaration',
        ].includes(p.type)
      )
        return 'last';
      return TRANSPARENT.has(p.type) || p.type === 'VariableDeclarator' || (p.type === 'AssignmentExpression' && p.operator === '=')
        ? 'through'
        : undefined;
    },
    importOf,
    importLocals: (decl) => decl.specifiers.map((sp: BNode) => sp.local.name),
    withImportLocals: (decl, keep) => {
      if (!keep.length) return undefined;
      decl.specifiers = decl.specifiers.filter((sp: BNode) => keep.includes(sp.local.name));
      return decl;
    },
    decorators: (n) => n.decorators ?? [],
    decoratorCall: (d) => (d.expression?.type === 'CallExpression' ? d.expression : undefined),
    memberRange: (n) =>
      typeof n.start === 'number' && (t.isStatement(n) || LIST_MEMBERS.has(n.type))
        ? [Math.min(n.start, n.leadingComments?.[0]?.start ?? n.start), n.end]
        : undefined,
    isWith: (n) => n.type === 'WithStatement',
    isDirectEval: (n) => {
      if (n.type !== 'CallExpression' && n.type !== 'OptionalCallExpression') return false;
      const callee = skipOuter({ expressionKind }, n.callee);
      return callee.type === 'Identifier' && callee.name === 'eval';
    },
    identifierName: (n) => (n.type === 'Identifier' ? n.name : undefined),
    isCall: (n) => n.type === 'CallExpression',
    callee: calleeShape,
    calleeCall: (call) => (call.callee.type === 'CallExpression' ? call.callee : undefined),
    callArgs: (call) => call.arguments,
    expressionKind,
  };
}

/**
 * True when `q` finds the text range of `n` quiet (core/quiet-subtrees.ts). Babel's ranges hold
 * their children's, except, with some parser options, a class's decorators written before
 * `export`: an export declaration and a decorated node are never quiet (their children are asked).
 */
function rangeQuiet(q: QuietSubtrees, n: BNode): boolean {
  if (n.type === 'ExportNamedDeclaration' || n.type === 'ExportDefaultDeclaration' || n.decorators?.length) return false;
  return q.quiet(n.start, n.end);
}

/**
 * Instruments one program in place. Returns true when it changed anything (markers removed or
 * functions instrumented).
 */
export function instrumentProgram(t: BabelTypes, program: BNode, ctx: ProgramContext, options: ResolvedOptions): boolean {
  const keys = t.VISITOR_KEYS as Record<string, readonly string[] | undefined>;
  // Already instrumented (a script's prologue `require`s the capture module; a module's imports it): left alone.
  const requiresCapture = (st: BNode): boolean =>
    st.type === 'VariableDeclaration' &&
    st.declarations.some((d: BNode) => d.init?.type === 'CallExpression' && d.init.arguments[0]?.value === options.runtimeModule);
  if ((program.body as BNode[]).some(requiresCapture)) return false;
  const markers = readMarkerImports({ importOf }, program.body, options.runtimeModule);
  if (!markers || nothingToDo(markers.declarations.size > 0, ctx.code, options)) return false;

  const parentOf = new WeakMap<BNode, BNode>();
  const emit = babelEmitter(t);
  const syntax: EmitSyntax<BNode> = {
    ...babelSyntax(t, ctx, keys, parentOf, emit.at),
    visit: (n) => visitNode(n),
    visitSwitch: (st) => {
      st.discriminant = visitNode(st.discriminant);
      st.cases = caseClauses(s!, st, st.cases);
      return st;
    },
    visitChildren: (fn) => visitChildren(fn),
    classExpression: (st) => {
      const visited = visitNode(st);
      const e = t.classExpression(visited.id, visited.superClass, visited.body, visited.decorators?.length ? visited.decorators : null);
      // Types stay for the TypeScript preset to strip (their key names differ between Babel 7 and 8).
      for (const k of ['typeParameters', 'superTypeParameters', 'superTypeArguments', 'implements']) if (visited[k]) e[k] = visited[k];
      return emit.at(e, st);
    },
    rebuildFunction: (fn, _directives, stmts) => {
      const isBlock = fn.body.type === 'BlockStatement';
      const body = t.blockStatement(stmts, isBlock ? (fn.body.directives ?? []) : []);
      if (isBlock) emit.at(body, fn.body);
      fn.params = (fn.params as BNode[]).map((p) => visitNode(p));
      if (fn.computed && fn.key) fn.key = visitNode(fn.key);
      for (const d of fn.decorators ?? []) visitNode(d);
      fn.body = body;
      if (fn.type === 'ArrowFunctionExpression') fn.expression = false;
      return fn;
    },
  };
  // Marker decorators are removed in every build (they still count as decorators: core/file-state.ts `decorated`).
  // A subtree whose text holds no `@` holds no decorator (see `rangeQuiet` for the ranges trusted).
  const atSigns = new QuietSubtrees(textOffsets(ctx.code, ['@'], false), []);
  const { removed, owners, boundaries } = findMarkerDecorators(syntax, program, markers, (n) => !rangeQuiet(atSigns, n));
  for (const fn of findTestCallbacks(syntax, program, options)) boundaries.add(fn);
  for (const n of owners) {
    const kept = n.decorators.filter((d: BNode) => !removed.has(d));
    n.decorators = kept.length ? kept : null;
  }
  const aliases = t.FLIPPED_ALIAS_KEYS as Record<string, readonly string[] | undefined>;
  const info = options.enabled ? analyzeScopes(program, keys, parentOf, varFreeExpressions(aliases, ctx.code)) : undefined;
  const s =
    info && new FileState<BNode>({ syntax, emit, hoist: babelHoistSyntax(parentOf), info, options, markers, boundaries, text: ctx.code });

  const cold =
    coldMembers(
      syntax,
      options,
      ctx.code,
      markers,
      [...boundaries].map((fn) => fn.start as number),
    ) ?? (() => false);
  const visitChildren = (node: BNode): BNode => {
    for (const key of keys[node.type] ?? []) {
      const v = node[key];
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (v[i] && typeof v[i].type === 'string' && !cold(v[i])) v[i] = visitNode(v[i]);
      } else if (v && typeof v.type === 'string') {
        node[key] = visitNode(v);
      }
    }
    return node;
  };
  // Statements of an instrumented function are reached through core/emit-statements.ts
  // visitStatement; elsewhere (module level, class static blocks, uninstrumented functions) only
  // nested functions change.
  // Subtrees with no function the scope walk entered and no breakpoint call come out of the visit
  // unchanged (core/quiet-subtrees.ts): they are not walked. What the walk did not enter (types,
  // `declare`d code) holds no function with a scope and no resolved reference, so nothing in it
  // changes either: no gaps. A breakpoint call's callee is a reference to a marker import.
  const quiet =
    info &&
    new QuietSubtrees(
      [
        ...[...info.scopes.keys()].filter(isFunctionLike).map((fn) => fn.start as number),
        ...markerReferences(
          info,
          markers,
          (id) => id.name,
          (id) => id.start,
        ),
      ],
      [],
    );
  const visitNode = (node: BNode): BNode => {
    if (quiet !== undefined && rangeQuiet(quiet, node)) return node;
    if (node.type === 'CallExpression' && isBreakpointCall(s!, node)) return emit.at(breakpointCall(s!, node), node);
    if (isFunctionLike(node)) {
      const role = s!.role(node);
      if (role) return instrumentFunction(s!, node, role);
    }
    return visitChildren(node);
  };

  if (s) program.body = (program.body as BNode[]).map((st) => (cold(st) ? st : visitNode(st)));

  // Marker imports go when nothing else uses them (so a build-off program never loads ts-pdb).
  const changed = removed.size > 0;
  if (changed) {
    // Only the marker decorators' import names are asked of the uses: subtrees without their text are not walked.
    const mentions = new QuietSubtrees(textOffsets(ctx.code, [...markers.decorator, ...markers.debuggerNs], true), []);
    program.body = pruneMarkerImports(syntax, program, program.body, markers, removed, undefined, (n) => !rangeQuiet(mentions, n));
  }
  if (!s?.meta.fns.length) return changed;
  // Module prologue (Babel keeps directives apart): a script (CommonJS source) gets a plain
  // `require`; a module an `import`, which a CommonJS plugin after us rewrites.
  program.body = withPrologue(s, program.body, ctx.filename, ctx.commonJs, program.sourceType !== 'module');
  return true;
}
