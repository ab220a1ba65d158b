// The smallest instrumented program: one function. Its startup over the plain build is the cost of
// loading the capture runtime (and of the module descriptor).
export function greet(name: string): string {
  const text = 'hello ' + name;
  return text;
}
