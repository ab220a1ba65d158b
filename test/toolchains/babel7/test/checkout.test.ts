// Fails on purpose: checkout throws, ts-pdb reports the frames and their locals (or opens a
// session on a terminal with IPDB_DEBUG=1), and the test fails with the original RangeError.
// (Jest's globals: Babel strips types without checking them.)
import { Shop } from '../src/checkout';

test('the shop pays within its budget', () => {
  expect(new Shop().pay(10)).toBe(12);
});
