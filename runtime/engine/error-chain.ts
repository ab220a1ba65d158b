/**
 * The errors linked to a thrown value: `error.cause`, `AggregateError.errors`,
 * `SuppressedError.error` / `.suppressed` (Python 3.13's `exceptions` walks `__cause__` and
 * `__context__` the same way).
 *
 * Listed depth-first with the thrown value first (index 0), so `exceptions 0` is always the error
 * the session opened on. Bounded, cycle-safe, and it never runs a Proxy trap or lets a getter throw.
 */
import { types } from 'node:util';

/** One error of the chain. */
export interface ChainEntry {
  value: unknown;
  /** How it hangs from its parent: `thrown`, `cause`, `errors[2]`, `error`, `suppressed`. */
  label: string;
  /** Nesting below the thrown value (0 for the thrown value). */
  depth: number;
}

/** Entries listed at most (a pathological chain must not flood the session). Default 100. */
export const MAX_CHAIN = 100;

/** The chain of `thrown`, depth-first, the thrown value first. Never throws. */
export function errorChain(thrown: unknown, max = MAX_CHAIN): ChainEntry[] {
  const out: ChainEntry[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, label: string, depth: number): void => {
    if (out.length >= max || depth > 32) return;
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return;
      seen.add(value);
    }
    out.push({ value, label, depth });
    for (const [childLabel, child] of children(value)) visit(child, childLabel, depth + 1);
  };
  visit(thrown, 'thrown', 0);
  return out;
}

function children(value: unknown): Array<[string, unknown]> {
  if (typeof value !== 'object' || value === null || types.isProxy(value)) return [];
  const out: Array<[string, unknown]> = [];
  const own = (key: string): { has: boolean; value?: unknown } => {
    try {
      const d = Object.getOwnPropertyDescriptor(value, key);
      // Only data properties: a getter could run program code or throw.
      return d && 'value' in d ? { has: true, value: d.value } : { has: false };
    } catch {
      return { has: false };
    }
  };
  const name = nameOf(value);
  if (name === 'SuppressedError') {
    const e = own('error');
    if (e.has) out.push(['error', e.value]);
    const s = own('suppressed');
    if (s.has) out.push(['suppressed', s.value]);
  }
  const errors = own('errors');
  if (errors.has && Array.isArray(errors.value)) {
    errors.value.slice(0, MAX_CHAIN).forEach((e, i) => out.push([`errors[${i}]`, e]));
  }
  const cause = own('cause');
  if (cause.has && cause.value !== undefined) out.push(['cause', cause.value]);
  return out;
}

function nameOf(value: object): string | undefined {
  try {
    const n = (value as { name?: unknown }).name;
    return typeof n === 'string' ? n : undefined;
  } catch {
    return undefined;
  }
}
