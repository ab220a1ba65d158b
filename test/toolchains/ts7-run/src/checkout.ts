// Row "ts7-run" of the tool-chain matrix: TypeScript 7 type-checks (`tsc --noEmit`), and
// `ts-pdb run src/app.ts` runs it with no build step, compiled by this project's Babel.
// test/toolchains.test.mjs does both.
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
  if (over > 0) throw new RangeError(`over budget by ${over} (ts7-run)`);
  return total;
}

export class Shop {
  @attachOnError()
  pay(budget: number) {
    const basket: Item[] = [{ name: 'tea', price: 4, qty: 3 }];
    return checkout(basket, budget);
  }
}
