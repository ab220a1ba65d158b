// Row "ts-loader" of the tool-chain matrix: webpack + ts-loader with the transformer from
// `getCustomTransformers` (webpack.config.js), target node. test/toolchains.test.mjs builds and runs it.
import { attachOnError } from 'ts-pdb';

interface Item {
  name: string;
  price: number;
  qty: number;
}

// @debuggable
function checkout(items: Item[], budget: number) {
  const total = items.reduce((sum, item) => sum + item.price * item.qty, 0);
  const over = total - budget;
  if (over > 0) throw new RangeError(`over budget by ${over} (ts-loader)`);
  return total;
}

class Shop {
  @attachOnError()
  pay(budget: number) {
    const basket: Item[] = [{ name: 'tea', price: 4, qty: 3 }];
    return checkout(basket, budget);
  }
}

console.log('paid', new Shop().pay(10));
