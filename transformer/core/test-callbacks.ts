/**
 * With `instrument: "all"` and the option `testBoundaries` (the Vite plugin's, for Vitest): the
 * functions a test file gives its test runner are debug boundaries, so that a test that fails
 * through any instrumented function opens the session when the error leaves the test, as an error
 * nobody catches does under `ts-pdb run`. Marked functions on the way still open it first (once per
 * error). Which calls count is decided here, from the syntax alone (the names Vitest and Jest give
 * them, as globals or imports): `test(...)`, `it(...)`, their modifiers (`test.only(...)`,
 * `it.concurrent(...)`, ...) and tables (`test.each(table)(...)`), and the hooks `beforeEach`,
 * `afterEach`, `beforeAll`, `afterAll`.
 * `describe` is not: its function runs while the tests are collected, not as a test.
 */
import type { EmitSyntax } from './emit-syntax';
import type { ResolvedOptions } from './options';

/** Calls whose function arguments are tests, and the hooks around them. */
const TEST_CALLS = new Set(['test', 'it', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll']);
/** Objects whose every method takes a test (`test.only`, `it.skip`, `test.concurrent`, ...). */
const TEST_OBJECTS = new Set(['test', 'it']);

/**
 * The functions given directly to a test or hook call in the file (empty unless `instrument: "all"`
 * with `testBoundaries`).
 */
export function findTestCallbacks<N>(sx: EmitSyntax<N>, root: N, options: ResolvedOptions): Set<N> {
  const found = new Set<N>();
  if (options.instrument !== 'all' || !options.testBoundaries) return found;
  const isTestCall = (call: N): boolean => {
    const c = sx.callee(call);
    if (c) return 'name' in c ? TEST_CALLS.has(c.name) : TEST_OBJECTS.has(c.object);
    // `test.each(table)(name, fn)`, `it.for(cases)(name, fn)`: a call of what a test's method returned.
    const inner = sx.calleeCall(call);
    const ic = inner === undefined ? undefined : sx.callee(inner);
    return ic !== undefined && 'object' in ic && TEST_OBJECTS.has(ic.object);
  };
  const visit = (n: N): void => {
    if (sx.isCall(n) && isTestCall(n)) {
      for (const arg of sx.callArgs(n)) if (sx.isFunction(arg)) found.add(arg);
    }
    sx.forEachChild(n, visit);
  };
  visit(root);
  return found;
}
