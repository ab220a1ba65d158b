/**
 * The statements of an instrumented function whose parts the core decides on, and how it visits
 * each part (emit-statements.ts `visitStatement`). An adapter's statement table maps its node kinds
 * to these and names the parts in this order; it decides nothing.
 */

/** How the core visits a part of a statement: as any node, as a statement, or as what it decides on. */
export type PartRole = 'expr' | 'stmt' | 'head' | 'loop' | 'block' | 'catch';

/**
 * The statements of an instrumented function whose parts the core decides on (loop heads and
 * bodies, blocks, catch clauses), and how each part is visited, in this order (a `try`'s catch
 * clause first: the order its scopes are recorded in the metadata).
 */
export const STATEMENT_PARTS = {
  if: ['expr', 'stmt', 'stmt'], // test, then, else
  for: ['head', 'expr', 'expr', 'loop'], // init, test, update, body
  forInOf: ['head', 'expr', 'loop'], // left, right, body
  while: ['expr', 'loop'], // test, body
  doWhile: ['loop', 'expr'], // body, test
  labeled: ['stmt'], // body
  try: ['catch', 'block', 'block'], // catch clause, block, finally block
} as const satisfies Record<string, readonly PartRole[]>;
/** A statement kind of {@link STATEMENT_PARTS}. */
export type StatementKind = keyof typeof STATEMENT_PARTS;
