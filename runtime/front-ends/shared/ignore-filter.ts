/**
 * `IPDB_IGNORE`: the errors a program expects (a service's `AbortError`, a client's `ECONNRESET`),
 * on which ts-pdb neither opens a session nor writes a snapshot; the error goes on as it would
 * without ts-pdb. A comma-separated list: `/pattern/flags` entries (commas inside them included)
 * are regular expressions tested against the error's message; every other entry is an error name
 * (the `name` the error has, or the name of a class on its prototype chain: `IPDB_IGNORE=AbortError`
 * ignores its subclasses too).
 *
 * Reads the thrown value without running the program: data properties only, through descriptors;
 * a Proxy is never looked into (its traps would run), so it is never ignored.
 */
import { types } from 'node:util';

/** A parsed `IPDB_IGNORE`. */
export interface IgnoreFilter {
  /** True when `thrown` is an error the user asked not to stop on. */
  ignores(thrown: unknown): boolean;
  /** The entries that are not valid regular expressions, with why (said once, in one line each). */
  readonly problems: string[];
}

const cache = new Map<string, IgnoreFilter>();

/** The filter of `text` (`IPDB_IGNORE`); unset or blank ignores nothing. Never throws. */
export function ignoreFilter(text: string | undefined): IgnoreFilter {
  const key = text ?? '';
  let filter = cache.get(key);
  if (!filter) cache.set(key, (filter = parse(key)));
  return filter;
}

function parse(text: string): IgnoreFilter {
  const names = new Set<string>();
  const patterns: RegExp[] = [];
  const problems: string[] = [];
  for (const entry of entries(text)) {
    if (!entry) continue;
    const re = /^\/(.*)\/([a-z]*)$/s.exec(entry);
    if (!re) {
      names.add(entry);
      continue;
    }
    try {
      patterns.push(new RegExp(re[1], re[2]));
    } catch (e) {
      problems.push(`IPDB_IGNORE: ${entry} is not a regular expression (${(e as Error).message}); it is left out`);
    }
  }
  return {
    problems,
    ignores(thrown) {
      if (!names.size && !patterns.length) return false;
      try {
        if (names.size && namesOf(thrown).some((n) => names.has(n))) return true;
        const message = dataProperty(thrown, 'message');
        // From the start each time: a g or y pattern keeps where it last matched in lastIndex.
        return typeof message === 'string' && patterns.some((p) => ((p.lastIndex = 0), p.test(message)));
      } catch {
        return false;
      }
    },
  };
}

/**
 * An entry of `IPDB_IGNORE`: a `/pattern/flags` up to the comma that follows it, so that the
 * pattern may hold commas (`/\d{1,3}/`) and escaped slashes; else anything up to a comma.
 */
const ENTRY = /\s*(\/(?:\\[^]|[^\\])*?\/[a-z]*)\s*(?:,|$)|([^,]*)(?:,|$)/y;

/** The entries of `text`, trimmed (empty ones too: the caller skips them). */
function entries(text: string): string[] {
  const out: string[] = [];
  // Every match moves on: at a comma the second branch takes it, elsewhere a character at least.
  for (let at = 0; at < text.length; at = ENTRY.lastIndex) {
    ENTRY.lastIndex = at;
    const m = ENTRY.exec(text)!;
    out.push((m[1] ?? m[2]).trim());
  }
  return out;
}

/** The value's `name` and the names of the classes on its prototype chain, read through descriptors only. */
function namesOf(value: unknown): string[] {
  const out: string[] = [];
  const name = dataProperty(value, 'name');
  if (typeof name === 'string') out.push(name);
  let o: unknown = value;
  for (let depth = 0; depth < 64 && o !== null && (typeof o === 'object' || typeof o === 'function'); depth++) {
    if (types.isProxy(o)) break;
    const ctor = Object.getOwnPropertyDescriptor(o, 'constructor')?.value as unknown;
    if (typeof ctor === 'function' && !types.isProxy(ctor)) {
      const n = Object.getOwnPropertyDescriptor(ctor, 'name')?.value as unknown;
      if (typeof n === 'string') out.push(n);
    }
    o = Object.getPrototypeOf(o);
  }
  return out;
}

/** The value of a data property on `value` or its prototype chain (never a getter's); undefined otherwise. */
function dataProperty(value: unknown, key: string): unknown {
  let o: unknown = value;
  for (let depth = 0; depth < 64 && o !== null && (typeof o === 'object' || typeof o === 'function'); depth++) {
    if (types.isProxy(o)) return undefined;
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return 'value' in d ? d.value : undefined;
    o = Object.getPrototypeOf(o);
  }
  return undefined;
}
