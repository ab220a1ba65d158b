// The code under test. Vitest compiles it through the ts-pdb plugin (vitest.config.ts), so the
// marked function below hands over its locals when an error leaves it.

/** A line of an order: how many of which part. */
export interface Line {
  sku: string;
  qty: number;
}

/** Parts on the shelf, by sku. */
export type Stock = Map<string, number>;

// @debuggable
export function reserve(stock: Stock, lines: Line[]): Stock {
  const left: Stock = new Map(stock);
  for (const line of lines) {
    const have = left.get(line.sku) ?? 0;
    if (have < line.qty) throw new RangeError(`only ${have} ${line.sku} left, ${line.qty} wanted`);
    left.set(line.sku, have - line.qty);
  }
  return left;
}
