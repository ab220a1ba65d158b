// An async function awaited in a loop: promise-returning helpers, awaits on resolved values and on
// other async functions, as request handlers do.

async function lookup(key: number): Promise<number> {
  const base = key % 17;
  return base * 3;
}

async function handle(req: { id: number; n: number }): Promise<{ id: number; total: number }> {
  let total = 0;
  for (let k = 0; k < req.n; k++) {
    const v = await lookup(req.id + k);
    total += v;
  }
  const extra = await Promise.resolve(req.id & 7);
  return { id: req.id, total: total + extra };
}

/** Handles n requests one after the other. */
export async function run(n: number): Promise<number> {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const { total } = await handle({ id: i, n: 4 });
    acc += total;
  }
  return acc;
}
