// Issue 19 §2, async functions: test/bench/src/async-loop.ts (an async handler awaited in a loop,
// awaiting async helpers and resolved promises). `lookup` (no await) and `run` (one await per
// call of `handle`) cost about nothing instrumented; `handle` (five awaits per call) is where the
// cost is, so the cases below vary the shape of `handle` alone. Ratios to `plain`.
//   node test/bench/micro/async-try-region.mjs [rounds]
import { runMicro } from './harness.mjs';

const CAP = (idx, names) => `catch (e) { R.f(e, R, ${idx}, this${names.map((n) => ', ' + n).join('')}); throw e; }`;
const BCAP = (idx, names) => `catch (e) { R.b(e, R, ${idx}${names.map((n) => ', ' + n).join('')}); throw e; }`;

const lookupP = `async function lookup(key) { const base = key % 17; return base * 3; }`;
const lookupE = `async function lookup(key) { let base; try { base = key % 17; return base * 3; } ${CAP(0, ['key', 'base'])} }`;
const runP = `async function run(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) { const { total } = await handle({ id: i, n: 4 }); acc += total; }
  return acc;
}`;
const runE = `async function run(n) {
  let acc, i;
  try {
    acc = 0;
    for (i = 0; i < n; i++) { const { total } = await handle({ id: i, n: 4 }); try { acc += total; } ${BCAP(1, ['total'])} }
    return acc;
  } ${CAP(2, ['n', 'acc', 'i'])}
}`;
const handleP = (extra = '', tail = '') => `async function handle(req) {
  let total = 0;${extra}
  for (let k = 0; k < req.n; k++) { const v = await lookup(req.id + k); total += v; }
  const extra = await Promise.resolve(req.id & 7);${tail}
  return { id: req.id, total: total + extra };
}`;
// handle as ts-pdb emits it, with the function catch and the loop body's catch given
const handleE = (fnCatch, loopCatch, pre = '') => `async function handle(req) {
  let total, k, extra;${pre}
  try {
    total = 0;
    for (k = 0; k < req.n; k++) { let v; try { v = await lookup(req.id + k); total += v; } ${loopCatch} }
    extra = await Promise.resolve(req.id & 7);
    return { id: req.id, total: total + extra };
  } ${fnCatch}
}`;
const ALL = ['req', 'total', 'k', 'extra'];
const RUN = 'return (n) => run(n);';
const only = (handle) => lookupP + handle + runP + RUN;

await runMicro({
  title: 'async: the catch of an async function with awaits (async-loop.ts)',
  arg: 200,
  isAsync: true,
  cases: {
    plain: only(handleP()),
    'as emitted (lookup, handle, run)': lookupE + handleE(CAP(1, ALL), BCAP(0, ['v'])) + runE + RUN,
    'handle as emitted': only(handleE(CAP(1, ALL), BCAP(0, ['v']))),
    'handle: catches capture nothing': only(handleE('catch (e) { throw e; }', 'catch (e) { throw e; }')),
    // params and the locals live at the awaits in plain code anyway
    'handle: catch reads req, total, k only': only(handleE(CAP(1, ['req', 'total', 'k']), 'catch (e) { throw e; }')),
    // one try: the loop body's binding declared at function level (live at every await then)
    'handle: one try, v at function level': only(`async function handle(req) {
  let total, k, extra, v;
  try {
    total = 0;
    for (k = 0; k < req.n; k++) { v = await lookup(req.id + k); total += v; }
    extra = await Promise.resolve(req.id & 7);
    return { id: req.id, total: total + extra };
  } ${CAP(1, [...ALL, 'v'])}
}`),
    // the catch of the stretch before a declaration passes void 0 for it (same capture: the
    // hoisted binding is undefined there), so that binding is not live at the awaits before it
    'handle: tries split at declarations': only(`async function handle(req) {
  let total, k, extra;
  try {
    total = 0;
    for (k = 0; k < req.n; k++) { let v; try { v = await lookup(req.id + k); } ${BCAP(0, ['void 0'])} try { total += v; } ${BCAP(0, ['v'])} }
  } ${CAP(1, ['req', 'total', 'k', 'void 0'])}
  try {
    extra = await Promise.resolve(req.id & 7);
    return { id: req.id, total: total + extra };
  } ${CAP(1, ALL)}
}`),
    // no try spans an await (a rejection at an await is NOT captured: a bound, not a candidate)
    'handle: awaits outside, a try per stretch': only(`async function handle(req) {
  let total, k, extra, v, t;
  try { total = 0; k = 0; } ${CAP(1, [...ALL, 'v'])}
  for (;;) {
    try { if (!(k < req.n)) break; t = lookup(req.id + k); } ${CAP(1, [...ALL, 'v'])}
    v = await t;
    try { total += v; k++; } ${CAP(1, [...ALL, 'v'])}
  }
  try { t = Promise.resolve(req.id & 7); } ${CAP(1, [...ALL, 'v'])}
  extra = await t;
  try { return { id: req.id, total: total + extra }; } ${CAP(1, [...ALL, 'v'])}
}`),
    // an arrow never created makes the captured bindings context slots instead of registers
    'handle: captured locals in a context': only(handleE(CAP(1, ALL), BCAP(0, ['v']), ' if (R === 0) () => [req, total, k, extra];')),
    'handle: locals as one array argument': only(
      handleE('catch (e) { R.f(e, R, 1, this, [req, total, k, extra]); throw e; }', 'catch (e) { R.b(e, R, 0, [v]); throw e; }'),
    ),
    // no try at all: what live registers and a larger register file cost by themselves
    'plain handle + 4 registers live at the awaits': only(
      handleP(' const z = this, y = req.id + 1, x = req.n + 1, w = req.id - 1;', ' if (z === 1 && y + x + w === -7) return;'),
    ),
    'plain handle + an unreachable 12-argument call': only(handleP(' if (req === null) R.f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);')),
  },
});
