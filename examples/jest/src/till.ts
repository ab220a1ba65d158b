// The code under test. ts-jest compiles it with the ts-pdb transformer (jest.config.js), so the
// marked functions below hand over their locals when an error leaves them.
import { attachOnError } from 'ts-pdb';

export interface Item {
  sku: string;
  qty: number;
}

export interface Order {
  id: string;
  items: Item[];
}

// @debuggable
export function orderTotal(order: Order, prices: Record<string, number>) {
  let total = 0;
  for (const item of order.items) {
    const price = prices[item.sku];
    if (price === undefined) throw new Error(`no price for ${item.sku} in order ${order.id}`);
    total += price * item.qty;
  }
  return total;
}

export class Till {
  constructor(private readonly prices: Record<string, number>) {}

  @attachOnError()
  checkout(order: Order) {
    const total = orderTotal(order, this.prices);
    return { id: order.id, total };
  }
}
