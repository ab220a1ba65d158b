// Object-heavy code: building and reading objects, array methods with arrow callbacks,
// destructuring, spreads; the shape of business logic and data munging.

export interface Order { id: number; customer: string; items: { sku: string; qty: number; price: number }[]; country: string }

const COUNTRIES = ['FR', 'DE', 'US', 'JP', 'BR'];
const CUSTOMERS = ['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus'];

export function makeOrders(n: number): Order[] {
  const orders: Order[] = [];
  for (let i = 0; i < n; i++) {
    const count = 1 + (i % 4);
    const items = Array.from({ length: count }, (_, k) => ({ sku: `S${(i + k) % 13}`, qty: 1 + ((i * k) % 5), price: 3 + ((i + 2 * k) % 17) }));
    orders.push({ id: i, customer: CUSTOMERS[i % CUSTOMERS.length], items, country: COUNTRIES[i % COUNTRIES.length] });
  }
  return orders;
}

export function orderTotal({ items }: Order): number {
  return items.reduce((sum, { qty, price }) => sum + qty * price, 0);
}

export function summarize(orders: Order[]): { byCountry: Record<string, number>; top: string[]; big: number } {
  const byCountry: Record<string, number> = {};
  for (const o of orders) {
    const { country } = o;
    const total = orderTotal(o);
    byCountry[country] = (byCountry[country] ?? 0) + total;
  }
  const perCustomer = new Map<string, number>();
  orders.forEach((o) => perCustomer.set(o.customer, (perCustomer.get(o.customer) ?? 0) + orderTotal(o)));
  const top = [...perCustomer.entries()].sort(([, a], [, b]) => b - a).slice(0, 3).map(([name]) => name);
  const big = orders.filter((o) => orderTotal(o) > 60).map((o) => ({ ...o, flagged: true })).length;
  return { byCountry, top, big };
}

/** Builds n orders and summarizes them. */
export function run(n: number): number {
  const { byCountry, top, big } = summarize(makeOrders(n));
  return Object.values(byCountry).reduce((a, b) => a + b, 0) + top.join('').length + big;
}
