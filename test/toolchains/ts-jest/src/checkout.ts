// Row "ts-jest" of the tool-chain matrix: the code under test, instrumented by ts-jest through
// `astTransformers` (jest.config.js). test/toolchains.test.mjs runs `jest` on this project.
import { attachOnError } from 'ts-pdb';

export interface Item {
  name: string;
  price: number;
  qty: number;
}

// @debuggable
export function checkout(items: Item[], budget: number) {
  const total = items.reduce((sum, item) => sum + item.price * item.qty, 0);
  const over = total - budget;
  if (over > 0) throw new RangeError(`over budget by ${over} (ts-jest)`);
  return total;
}

export class Shop {
  @attachOnError()
  pay(budget: number) {
    const basket: Item[] = [{ name: 'tea', price: 4, qty: 3 }];
    return checkout(basket, budget);
  }
}
