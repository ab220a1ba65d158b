// The second test fails on purpose: the order wants 20 nuts and the shelf has 12, so reserve()
// throws. With IPDB_DEBUG=1 ts-pdb opens a session inside the test at the throw (on a terminal) or
// prints the frames and their locals (no terminal, CI); then the test fails with the original error,
// as it would without it. The first test passes, as it would without it.
import { expect, test } from 'vitest';
import { reserve } from '../src/stock';

const shelf = () =>
  new Map([
    ['bolt', 40],
    ['nut', 12],
  ]);

test('what is left after an order', () => {
  expect(reserve(shelf(), [{ sku: 'bolt', qty: 10 }]).get('bolt')).toBe(30);
});

test('an order for every nut on the shelf', () => {
  const left = reserve(shelf(), [
    { sku: 'bolt', qty: 10 },
    { sku: 'nut', qty: 20 },
  ]);
  expect(left.get('nut')).toBe(0);
});
