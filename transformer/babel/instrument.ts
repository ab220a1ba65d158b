/**
 * The Babel adapter's emitter: rewrites a program's functions exactly as the TypeScript adapter
 * does (typescript/instrument.ts shows the shape and says why), from the same decisions
 * (core/hoist-plan.ts, core/frame-plan.ts), with Babel nodes. It runs on the program before any
 * other plugin's visitor (TypeScript types are still there and are left for the preset to strip).
 *
 * Nodes are rewritten in place or replaced; new nodes carry no location unless they stand for
 * source text (a moved declaration keeps its declaration's), so Babel's source maps stay correct.
 */
import type { BindingKind } from '../../runtime/records';
import { planHoist, type HoistSyntax } from '../core/hoist-plan';
import {
  blockNames, type Capturable, catchEntry, closureOf, retryable, closureReadMayThrow, frameNames, instrumentRole, Hotspots, MetaBuilder, nothingToDo, stayingFunctions, textAllows, topLevelNames,
} from '../core/frame-plan';
import { BREAKPOINT_EXPORT, breakpointOffsets, SET_TRACE_MEMBER, siteBindings } from '../core/breakpoints';
import { commentMarker, DEBUGGER_EXPORT, DECORATOR_EXPORT, RUNTIME_MODULES } from '../core/markers';
import { GeneratedNames } from '../core/names';
import type { ResolvedOptions } from '../core/options';
import {
  analyzeScopes, type BBinding, type BNode, boundNames, children, declarationKind, isFunctionLike, isLoop, isWriteReference,
  lexicalDeclarations, type BScope, type BScopeInfo, unwrapExport,
} from './scopes';

/** The part of `@babel/types` the emitter uses (the `types` a plugin receives; Babel 7 or 8). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BabelTypes = any;

/** What the plugin knows about the file. */
export interface ProgramContext {
  /** The file's name (absolute when Babel was given one). */
  filename: string;
  /** The source text (for computed names in display names). */
  code: string;
  /** True when the output will be CommonJS (a script, or a modules-to-CommonJS plugin runs). */
  commonJs: boolean;
}

const TRANSPARENT = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion',
  'ParenthesizedExpression', 'TypeCastExpression']);

/** Class and object literal members: with statements, what can hold a marker comment in a list. */
const LIST_MEMBERS = new Set(['ClassMethod', 'ClassPrivateMethod', 'ClassProperty', 'ClassPrivateProperty', 'ClassAccessorProperty',
  'StaticBlock', 'ObjectProperty', 'ObjectMethod', 'SpreadElement']);

/** Skips parentheses, type assertions, `satisfies` and `!`: they do not change what runs. */
function skipOuter(e: BNode): BNode {
  while (TRANSPARENT.has(e.type)) e = e.expression;
  return e;
}

/** Expressions whose evaluation cannot throw (no split into a temporary needed). */
function cannotThrow(e: BNode): boolean {
  const x = skipOuter(e);
  return ['StringLiteral', 'NumericLiteral', 'BigIntLiteral', 'BooleanLiteral', 'NullLiteral', 'RegExpLiteral',
    'FunctionExpression', 'ArrowFunctionExpression'].includes(x.type)
    || (x.type === 'TemplateLiteral' && x.expressions.length === 0)
    || (x.type === 'UnaryExpression' && x.operator === 'void' && ['StringLiteral', 'NumericLiteral', 'BigIntLiteral'].includes(x.argument.type));
}

/** An anonymous class expression gets its name from the declaration: it must stay in place. */
function isAnonymousClass(e: BNode): boolean {
  const x = skipOuter(e);
  return x.type === 'ClassExpression' && !x.id;
}

/** True for a decorator `@attachOnError()` / `@Debugger.attachOnError()` bound to ts-pdb's exports. */
function isMarkerDecorator(d: BNode, decorator: Set<string>, debuggerNs: Set<string>): boolean {
  const e = d.expression;
  if (e?.type !== 'CallExpression') return false;
  const c = e.callee;
  if (c.type === 'Identifier') return decorator.has(c.name);
  return c.type === 'MemberExpression' && !c.computed && c.object.type === 'Identifier' && debuggerNs.has(c.object.name)
    && c.property.type === 'Identifier' && c.property.name === DECORATOR_EXPORT;
}

/** Walks every node (types skipped), calling `fn`; `fn` returning false skips the node's children. */
function walk(node: BNode, keys: Record<string, readonly string[] | undefined>, fn: (n: BNode) => boolean | void): void {
  if (fn(node) === false) return;
  for (const c of children(node, keys)) walk(c.node, keys, fn);
}

/**
 * Instruments one program in place. Returns true when it changed anything (markers removed or
 * functions instrumented).
 */
