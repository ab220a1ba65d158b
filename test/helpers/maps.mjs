// Shared by the source-map tests of both adapters: a small program whose throw line is known, and
// the original line of a piece of generated code.
import assert from 'node:assert/strict';
import { originalPositionFor } from '@jridgewell/trace-mapping';

/** `cases.broken()` throws a TypeError at line 6 (`item.qty!.n` of an item without qty). */
export const TOTAL_SOURCE = `interface Item { price: number; qty?: { n: number } }

export function total(items: Item[]) {
  let sum = 0;
  for (const item of items) {
    const line = item.price * item.qty!.n;
    sum += line;
  }
  return sum;
}

export const cases = { broken: () => total([{ price: 2, qty: { n: 1 } }, { price: 3 }]) };
`;

/** The original line of the first generated occurrence of `needle` (a TraceMap `map` of `code`). */
export function originalLineOf(map, code, needle) {
  const idx = code.indexOf(needle);
  assert.ok(idx >= 0, `generated code contains ${needle}`);
  const before = code.slice(0, idx).split('\n');
  return originalPositionFor(map, { line: before.length, column: before.at(-1).length }).line;
}
