// The hot loop of ENGINEERING.md: a tight arithmetic loop inside one function, and the same body
// as a tiny function called from a loop (the per-call cost of the instrumentation).

/** Sums i*2 for i below n. */
export function hotLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += i * 2;
  return s;
}

/** One step of the loop above as a function of its own. */
export function step(s: number, i: number): number {
  return s + i * 2;
}

/** Calls {@link step} n times. */
export function hotCalls(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = step(s, i);
  return s;
}
