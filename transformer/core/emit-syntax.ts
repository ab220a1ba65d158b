/**
 * The questions the emission asks of an adapter's AST, and the few rebuilds only the adapter can
 * do (TypeScript's nodes are immutable and updated through its factory, Babel's are changed in
 * place): the counterpart of `HoistSyntax` (hoist-plan.ts) for emission. Each answer reads one node
 * or its parents; what to do with the answer is decided in the core (emit-*.ts).
 */
import type { DeclarationSyntax } from './declarations';
import type { NameSyntax } from './display-name';
import type { CalleeShape, CommentMarker } from './markers';
import type { StatementKind } from './statement-parts';

/** What the catch of a function needs to know of its syntax. */
export interface FunctionShape {
  isArrow: boolean;
  isConstructor: boolean;
  /** A constructor of a class with `extends` (`this` throws before `super()`). */
  derivedConstructor: boolean;
  generator: boolean;
}

/** A position in the original source: 1-based line, 0-based column. */
export interface LineCol {
  line: number;
  col: number;
}

/** The adapter's side of the emission (the declaring rules' questions included). */
export interface EmitSyntax<N> extends DeclarationSyntax<N>, NameSyntax<N> {
  // ------------------------------------------------------------ visiting (the adapter's walk)
  /** Visits any node with the adapter's visitor (nested functions, breakpoints, marker removal). */
  visit(n: N): N | undefined;
  /** Visits a `switch` of an instrumented function: its discriminant, and its clauses through emit-statements.ts `caseClauses`. */
  visitSwitch(st: N): N;
  /** A function left as written: only its children are visited. */
  visitChildren(fn: N): N;

  // ------------------------------------------------------------ reading
  /** True for the nodes the scope analysis treats as functions. */
  isFunction(n: N): boolean;
  /** Calls `each` on the children of `n` until it answers true; answers whether one did. */
  someChild(n: N, each: (child: N) => boolean): boolean;
  /** Where a node starts, as the metadata reports it (an exported declaration: at `export`). */
  pos(n: N): LineCol;
  /** Where a node ends. */
  endPos(n: N): LineCol;
  /** Where the file ends. */
  fileEnd(): LineCol;
  /** The offset a node's first token starts at. */
  startOffset(n: N): number;
  /** Where a declaration ends, `[line, col]`: before it, an `undefined` binding is uninitialised. */
  declEnd(decl: N): [number, number];

  /** True for a block statement. */
  isBlock(n: N): boolean;
  isSwitch(st: N): boolean;
  /** A statement of emit-statements.ts `STATEMENT_PARTS`: its kind and its parts in that order (undefined where absent). */
  statementParts(st: N): { kind: StatementKind; parts: (N | undefined)[] } | undefined;
  /** `st` with its parts (as `statementParts` listed them) replaced. */
  withParts(st: N, parts: (N | undefined)[]): N;
  /** A `switch` clause with a new test and statements. */
  withClause(clause: N, test: N | undefined, stmts: N[]): N;
  /** `block` with `stmts` as its statements. */
  withStatements(block: N, stmts: N[]): N;
  isEmptyStatement(st: N): boolean;
  /** The declarator's name when it is an identifier (not a pattern). */
  declaratorName(d: N): string | undefined;
  declaratorInit(d: N): N | undefined;
  /** A declaration statement of the kind of `st` holding the one declarator `d` (its range is `st`'s). */
  singleDeclaration(st: N, d: N): N;
  /** The declarator `d` with the initialiser `init`. */
  withInit(d: N, init: N): N;
  /** `class C {...}` as the expression `class C {...}` (visited). */
  classExpression(st: N): N;
  /** True for a `return` or `throw` statement (a body ending with one needs no `return;` of its own). */
  leaves(st: N): boolean;
  /** A statement that declares only a type (an interface, a type alias, an overload signature): it stays in place, out of the try segments. */
  isTypeDeclaration(st: N): boolean;
  /** The declarators of a loop head that declares variables (`for (let i ...)`), or undefined. */
  loopHeadDeclarators(init: N): readonly N[] | undefined;
  /** True for a `for...in` / `for...of` statement. */
  isForInOf(loop: N): boolean;
  /** The catch clause `c` with a new parameter and block. */
  withCatch(c: N, param: N | undefined, block: N): N;

  /** A function's body as statements (a concise arrow's expression as `return`). */
  functionBody(fn: N): readonly N[];
  /** True for a directive statement (`'use strict'`) in a statement list (Babel keeps directives apart: none). */
  isDirective(st: N): boolean;
  /** The node that holds the function's code (its block, or a concise arrow's expression). */
  bodyNode(fn: N): N;
  /** The function with `stmts` as its body (after `directives`), its parameters and the rest visited. */
  rebuildFunction(fn: N, directives: N[], stmts: N[]): N;
  functionShape(fn: N): FunctionShape;
  /** False for a function that has no code to instrument (`declare`, `abstract`, no body). */
  hasCode(fn: N): boolean;
  /** The marker of the comments written before `n` (its leading comments). */
  commentMarker(n: N): CommentMarker;
  /**
   * Whether a parent of a function can hold the function's marker comment: `'through'` (look at
   * its parent too), `'last'` (it is the statement or member that holds it), undefined (no).
   */
  commentHolder(p: N): 'through' | 'last' | undefined;

  /** A top-level import declaration's module and its named imports (none: TypeScript counts only named imports as markers). */
  importOf(st: N): { module: string; named?: { imported: string; local: string }[] } | undefined;
  /** The local names an import declaration of ts-pdb binds (those a pruning may remove). */
  importLocals(decl: N): string[];
  /** The import declaration with only the `keep` local names (undefined: it goes). */
  withImportLocals(decl: N, keep: string[]): N | undefined;
  /** The decorators on a node. */
  decorators(n: N): readonly N[];
  /** A decorator's call (`@name(...)`), or undefined. */
  decoratorCall(d: N): N | undefined;
  /** The range of a statement, class member or object member (its leading comments included), or undefined for other nodes. */
  memberRange(n: N): [number, number] | undefined;

  /** True for a `with` statement. */
  isWith(n: N): boolean;
  /** True for a direct `eval(...)` call (through parentheses and type assertions). */
  isDirectEval(n: N): boolean;
  /** The name of an identifier node, or undefined. */
  identifierName(n: N): string | undefined;

  /** True for a call expression (`f(...)`, `a.b(...)`; not `new`, not a tagged template). */
  isCall(n: N): boolean;
  /** A call's callee when it has a shape markers can have. */
  callee(call: N): CalleeShape<N> | undefined;
  /** A call's callee when that is a call itself (`each(table)` of `test.each(table)(name, fn)`). */
  calleeCall(call: N): N | undefined;
  /** A call's arguments. */
  callArgs(call: N): readonly N[];
}
