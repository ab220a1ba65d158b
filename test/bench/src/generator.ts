// Generators: a lazy pipeline (range, map, filter, take) consumed by for-of.

export function* range(from: number, to: number): Generator<number> {
  for (let i = from; i < to; i++) yield i;
}

export function* mapGen<T, U>(src: Iterable<T>, fn: (v: T) => U): Generator<U> {
  for (const v of src) yield fn(v);
}

export function* filterGen<T>(src: Iterable<T>, keep: (v: T) => boolean): Generator<T> {
  for (const v of src) if (keep(v)) yield v;
}

export function* take<T>(src: Iterable<T>, n: number): Generator<T> {
  let left = n;
  if (left <= 0) return;
  for (const v of src) {
    yield v;
    if (--left === 0) return;
  }
}

/** Sums a pipeline over n numbers. */
export function run(n: number): number {
  let s = 0;
  const squares = mapGen(range(0, n * 2), (x) => x * x);
  for (const v of take(filterGen(squares, (x) => x % 3 !== 0), n)) s += v % 1000;
  return s;
}
