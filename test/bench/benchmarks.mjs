// The benchmark table shared by the parent (run.mjs) and the timing child (child.mjs): which
// module of test/bench/src, which export, with what argument, and how the row is judged.

/** Ratio instrumented/plain that the non-throwing path must stay under (issue: "costs nothing"). */
export const RATIO_TARGET = 1.02;
/** Added startup with debugging off, in ms. */
export const STARTUP_TARGET_MS = 5;

/**
 * Rows of the non-throwing table. `group`: `hot` (the hot-loop function) or `realistic`.
 * `arg` is the argument of one call; a timed sample repeats the call until it lasts the sample
 * target (calibrated once on the plain build, the same count for both builds).
 */
export const BENCHMARKS = [
  {
    id: 'hot-loop',
    module: 'hot-loop',
    fn: 'hotLoop',
    arg: 300_000,
    group: 'hot',
    what: 'one call, `for (let i...) s += i * 2`, 300k iterations',
  },
  {
    id: 'hot-calls',
    module: 'hot-loop',
    fn: 'hotCalls',
    arg: 300_000,
    group: 'hot',
    what: '300k calls of a one-line function `s + i * 2` from a loop',
  },
  {
    id: 'leaf',
    module: 'leaf',
    fn: 'run',
    arg: 2_000,
    group: 'realistic',
    what: 'small leaf functions with const temporaries (distance, clamp, lerp, hash, pad)',
  },
  {
    id: 'objects',
    module: 'objects',
    fn: 'run',
    arg: 300,
    group: 'realistic',
    what: 'build/read objects, map/filter/reduce/sort with arrow callbacks, destructuring, spread',
  },
  {
    id: 'tokenizer',
    module: 'tokenizer',
    fn: 'run',
    arg: 100,
    group: 'realistic',
    what: 'tokenizer + recursive-descent parser/evaluator (class), 6 expressions',
  },
  {
    id: 'recursive',
    module: 'recursive',
    fn: 'run',
    arg: 18,
    group: 'realistic',
    what: 'naive fib(18) + build and sum a binary tree of depth 9',
  },
  {
    id: 'classes',
    module: 'classes',
    fn: 'run',
    arg: 300,
    group: 'realistic',
    what: 'classes: constructor, methods, getters/setter, subclass with super()',
  },
  {
    id: 'generator',
    module: 'generator',
    fn: 'run',
    arg: 1_000,
    group: 'realistic',
    what: 'generator pipeline range/map/filter/take consumed by for-of',
  },
  {
    id: 'async',
    module: 'async-loop',
    fn: 'run',
    arg: 200,
    group: 'realistic',
    async: true,
    what: 'async function awaited in a loop (awaits on async helpers and resolved promises)',
  },
];

/** The throwing path (informational): an error through 10 instrumented frames, caught. */
export const THROW_BENCH = { id: 'throw-10-frames', module: 'throw-chain', fn: 'run', arg: 100, throwsPerCall: 100 };
