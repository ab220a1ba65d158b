/**
 * TypeScript's module object with its functions and enums as plain properties. TypeScript's
 * CommonJS bundle exports every name through a getter (two, through `module.exports`), and the
 * adapter reads `ts.isIdentifier`, `ts.SyntaxKind.X`, ... for every node of a file: the getters
 * cost more than the checks. Reads the module's exports once per module; touches nothing.
 */
import type * as TS from 'typescript';

/** Exported objects that never change (enums): copied like the functions. */
const ENUMS = ['SyntaxKind', 'NodeFlags', 'ModuleKind', 'ScriptTarget', 'ModifierFlags', 'EmitFlags'];

const snapshots = new WeakMap<object, typeof TS>();

/**
 * The TypeScript module `ts` with its node tests and helpers (`isX`, `getX`, `setX`, `canX`,
 * `forEachChild`, `visitEachChild`, ...) and enums copied onto an object whose prototype is `ts`
 * itself (anything else, `ts.sys` for one, is still read live through it).
 * One per module object (cached).
 */
export function plainTs(ts: typeof TS): typeof TS {
  let plain = snapshots.get(ts);
  if (plain) return plain;
  const out = Object.create(ts) as Record<string, unknown>;
  for (const key in ts) {
    // The names the adapter asks per node (reading every export would run ~2,500 getters).
    if (!ENUMS.includes(key) && !/^(is|get|set|can|forEach|visit)[A-Z]/.test(key)) continue;
    const value = (ts as unknown as Record<string, unknown>)[key];
    // Defined, not assigned: an assignment would reach the prototype's getter-only property.
    if (ENUMS.includes(key) ? value !== null && typeof value === 'object' : typeof value === 'function')
      Object.defineProperty(out, key, { value, enumerable: true, writable: false, configurable: false });
  }
  plain = out as unknown as typeof TS;
  snapshots.set(ts, plain);
  return plain;
}
