// Row "babel8" of the tool-chain matrix: Babel 8 with the ts-pdb/babel plugin (babel.config.json).
// `@babel/cli` builds src/ into dist/ (run as `node dist/app.js`), and babel-jest transforms it for
// the test in test/. test/toolchains.test.mjs does both.
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
  if (over > 0) throw new RangeError(`over budget by ${over} (babel8)`);
  return total;
}

export class Shop {
  @attachOnError()
  pay(budget: number) {
    const basket: Item[] = [{ name: 'tea', price: 4, qty: 3 }];
    return checkout(basket, budget);
  }
}
