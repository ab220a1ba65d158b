// Issue 19 §3: test/bench/src/classes.ts (one-line methods, getters, a setter, a subclass calling
// super) with the catch of every instrumented function in the shapes below; ratios to `plain`.
// V8 inlines a function of <= 27 bytes of bytecode (--max-inlined-bytecode-size-small) whatever
// its budget; larger ones count against --max-inlined-bytecode-size-cumulative (920) of the
// function they are inlined into, catch handler included. The bytecode sizes behind this are
// printed by test/bench/micro/bytecode-size.mjs. With a larger budget the instrumented shapes cost
// about nothing, which is what shows that the budget is the cause:
//   node test/bench/micro/classes-inline.mjs [rounds]
//   node --max-inlined-bytecode-size-cumulative=3000 test/bench/micro/classes-inline.mjs [rounds]
import { runMicro } from './harness.mjs';

// shape(idx, names, isLoop) -> the catch clause of a function (`fn`) or a loop body (`loop`)
const SHAPES = {
  plain: null,
  // as ts-pdb emits it today
  'as emitted': (k, idx, names) =>
    k === 'fn'
      ? `catch (E) { R.f(E, M, ${idx}, this${names.map((n) => ', ' + n).join('')}); throw E; }`
      : `catch (E) { R.b(E, M, ${idx}${names.map((n) => ', ' + n).join('')}); throw E; }`,
  // one call to a module-level function bound to the module, returning the error it is given
  'throw F(E, idx, this, ...)': (k, idx, names) =>
    `catch (E) { throw ${k === 'fn' ? 'F' : 'B'}(E, ${idx}${k === 'fn' ? ', this' : ''}${names.map((n) => ', ' + n).join('')}); }`,
  // the call without the frame's values: what passing the values costs
  'F(E, idx), no values': (k, idx) => `catch (E) { ${k === 'fn' ? 'F' : 'B'}(E, ${idx}); throw E; }`,
  // the smallest catch with a call in it (captures nothing: a bound, not a candidate)
  'throw F(E), no values': (k) => `catch (E) { throw ${k === 'fn' ? 'F' : 'B'}(E); }`,
  // a catch that captures nothing: the least any catch adds
  'catch only rethrows': () => `catch (E) { throw E; }`,
};

// The program, plain and instrumented (as test/bench/build-bench.mjs builds it); in the
// instrumented text @F(idx, names) and @B(idx, names) are the catch clauses.
const PLAIN = `
class Money {
  constructor(cents) { this.cents = cents; }
  get units() { return Math.trunc(this.cents / 100); }
  plus(other) { return new Money(this.cents + other.cents); }
  times(k) { return new Money(Math.round(this.cents * k)); }
}
class Account {
  entries = [];
  limitCents = 0;
  constructor(owner) { this.owner = owner; }
  get balance() { let total = new Money(0); for (const e of this.entries) total = total.plus(e); return total; }
  get limit() { return this.limitCents; }
  set limit(v) { this.limitCents = Math.max(0, v); }
  deposit(m) { this.entries.push(m); return this; }
  canSpend(m) { const after = this.balance.cents - m.cents; return after >= -this.limitCents; }
}
class SavingsAccount extends Account {
  constructor(owner, rate) { super(owner); this.rate = rate; }
  interest() { const base = this.balance; return base.times(this.rate); }
}
function run(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const a = new SavingsAccount('u' + (i % 10), 0.02);
    a.limit = i % 50;
    for (let k = 0; k < 8; k++) a.deposit(new Money(100 + k * i % 300));
    if (a.canSpend(new Money(500))) acc += a.interest().units;
    acc += a.balance.units + a.limit;
  }
  return acc;
}
return run;`;
const INSTR = `
const M = {}; const F = (e) => e; const B = (e) => e;
class Money {
  constructor(cents) { this.cents = cents; }
  get units() { try { return Math.trunc(this.cents / 100); } @F(0, ) }
  plus(other) { try { return new Money(this.cents + other.cents); } @F(1, other) }
  times(k) { try { return new Money(Math.round(this.cents * k)); } @F(2, k) }
}
class Account {
  entries = [];
  limitCents = 0;
  constructor(owner) { this.owner = owner; }
  get balance() { let total, e; try { total = new Money(0); for (e of this.entries) total = total.plus(e); return total; } @F(3, total, e) }
  get limit() { try { return this.limitCents; } @F(4, ) }
  set limit(v) { try { this.limitCents = Math.max(0, v); } @F(5, v) }
  deposit(m) { try { this.entries.push(m); return this; } @F(6, m) }
  canSpend(m) { let after; try { after = this.balance.cents - m.cents; return after >= -this.limitCents; } @F(7, m, after) }
}
class SavingsAccount extends Account {
  constructor(owner, rate) { try { super(owner); this.rate = rate; } @F(8, owner, rate) }
  interest() { let base; try { base = this.balance; return base.times(this.rate); } @F(9, base) }
}
function run(n) {
  let acc, i;
  try {
    acc = 0;
    for (i = 0; i < n; i++) {
      let a, k;
      try {
        a = new SavingsAccount('u' + (i % 10), 0.02);
        a.limit = i % 50;
        for (k = 0; k < 8; k++) a.deposit(new Money(100 + k * i % 300));
        if (a.canSpend(new Money(500))) acc += a.interest().units;
        acc += a.balance.units + a.limit;
      } @B(0, a, k)
    }
    return acc;
  } @F(10, n, acc, i)
}
return run;`;
const program = (shape) =>
  shape === null
    ? PLAIN
    : INSTR.replace(/@([FB])\((\d+), ([^)]*)\)/g, (_, k, idx, names) =>
        shape(k === 'F' ? 'fn' : 'loop', idx, names ? names.split(', ') : []),
      );

// (the derived constructor's `this` read is guarded in the real output; the shape of its catch is
// what differs between the cases, so this file leaves the guard out)
await runMicro({
  title: 'classes with one-line methods (classes.ts)',
  arg: 50,
  cases: Object.fromEntries(Object.entries(SHAPES).map(([k, shape]) => [k, program(shape)])),
});
