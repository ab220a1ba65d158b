// Fails on purpose: the price list has no "scone", so orderTotal throws. With IPDB_DEBUG=1, ts-pdb
// opens a session inside the test at the throw (on a terminal) or prints the frames and their
// locals (no terminal, CI); then the test fails with the original error, as it would without it.
import { expect, test } from '@jest/globals';
import { Till } from '../src/till';

test('the till totals an order', () => {
  const till = new Till({ tea: 4, cake: 3 });
  const order = { id: 'A-17', items: [{ sku: 'tea', qty: 2 }, { sku: 'scone', qty: 1 }] };
  expect(till.checkout(order)).toEqual({ id: 'A-17', total: 11 });
});
