/**
 * The node builders the core asks an adapter for (as hoist planning asks its syntax questions,
 * `HoistSyntax`): the core decides what to write (templates.ts and the emit-* files), each adapter
 * builds it with its own factory (`ts.factory`, `@babel/types`). Nodes are opaque (`N`).
 *
 * Only what the generated code needs is here; every method builds a new node (or, for `at` and
 * `copy`, gives one back) and reads nothing of the program.
 */

/** Builds the nodes of generated code. */
export interface Emitter<N> {
  /** An identifier `name`. */
  id(name: string): N;
  /**
   * An identifier `name` that stands for a reference of the program (`ref`): a later pass that
   * renames the binding (TypeScript's CommonJS emit: `fs_1.readFile`, `exports.x`) renames it too.
   */
  refId(name: string, ref: N | undefined): N;
  /** `object.name`. */
  member(object: N, name: string): N;
  /** `object[index]`. */
  index(object: N, index: number): N;
  num(value: number): N;
  str(value: string): N;
  /** `void 0`. */
  voidZero(): N;
  /** `this`. */
  this(): N;
  call(callee: N, args: N[]): N;
  /** `target = value`. */
  assign(target: N, value: N): N;
  /** `a, b, c` as one list (a comma list). */
  seq(list: N[]): N;
  /** `a, b, c` as written in a `for` head (a chain of commas; one item is itself). */
  comma(list: N[]): N;
  /** `a && b`. */
  and(a: N, b: N): N;
  /** `test ? then : otherwise`. */
  cond(test: N, then: N, otherwise: N): N;
  /** `(e)` where the adapter's printer needs it said (TypeScript); others answer `e`. */
  paren(e: N): N;
  /** `[...items]`. */
  array(items: N[]): N;
  /** `{ ...props }` (props from `prop`, `getter`, `setter`). */
  object(props: N[]): N;
  /** `name: value` in an object literal. */
  prop(name: string, value: N): N;
  /** `get name() { return read; }`. */
  getter(name: string, read: N): N;
  /** `set name(param) { target = param; }`. */
  setter(name: string, param: string, target: N): N;

  /** `e;`. */
  exprStmt(e: N): N;
  /** `let a, b;` (or `let a = init;` for one name). */
  letDecl(names: string[], init?: N): N;
  /** `var name = init;`. */
  varDecl(name: string, init: N): N;
  /** `import * as name from "module";`. */
  importNamespace(name: string, module: string): N;
  /** `{ ...stmts }` as a statement (printed on several lines). */
  block(stmts: N[]): N;
  /**
   * `try { ...stmts } <handler>`.
   * @param compact print the block on one line where the printer decides (TypeScript)
   */
  tryCatch(stmts: N[], handler: N, compact?: boolean): N;
  /** `catch (param) { ...stmts }`; no parameter when `param` is undefined. */
  catchClause(param: string | undefined, stmts: N[], compact?: boolean): N;
  /** The parameter node of a `catch` clause named `name` (TypeScript: a declaration; Babel: an identifier). */
  catchParam(name: string): N;
  /** `throw e;`, with a trailing line comment when `comment` is given. */
  throw(e: N, comment?: string): N;
  /** `return e;` (`return;` without). */
  return(e?: N): N;
  /** `if (test) then`. */
  if(test: N, then: N): N;
  /** `switch (discriminant) { case test: ...stmts }`. */
  switch(discriminant: N, cases: [test: N, stmts: N[]][]): N;
  /** `for (;;) { ...stmts }`. */
  forEver(stmts: N[]): N;
  /** `continue;`. */
  continue(): N;

  /** `node`, given the source range of `from` (so that source maps lead there). */
  at<T extends N>(node: T, from: N): T;
  /** A node to use a second time in the output (Babel's later plugins change nodes in place: a deep copy). */
  copy(node: N): N;
}
