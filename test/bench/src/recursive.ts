// Recursion: a naive Fibonacci (call-dominated) and a binary tree built and walked recursively.

export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

interface Node { value: number; left: Node | null; right: Node | null }

export function build(depth: number, seed: number): Node | null {
  if (depth === 0) return null;
  const left = build(depth - 1, seed * 2);
  const right = build(depth - 1, seed * 2 + 1);
  return { value: seed % 101, left, right };
}

export function sumTree(node: Node | null): number {
  if (!node) return 0;
  const here = node.value;
  return here + sumTree(node.left) + sumTree(node.right);
}

/** fib(n) plus a tree of depth n/2 walked. */
export function run(n: number): number {
  return fib(n) + sumTree(build(Math.max(1, n >> 1), 1));
}