export function instrumentProgram(t: BabelTypes, program: BNode, ctx: ProgramContext, options: ResolvedOptions): boolean {
  const keys = t.VISITOR_KEYS as Record<string, readonly string[] | undefined>;
  const body = program.body as BNode[];

  // Marker imports: local names bound to ts-pdb's attachOnError / Debugger.
  const decorator = new Set<string>();
  const debuggerNs = new Set<string>();
  const breakpointNames = new Set<string>();
  const markerImports = new Set<BNode>();
  for (const st of body) {
    // Already instrumented (an import or require of the capture module): left alone.
    if (st.type === 'VariableDeclaration' && st.declarations.some((d: BNode) => d.init?.type === 'CallExpression'
      && d.init.arguments[0]?.value === options.runtimeModule)) return false;
    if (st.type !== 'ImportDeclaration') continue;
    if (st.source.value === options.runtimeModule) return false;
    if (!RUNTIME_MODULES.has(st.source.value)) continue;
    for (const sp of st.specifiers) {
      if (sp.type !== 'ImportSpecifier') continue;
      const imported = sp.imported.type === 'Identifier' ? sp.imported.name : sp.imported.value;
      if (imported === DECORATOR_EXPORT) decorator.add(sp.local.name);
      if (imported === DEBUGGER_EXPORT) debuggerNs.add(sp.local.name);
      if (imported === BREAKPOINT_EXPORT) breakpointNames.add(sp.local.name);
    }
    markerImports.add(st);
  }

  if (nothingToDo(markerImports.size > 0, ctx.code, options)) return false;

  // Pass 1: marker decorators mark methods; they are removed in every build.
  const boundaries = new Set<BNode>();
  let removedDecorators = 0;
  if (decorator.size || debuggerNs.size) {
    walk(program, keys, (n) => {
      if (!n.decorators?.length) return;
      const kept = n.decorators.filter((d: BNode) => !isMarkerDecorator(d, decorator, debuggerNs));
      if (kept.length === n.decorators.length) return;
      removedDecorators += n.decorators.length - kept.length;
      if (isFunctionLike(n)) boundaries.add(n);
      n.decorators = kept.length ? kept : null;
    });
  }

  const info: BScopeInfo | undefined = options.enabled ? analyzeScopes(program, keys) : undefined;
  const parentOf = info?.parent ?? new WeakMap<BNode, BNode>();
  const names = new GeneratedNames(info?.identifiers ?? new Set<string>(), options.enabled);
  const { ns: NS, mod: MOD, err: ERR } = names;
  const unique = (base: string): string => names.unique(base);
  const newTemp = (): string => names.temp();

  const metaOut = new MetaBuilder();
  // Line starts, for positions Babel's nodes do not carry (a switch's `{`).
  const lineStarts = [0];
  for (let i = ctx.code.indexOf('\n'); i >= 0; i = ctx.code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const posAt = (offset: number): { line: number; col: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1; }
    return { line: lo + 1, col: offset - lineStarts[lo] };
  };
  /**
   * Where a node starts as the TypeScript adapter reports it (the metadata of both builds is the
   * same): an exported declaration starts at `export`, a switch's scope at its `{`.
   */
  const pos = (n: BNode): { line: number; col: number } => {
    const p = parentOf.get(n);
    if (p && (p.type === 'ExportNamedDeclaration' || p.type === 'ExportDefaultDeclaration')) return posAt(p.start);
    if (n.type === 'SwitchStatement') return posAt(ctx.code.indexOf('{', n.discriminant.end));
    return { line: n.loc.start.line, col: n.loc.start.column };
  };
  const at = (node: BNode, from: BNode | undefined): BNode => {
    if (from?.loc) { node.loc = from.loc; node.start = from.start; node.end = from.end; }
    return node;
  };

  const id = (name: string): BNode => t.identifier(name);
  const rt = (name: string): BNode => t.memberExpression(id(NS), id(name));
  const letDecl = (names: string[], init?: BNode): BNode =>
    t.variableDeclaration('let', names.map((n) => t.variableDeclarator(id(n), init ?? null)));
  /** `let t; try { t = <read>; } catch { t = __tsPdb.U; }`: a read that may hit a TDZ. */
  const guardedRead = (read: BNode, out: BNode[]): BNode => {
    const tmp = newTemp();
    out.push(letDecl([tmp]));
    out.push(t.tryStatement(t.blockStatement([t.expressionStatement(t.assignmentExpression('=', id(tmp), read))]),
      t.catchClause(null, t.blockStatement([t.expressionStatement(t.assignmentExpression('=', id(tmp), rt('U')))]))));
    return id(tmp);
  };
  const catchClause = (stmts: BNode[], outermost = false): BNode => {
    const again = t.throwStatement(id(ERR));
    // Node prints the line of the last `throw` above an uncaught error's stack: say what it is.
    if (outermost) t.addComment(again, 'trailing', ' ts-pdb: the error below, rethrown unchanged', true);
    return t.catchClause(id(ERR), t.blockStatement([...stmts, again]));
  };
  const wrap = (stmts: BNode[], c: BNode): BNode => t.tryStatement(t.blockStatement(stmts), c);
  /** True when a body's last statement leaves it (a retry loop then needs no `return;` of its own). */
  const endsWithExit = (stmts: readonly BNode[]): boolean => {
    const last = stmts[stmts.length - 1];
    return last?.type === 'ReturnStatement' || last?.type === 'ThrowStatement';
  };

  /** The comment marker written before a function, looking through the nodes that hold it. */
  const functionComment = (fn: BNode): 'debuggable' | 'no-debug' | undefined => {
    const holders: BNode[] = [fn];
    let p = parentOf.get(fn);
    // `const f = () => ...`, `export const f = ...`, `{ f: function () {} }`, `x = () => ...`
    while (p && (TRANSPARENT.has(p.type) || p.type === 'VariableDeclarator' || p.type === 'VariableDeclaration'
      || p.type === 'ObjectProperty' || p.type === 'ClassProperty' || p.type === 'ClassPrivateProperty'
      || p.type === 'ExportNamedDeclaration' || p.type === 'ExportDefaultDeclaration'
      || (p.type === 'AssignmentExpression' && p.operator === '=') || p.type === 'ExpressionStatement')) {
      holders.push(p);
      if (p.type === 'ExpressionStatement' || p.type === 'ObjectProperty' || p.type === 'ClassProperty'
        || p.type === 'ClassPrivateProperty' || p.type === 'ExportNamedDeclaration' || p.type === 'ExportDefaultDeclaration') break;
      if (p.type === 'VariableDeclaration') {
        const up = parentOf.get(p);
        if (up?.type === 'ExportNamedDeclaration') holders.push(up);
        break;
      }
      p = parentOf.get(p);
    }
    let found: 'debuggable' | 'no-debug' | undefined;
    for (const h of holders) {
      for (const c of h.leadingComments ?? []) {
        const m = commentMarker(c.type === 'CommentLine' ? `//${c.value}` : `/*${c.value}*/`);
        if (m === 'no-debug') return m;
        if (m) found = m;
      }
    }
    return found;
  };

  /** A user-facing name for a function (`Trainer.step`, `riskyOperation`, `<anonymous>`). */
  const displayName = (fn: BNode): string => {
    const keyText = (k: BNode | undefined, computed: boolean): string | undefined => {
      if (!k) return undefined;
      if (computed) return `[${ctx.code.slice(k.start, k.end)}]`;
      if (k.type === 'Identifier') return k.name;
      if (k.type === 'PrivateName') return `#${k.id.name}`;
      if (k.type === 'StringLiteral') return k.value;
      if (k.type === 'NumericLiteral') return String(k.value);
      return undefined;
    };
    const classBody = parentOf.get(fn);
    const cls = classBody?.type === 'ClassBody' ? parentOf.get(classBody) : undefined;
    const clsName = cls ? (cls.id?.name ?? '<class>') : undefined;
    if (fn.type === 'ClassMethod' && fn.kind === 'constructor') return `${clsName ?? '<class>'}.constructor`;
    const own = fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression' ? fn.id?.name
      : fn.type === 'ArrowFunctionExpression' ? undefined : keyText(fn.key, !!fn.computed);
    const prefix = fn.kind === 'get' ? 'get ' : fn.kind === 'set' ? 'set ' : '';
    if (own) return prefix + (clsName ? `${clsName}.${own}` : own);
    let p = parentOf.get(fn);
    while (p && TRANSPARENT.has(p.type)) p = parentOf.get(p);
    if (!p) return '<anonymous>';
    if (p.type === 'VariableDeclarator') return p.id.type === 'Identifier' ? p.id.name : '<anonymous>';
    if (p.type === 'ObjectProperty' || p.type === 'ClassProperty' || p.type === 'ClassPrivateProperty') return keyText(p.key, !!p.computed) ?? '<anonymous>';
    if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') return p.left.name;
    // As the TypeScript adapter names it: any binary expression with a name on its left.
    if ((p.type === 'AssignmentExpression' || p.type === 'BinaryExpression' || p.type === 'LogicalExpression')
      && p.left.type === 'Identifier') return p.left.name;
    return '<anonymous>';
  };

  const containsDirectEval = (node: BNode): boolean => {
    let found = false;
    walk(node, keys, (n) => {
      if (found) return false;
      if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
        const callee = skipOuter(n.callee);
        if (callee.type === 'Identifier' && callee.name === 'eval') { found = true; return false; }
      }
      return undefined;
    });
    return found;
  };
  const containsWith = (node: BNode): boolean => {
    let found = false;
    walk(node, keys, (n) => { if (found || n.type === 'WithStatement') { found = true; return false; } return undefined; });
    return found;
  };
  const insideWith = (node: BNode): boolean => {
    for (let p = parentOf.get(node); p; p = parentOf.get(p)) if (p.type === 'WithStatement') return true;
    return false;
  };

  const allows = textAllows(ctx.code);
  const shouldInstrument = (fn: BNode): 'boundary' | 'frame' | undefined => {
    if (!fn.body || !options.enabled || fn.declare || fn.abstract) return undefined;
    return instrumentRole({
      hasBody: true, directEval: allows.eval && containsDirectEval(fn.body),
      withStatement: allows.with && (containsWith(fn.body) || insideWith(fn)),
      redeclaresLexically: info!.scopes.get(fn)?.redeclaresLexically,
      comment: functionComment(fn), decorated: boundaries.has(fn),
    }, options);
  };

  /** True when `class C {...}` may be emitted as `C = class C {...}` with the same behaviour: no decorators in it. */
  const canBeClassExpression = (cls: BNode): boolean => {
    if (cls.declare) return false;
    if (cls.decorators?.length || cls.hadMarkers) return false;
    for (const m of cls.body.body as BNode[]) {
      if (m.decorators?.length || m.hadMarkers) return false;
      for (const p of m.params ?? []) if (p.decorators?.length) return false;
    }
    return true;
  };
  // Marker decorators count as decorators there (the TypeScript adapter sees them on the original nodes).
  if (boundaries.size) for (const fn of boundaries) fn.hadMarkers = true;

  const hoistSyntax: HoistSyntax<BNode> = {
    parent: (n) => parentOf.get(n),
    start: (n) => n.start ?? 0,
    end: (n) => n.end ?? 0,
    loopBody: (n) => (isLoop(n) ? n.body : undefined),
    deferred: (n) => (n.type === 'FunctionDeclaration' ? 'declaration'
      : isFunctionLike(n) || n.type === 'StaticBlock' || n.type === 'ClassProperty' || n.type === 'ClassPrivateProperty'
        || n.type === 'ClassAccessorProperty' ? 'other' : undefined),
    isSwitchScope: (n) => n.type === 'SwitchStatement',
    isPattern: (d) => (d.type === 'VariableDeclarator' ? d.id.type !== 'Identifier' : d.type === 'ObjectPattern' || d.type === 'ArrayPattern'),
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
    isWrite: (n) => isWriteReference(n, parentOf),
    canBeClassExpression,
  };

  // ---------------------------------------------------------------- statements

  /** Block-scoped bindings moved (to function level or a loop body's top), and their declaring nodes. */
  const moved = new Set<BBinding>();
  const movedDecls = new Set<BNode>();
  const loopMoves = new Map<BNode, BBinding[]>();
  /** Where a moved binding's declaration ends (`[line, col]`, original source). */
  const declEndOf = (b: BBinding): [number, number] => [b.decl!.loc.end.line, b.decl!.loc.end.column];

  interface BlockCtx { idx: number; names: Capturable[]; guard: boolean }
  const registerScope = (node: BNode, names: Capturable[], declEnds?: ([number, number] | null)[]): number =>
    metaOut.scope(pos(node), names, declEnds);

  /** The `catch` of a block scope: report the names initialised so far (all read guarded in a `switch`). */
  const blockCatch = (b: BlockCtx, initialized: Set<string>): BNode => {
    const stmts: BNode[] = [];
    const values = b.names.map((n) => {
      if (b.guard) return guardedRead(id(n.name), stmts);
      return initialized.has(n.name) ? id(n.name) : rt('U');
    });
    stmts.push(t.expressionStatement(t.callExpression(rt('b'), [id(ERR), id(MOD), t.numericLiteral(b.idx), ...values])));
    return catchClause(stmts);
  };

  /** `let x = init` as `x = init` (`x = void 0` without initialiser). Only identifiers move (hoist-plan.ts). */
  const assignDeclaration = (d: BNode, value?: BNode): BNode =>
    t.assignmentExpression('=', id(d.id.name), value ?? (d.init ? visitExpr(d.init) : t.unaryExpression('void', t.numericLiteral(0))));

  /** `class C {...}` as the expression `class C {...}` (visited). */
  const classExpression = (st: BNode): BNode => {
    const visited = visitNode(st);
    const e = t.classExpression(visited.id, visited.superClass, visited.body, visited.decorators?.length ? visited.decorators : null);
    // Types stay for the TypeScript preset to strip (their key names differ between Babel 7 and 8).
    for (const k of ['typeParameters', 'superTypeParameters', 'superTypeArguments', 'implements']) if (visited[k]) e[k] = visited[k];
    return at(e, st);
  };

  /**
   * A statement list of a scope that declares `names`: declarations stay where they are (their
   * scope, TDZ and hoisting unchanged); the runs of other statements between them go in
   * try/catch clauses that see every name of the scope.
   */
  const processList = (stmts: readonly BNode[], b: BlockCtx | undefined, preInit: string[]): BNode[] => {
    const initialized = new Set(preInit);
    for (const st of stmts) if (st.type === 'FunctionDeclaration' && st.id) initialized.add(st.id.name);
    const out: BNode[] = [];
    let run: BNode[] = [];
    const flush = (): void => {
      if (!run.length) return;
      if (b) out.push(wrap(run, blockCatch(b, new Set(initialized)))); else out.push(...run);
      run = [];
    };
    for (const st of stmts) {
      if (st.type === 'VariableDeclaration' && declarationKind(st) !== 'var' && !st.declare) {
        const kind = declarationKind(st);
        for (const d of st.declarations as BNode[]) {
          if (movedDecls.has(d)) {
            // Declared at function level: here it is an assignment, in the run of statements.
            run.push(at(t.expressionStatement(assignDeclaration(d)), d));
            continue;
          }
          const single = (decl: BNode): BNode => at(t.variableDeclaration(st.kind, [decl]), st);
          if (!b) {
            flush();
            out.push(single(visitNode(d)));
            continue;
          }
          flush();
          const init = d.init;
          // A pattern is not split: its errors name the source expression (`of 'obj.foo'`), which
          // a temporary would replace (and an object rest reads getters differently).
          if (init && kind !== 'using' && d.id.type === 'Identifier' && !cannotThrow(init) && !isAnonymousClass(init)) {
            const tmp = newTemp();
            out.push(letDecl([tmp]));
            out.push(wrap([t.expressionStatement(t.assignmentExpression('=', id(tmp), visitExpr(init)))], blockCatch(b, new Set(initialized))));
            d.init = id(tmp);
            out.push(single(d));
          } else {
            out.push(single(visitNode(d)));
          }
          for (const n of boundNames(d.id)) initialized.add(n);
        }
        continue;
      }
      if (st.type === 'ClassDeclaration' && movedDecls.has(st)) {
        // `class C {}` is `C = class C {}` with C declared at function level (same name, inner binding).
        run.push(at(t.expressionStatement(t.assignmentExpression('=', id(st.id.name), classExpression(st))), st));
        continue;
      }
      if (b && st.type === 'ClassDeclaration' && st.id && !st.declare && canBeClassExpression(st)) {
        // `class C {}` is `let C = class C {}` (same TDZ, mutable outer binding, immutable inner
        // one, same name): evaluate the class expression inside a try so that a static block,
        // static field, computed key or `extends` that throws still reports this scope.
        flush();
        const tmp = newTemp();
        out.push(letDecl([tmp]));
        out.push(wrap([t.expressionStatement(t.assignmentExpression('=', id(tmp), classExpression(st)))], blockCatch(b, new Set(initialized))));
        out.push(letDecl([st.id.name], id(tmp)));
        initialized.add(st.id.name);
        continue;
      }
      const inner = unwrapExport(st);
      if (['ClassDeclaration', 'FunctionDeclaration', 'TSEnumDeclaration', 'TSModuleDeclaration', 'TSInterfaceDeclaration',
        'TSTypeAliasDeclaration', 'TSDeclareFunction'].includes(inner.type) || inner.declare) {
        flush();
        out.push(visitStatement(st));
        if (inner.type === 'ClassDeclaration' && inner.id) initialized.add(inner.id.name);
        continue;
      }
      run.push(visitStatement(st));
    }
    flush();
    return out;
  };

  const blockCtxFor = (node: BNode, guard = false): BlockCtx | undefined => {
    const names = blockNames(info!.scopes.get(node), moved);
    return names ? { idx: registerScope(node, names), names, guard } : undefined;
  };

  const visitBlock = (block: BNode, preInit: string[] = [], ctxNode: BNode = block): BNode => {
    const b = blockCtxFor(ctxNode);
    block.body = processList(block.body, b, preInit);
    return block;
  };

  /**
   * A loop body: the bindings moved to its top are declared there (one binding per iteration,
   * as written), and one catch sees them and the loop head's own bindings that stayed.
   */
  const visitLoopBody = (loop: BNode, stmt: BNode): BNode => {
    const here = loopMoves.get(loop) ?? [];
    const inner = stmt.type === 'BlockStatement' ? visitBlock(stmt) : visitStatement(stmt);
    const head = blockNames(info!.scopes.get(loop), moved) ?? [];
    if (!here.length && !head.length) return inner;
    const names: Capturable[] = [...here.map((b) => ({ name: b.name, kind: b.kind as BindingKind })), ...head];
    const declEnds = here.length ? [...here.map(declEndOf), ...head.map(() => null)] : undefined;
    const ctx: BlockCtx = { idx: registerScope(loop, names, declEnds), names, guard: false };
    const stmts = inner.type === 'BlockStatement' ? inner.body : [inner];
    const declare = here.length ? [letDecl(here.map((b) => b.name))] : [];
    return t.blockStatement([...declare, wrap(stmts, blockCatch(ctx, new Set(names.map((n) => n.name))))]);
  };

  /** A loop head: declarations moved become assignments (`for (x of xs)`). */
  const loopHead = (loop: BNode, init: BNode | null): BNode | null => {
    if (!init || init.type !== 'VariableDeclaration' || !init.declarations.length || !init.declarations.every((d: BNode) => movedDecls.has(d))) {
      return init && visitNode(init);
    }
    if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') return id(init.declarations[0].id.name);
    const assigns = init.declarations.map((d: BNode) => assignDeclaration(d));
    return assigns.length === 1 ? assigns[0] : t.sequenceExpression(assigns);
  };

  const visitStatement = (st: BNode): BNode => {
    switch (st.type) {
      case 'BlockStatement': return visitBlock(st);
      case 'IfStatement':
        st.test = visitExpr(st.test);
        st.consequent = visitStatement(st.consequent);
        if (st.alternate) st.alternate = visitStatement(st.alternate);
        return st;
      case 'ForStatement':
        st.init = loopHead(st, st.init);
        if (st.test) st.test = visitExpr(st.test);
        if (st.update) st.update = visitExpr(st.update);
        st.body = visitLoopBody(st, st.body);
        return st;
      case 'ForOfStatement': case 'ForInStatement':
        st.left = loopHead(st, st.left);
        st.right = visitExpr(st.right);
        st.body = visitLoopBody(st, st.body);
        return st;
      case 'WhileStatement':
        st.test = visitExpr(st.test);
        st.body = visitLoopBody(st, st.body);
        return st;
      case 'DoWhileStatement':
        st.body = visitLoopBody(st, st.body);
        st.test = visitExpr(st.test);
        return st;
      case 'LabeledStatement':
        st.body = visitStatement(st.body);
        return st;
      case 'TryStatement': {
        const c = st.handler;
        if (c && c.param && movedDecls.has(c.param)) {
          // The parameter lives at function level: the clause takes the value under a new name.
          const tmp = newTemp();
          const name = c.param.name;
          visitBlock(c.body, [], c);
          c.body.body.unshift(t.expressionStatement(t.assignmentExpression('=', id(name), id(tmp))));
          c.param = id(tmp);
        } else if (c) {
          if (c.param) visitNode(c.param);
          visitBlock(c.body, c.param ? boundNames(c.param) : [], c);
        }
        st.block = visitBlock(st.block);
        if (st.finalizer) st.finalizer = visitBlock(st.finalizer);
        return st;
      }
      case 'SwitchStatement': {
        st.discriminant = visitExpr(st.discriminant);
        const b = blockCtxFor(st, true);
        for (const c of st.cases as BNode[]) {
          if (c.test) c.test = visitExpr(c.test);
          c.consequent = processList(c.consequent, b, []);
        }
        return st;
      }
      default:
        return visitNode(st);
    }
  };
  const visitExpr = (e: BNode): BNode => visitNode(e);

  // ---------------------------------------------------------------- functions

  const instrumentFunction = (fn: BNode, role: 'boundary' | 'frame'): BNode => {
    const scope: BScope = info!.scopes.get(fn)!;
    const isArrow = fn.type === 'ArrowFunctionExpression';
    const block = fn.body.type === 'BlockStatement';
    const rest: BNode[] = block ? fn.body.body : [at(t.returnStatement(fn.body), fn.body)];
    // Nothing in the body can throw (a constructor with parameter properties only, `() => {}`):
    // an empty try would only make the function bigger.
    if (!rest.length || rest.every((st) => st.type === 'EmptyStatement')) return visitChildrenOnly(fn);

    const hoist = planHoist(hoistSyntax, info!, fn);
    const plan = hoist.fn;
    const allMoved = [...plan, ...[...hoist.loops.values()].flat()];
    for (const b of allMoved) { moved.add(b); movedDecls.add(b.decl!); }
    for (const [loop, list] of hoist.loops) loopMoves.set(loop, list);

    const params = scope.order.filter((n) => scope.bindings.get(n)!.kind === 'param');
    const topFns = rest.filter((st) => st.type === 'FunctionDeclaration' && st.id);
    const staying = new Set(lexicalDeclarations(rest, true)
      .filter((d) => d.kind !== 'function' && d.kind !== 'enum' && !movedDecls.has(d.decl)).map((d) => d.name));
    const seen = new Map<string, number>();
    for (const fd of topFns) seen.set(fd.id.name, (seen.get(fd.id.name) ?? 0) + 1);
    const stayingFns = stayingFunctions(topFns.map((fd) => ({ name: fd.id.name as string, node: fd })), staying,
      (fd, names) => { let hit = false; walk(fd, keys, (n) => { if (hit) return false; if (n.type === 'Identifier' && names.has(n.name)) hit = true; return undefined; }); return hit; });
    const hoisted: BNode[] = [];
    for (const fd of topFns) {
      if (!stayingFns.has(fd)) { hoisted.push(fd); continue; }
      const n = fd.id.name;
      if (params.includes(n) || rest.some((st) => declaresVar(st, n)) || n === 'arguments' || seen.get(n)! > 1) {
        for (const b of allMoved) { moved.delete(b); movedDecls.delete(b.decl!); }
        for (const loop of hoist.loops.keys()) loopMoves.delete(loop);
        return visitChildrenOnly(fn);
      }
    }
    const fnVarNames = frameNames(scope, plan, hoisted.map((h) => h.id.name));
    const closure = closureOf(scope);
    const hasThis = !isArrow || scope.usesThis;
    const clsBody = parentOf.get(fn);
    const cls = clsBody?.type === 'ClassBody' ? parentOf.get(clsBody) : undefined;
    const derivedCtor = fn.type === 'ClassMethod' && fn.kind === 'constructor' && !!cls?.superClass;
    const inArrowOfCtor = isArrow && scope.usesThis;

    const again = retryable(role, fn.type === 'ClassMethod' && fn.kind === 'constructor', !!fn.generator);
    const outerFn = metaOut.begin({
      name: displayName(fn), ...{ line: pos(fn).line, col: pos(fn).col }, endLine: fn.loc.end.line, endCol: fn.loc.end.column,
      closure: closure.map((c) => c.name), boundary: role === 'boundary', hasThis, retry: again,
    }, fnVarNames, (name) => { const b = plan.find((m) => m.name === name); return b && declEndOf(b); });
    const fnIdx = metaOut.current;

    // Top level of the body: the bindings that could not move stay in the try block, captured by
    // its segments.
    const topNames = topLevelNames(scope, moved);
    const topCtx: BlockCtx | undefined = topNames.length ? { idx: registerScope(fn, topNames), names: topNames, guard: false } : undefined;
    const hoistedSet = new Set(hoisted);
    const inner = processList(rest.filter((st) => !hoistedSet.has(st)), topCtx, []);
    // The moved bindings, declared first, uninitialised (`let x;`).
    const declareMoved: BNode[] = plan.length ? [letDecl(plan.map((b) => b.name))] : [];

    const catchBody: BNode[] = [];
    let thisExpr: BNode = t.unaryExpression('void', t.numericLiteral(0));
    if (hasThis) thisExpr = derivedCtor || inArrowOfCtor ? guardedRead(t.thisExpression(), catchBody) : t.thisExpression();
    // Parameters have a TDZ too while the parameter list runs (a closure in a default).
    const closureValues = closure.map((b) => (closureReadMayThrow(b) ? guardedRead(id(b.name), catchBody) : id(b.name)));
    // Values as arguments (bindings, then closure variables): fewer bytes of bytecode than arrays.
    const entry = catchEntry(role, fn.type === 'ClassMethod' && fn.kind === 'constructor');
    const record = t.callExpression(rt(entry), [
      id(ERR), id(MOD), t.numericLiteral(fnIdx), thisExpr, ...fnVarNames.map((v) => id(v.name)), ...closureValues,
    ]);
    const returnValue = t.returnStatement(t.callExpression(rt('r'), []));
    // `B`: the session may end with `return expr` (1: return that value instead of throwing) or,
    // for a retryable boundary, `retry` (2: run the body again).
    if (again) {
      catchBody.push(t.switchStatement(record, [
        t.switchCase(t.numericLiteral(1), [returnValue]),
        t.switchCase(t.numericLiteral(2), [t.continueStatement()]),
      ]));
    } else {
      catchBody.push(entry === 'B' ? t.ifStatement(record, returnValue) : t.expressionStatement(record));
    }
    const directives = block ? fn.body.directives ?? [] : [];
    const newBody = t.blockStatement([
      ...hoisted.map((h) => visitNode(h)),
      ...declareMoved,
      again
        ? t.forStatement(null, null, null, t.blockStatement([wrap(endsWithExit(inner) ? inner : [...inner, t.returnStatement(null)], catchClause(catchBody, true))]))
        : wrap(inner, catchClause(catchBody, true)),
    ], directives);
    if (block) at(newBody, fn.body);
    metaOut.end(outerFn);

    visitParams(fn);
    if (fn.computed && fn.key) fn.key = visitExpr(fn.key);
    for (const d of fn.decorators ?? []) visitNode(d);
    fn.body = newBody;
    if (isArrow) fn.expression = false;
    return fn;
  };

  const visitParams = (fn: BNode): void => {
    fn.params = (fn.params as BNode[]).map((p) => visitNode(p));
  };

  /** A function left uninstrumented: visit its children (nested functions). */
  const visitChildrenOnly = (node: BNode): BNode => visitChildren(node);

  // Marked mode: a member of a list (statements, class members, object properties) holding no
  // `@debuggable` comment (its leading comments count) and no marked method cannot change.
  const hot = options.instrument === 'marked'
    ? new Hotspots(ctx.code, [...boundaries].map((fn) => fn.start as number)
      .concat(breakpointOffsets(ctx.code, { breakpoint: breakpointNames, debuggerNs }))) : undefined;
  const cold = (n: BNode): boolean => !!hot && typeof n.start === 'number' && (t.isStatement(n) || LIST_MEMBERS.has(n.type))
    && !hot.within(Math.min(n.start, n.leadingComments?.[0]?.start ?? n.start), n.end);
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

  /** True for `breakpoint(...)` or `Debugger.setTrace(...)` whose name is ts-pdb's import (not shadowed). */
  const isBreakpointCall = (call: BNode): boolean => {
    const c = call.callee;
    if (c.type === 'Identifier') return breakpointNames.has(c.name) && info!.refBinding.get(c)?.kind === 'import';
    return c.type === 'MemberExpression' && !c.computed && c.object.type === 'Identifier' && c.property.type === 'Identifier'
      && c.property.name === SET_TRACE_MEMBER && debuggerNs.has(c.object.name) && info!.refBinding.get(c.object)?.kind === 'import';
  };

  /**
   * `breakpoint(args)` → `__tsPdb.settings.enabled ? __tsPdb.bp(M, site, this, args[0], () => [..], [..]) : (args, void 0)`
   * (core/breakpoints.ts): the arguments are evaluated either way, as the call would.
   */
  const breakpointCall = (call: BNode): BNode => {
    const args: BNode[] = call.arguments.map((a: BNode) => visitNode(a));
    let scope: BScope | undefined;
    let around: BNode | undefined;
    for (let p: BNode | undefined = parentOf.get(call); p; p = parentOf.get(p)) {
      scope ??= info!.scopes.get(p);
      if (isFunctionLike(p)) { around = p; break; }
    }
    scope ??= info!.module;
    const start = call.start as number;
    const { own, outer } = siteBindings(scope, (b) => !!b.decl && (b.decl.end as number) <= start);
    const end = posAt(ctx.code.length);
    const fnRange = around
      ? { name: displayName(around), line: pos(around).line, col: pos(around).col, endLine: around.loc.end.line, endCol: around.loc.end.column,
        hasThis: around.type !== 'ArrowFunctionExpression' }
      : { name: '<module>', line: 1, col: 0, endLine: end.line, endCol: end.col, hasThis: false };
    const site = metaOut.site(fnRange, own.map((b) => ({ name: b.name, kind: b.kind })), outer.map((b) => ({ name: b.name, kind: b.kind })));
    const all = [...own, ...outer];
    const cls = around ? parentOf.get(parentOf.get(around) ?? around) : undefined;
    const derivedCtor = around?.type === 'ClassMethod' && around.kind === 'constructor' && !!cls?.superClass;
    const thisExpr = around && !derivedCtor ? t.thisExpression() : t.unaryExpression('void', t.numericLiteral(0));
    // Values, not closures (a closure would keep the bindings in the function's context on every
    // pass); what the session changed comes back in __tsPdb.w and is assigned here.
    const stop = t.callExpression(rt('bp'), [id(MOD), t.numericLiteral(site), thisExpr, args[0] ?? t.unaryExpression('void', t.numericLiteral(0)),
      t.arrayExpression(all.map((b) => id(b.name)))]);
    const writes = all.flatMap((b, i) => (b.writable
      ? [t.assignmentExpression('=', id(b.name), t.memberExpression(rt('w'), t.numericLiteral(i), true))] : []));
    const live = writes.length
      ? t.sequenceExpression([t.logicalExpression('&&', stop, t.sequenceExpression(writes)), t.unaryExpression('void', t.numericLiteral(0))])
      : t.sequenceExpression([stop, t.unaryExpression('void', t.numericLiteral(0))]);
    // Babel's later plugins change nodes in place: each branch gets its own copy of the arguments.
    const off = args.length ? t.sequenceExpression([...args.map((a) => t.cloneNode(a, true)), t.unaryExpression('void', t.numericLiteral(0))])
      : t.unaryExpression('void', t.numericLiteral(0));
    return at(t.conditionalExpression(t.memberExpression(rt('settings'), id('enabled')), live, off), call);
  };

  const visitNode = (node: BNode): BNode => {
    if (node.type === 'CallExpression' && isBreakpointCall(node)) return breakpointCall(node);
    if (isFunctionLike(node)) {
      const role = shouldInstrument(node);
      if (role) return instrumentFunction(node, role);
      return visitChildren(node);
    }
    // Statements of an instrumented function are reached through visitStatement; elsewhere
    // (module level, class static blocks, uninstrumented functions) only nested functions change.
    return visitChildren(node);
  };

  /** True when `st` (or a statement nested in it, outside nested functions) declares `var name`. */
  const declaresVar = (st: BNode, name: string): boolean => {
    let found = false;
    walk(st, keys, (n) => {
      if (found || isFunctionLike(n) || n.type === 'ClassDeclaration' || n.type === 'ClassExpression') return false;
      if (n.type === 'VariableDeclaration' && n.kind === 'var') {
        for (const d of n.declarations) if (boundNames(d.id).includes(name)) found = true;
      }
      return undefined;
    });
    return found;
  };

  if (options.enabled) program.body = body.map((st) => (cold(st) ? st : visitNode(st)));

  // Marker imports go when nothing else uses them (so a build-off program never loads ts-pdb).
  let changed = removedDecorators > 0;
  if (removedDecorators) {
    const stillUsed = new Set<string>();
    walk(program, keys, (n) => {
      if (n.type === 'ImportDeclaration') return false;
      if (n.type === 'Identifier') stillUsed.add(n.name);
      return undefined;
    });
    program.body = (program.body as BNode[]).flatMap((st) => {
      if (!markerImports.has(st)) return [st];
      const keep = st.specifiers.filter((sp: BNode) => stillUsed.has(sp.local.name)
        || !(decorator.has(sp.local.name) || debuggerNs.has(sp.local.name)));
      if (keep.length === st.specifiers.length) return [st];
      if (!keep.length) return [];
      st.specifiers = keep;
      return [st];
    });
  }
  if (!metaOut.fns.length) return changed;
  changed = true;

  // Module prologue: the capture import and the module descriptor (Babel keeps directives apart).
  const meta = metaOut.meta();
  const getters: BNode[] = [];
  for (const name of info!.module.order) {
    const b = info!.module.bindings.get(name)!;
    if (name === NS || name === MOD) continue;
    const ref = info!.firstRef.get(b);
    if (b.kind === 'import' && (!ref || decorator.has(name) || debuggerNs.has(name))) continue;
    getters.push(t.objectMethod('get', id(name), [], t.blockStatement([t.returnStatement(id(name))])));
    // A setter only where the program itself assigns the binding: an assignment that V8 can see
    // would make it treat a constant-like binding as mutable (and slower) everywhere.
    const written = b.refs.some((r) => isWriteReference(r.id, parentOf));
    if ((b.kind === 'let' || b.kind === 'var') && written) {
      const v = unique('__tsPdbV');
      getters.push(t.objectMethod('set', id(name), [id(v)], t.blockStatement([t.expressionStatement(t.assignmentExpression('=', id(name), id(v)))])));
    }
  }
  // CommonJS: the module wrapper's own names (`require` is given by the session itself, from the
  // module's file: a getter returning `require` makes bundlers warn about a dynamic require).
  if (ctx.commonJs) {
    for (const name of ['module', 'exports', '__filename', '__dirname']) {
      if (info!.module.bindings.has(name)) continue;
      getters.push(t.objectMethod('get', id(name), [], t.blockStatement([t.returnStatement(id(name))])));
    }
  }
  const desc = t.objectExpression([
    t.objectProperty(id('file'), t.stringLiteral(ctx.filename)),
    t.objectProperty(id('g'), t.objectExpression(getters)),
    t.objectProperty(id('meta'), t.stringLiteral(JSON.stringify(meta))),
  ]);
  // A script (CommonJS source) gets a plain `require` (`module.require` when the program declares
  // its own `require`); a module gets an `import`, which a CommonJS plugin after us rewrites.
  const script = program.sourceType !== 'module';
  const requireFn = info!.module.bindings.has('require') ? t.memberExpression(id('module'), id('require')) : id('require');
  const importRuntime = script
    ? t.variableDeclaration('var', [t.variableDeclarator(id(NS), t.callExpression(requireFn, [t.stringLiteral(options.runtimeModule)]))])
    : t.importDeclaration([t.importNamespaceSpecifier(id(NS))], t.stringLiteral(options.runtimeModule));
  const descriptor = t.variableDeclaration('var', [t.variableDeclarator(id(MOD), t.callExpression(rt('m'), [desc]))]);
  program.body = [importRuntime, descriptor, ...program.body];
  return changed;
}
