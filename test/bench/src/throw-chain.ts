// The throwing path: an error thrown 10 frames down and caught by the program (validation,
// retries, parsers that backtrack). Each frame has a few locals.

function level(depth: number, input: string): number {
  const here = depth * 2;
  const label = input + depth;
  if (depth === 0) throw new RangeError('bad input: ' + label);
  return level(depth - 1, input) + here + label.length;
}

/** Throws through 10 frames n times; returns how many were caught. */
export function run(n: number): number {
  let caught = 0;
  for (let i = 0; i < n; i++) {
    try {
      level(9, 'x');
    } catch (e) {
      if (e instanceof RangeError) caught++;
    }
  }
  return caught;
}
