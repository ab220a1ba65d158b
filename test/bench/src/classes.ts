// A class with a constructor, methods, getters and a setter, a subclass calling super: an
// account ledger exercised through its public API.

export class Money {
  constructor(readonly cents: number) {}
  get units(): number { return Math.trunc(this.cents / 100); }
  plus(other: Money): Money { return new Money(this.cents + other.cents); }
  times(k: number): Money { return new Money(Math.round(this.cents * k)); }
}

export class Account {
  private entries: Money[] = [];
  private limitCents = 0;
  constructor(readonly owner: string) {}

  get balance(): Money {
    let total = new Money(0);
    for (const e of this.entries) total = total.plus(e);
    return total;
  }

  get limit(): number { return this.limitCents; }
  set limit(v: number) { this.limitCents = Math.max(0, v); }

  deposit(m: Money): this {
    this.entries.push(m);
    return this;
  }

  canSpend(m: Money): boolean {
    const after = this.balance.cents - m.cents;
    return after >= -this.limitCents;
  }
}

export class SavingsAccount extends Account {
  constructor(owner: string, readonly rate: number) {
    super(owner);
  }
  interest(): Money {
    const base = this.balance;
    return base.times(this.rate);
  }
}

/** Opens accounts and moves money n times. */
export function run(n: number): number {
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
