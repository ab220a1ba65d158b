/**
 * Value display that never throws and is bounded.
 *
 * Everything goes through `util.inspect` with limits (depth, array and string lengths) inside
 * try/catch, Proxies shown as Proxies (their traps never run), getters not invoked (except by
 * `inspect`, which says so), and a final cap on the text length that says what it cut. A program's
 * value must never be able to hang, crash or flood the session.
 */
import { inspect, types } from 'node:util';
import { UNAVAILABLE, UNINITIALIZED } from '../records';

/** How a value is shown. */
export interface FormatOptions {
  /** Multi-line layout (`pp`) rather than one line (`p`). Default false. */
  pretty?: boolean;
  /** Nesting shown before `[Object]`; default 3 (one line) or 5 (pretty). */
  depth?: number;
  /** ANSI colours. Default false. */
  colors?: boolean;
  /** Show non-enumerable properties and call getters (the `inspect` command). Default false. */
  deep?: boolean;
  /** Cap on the text length; default 20,000 characters (one line) or 200,000 (pretty). */
  maxLength?: number;
}

/** Shown for a binding read before its initialisation (TDZ). */
export const UNINITIALIZED_TEXT = '<uninitialized>';
/** Shown for a binding the capture could not read. */
export const UNAVAILABLE_TEXT = '<unavailable>';

/** Objects with more own keys than this are shown through a truncated copy (inspect has no key limit). */
const MAX_KEYS = 1000;
const SHOWN_KEYS = 100;

/**
 * Stands for a sentinel inside containers built by the session (`locals()`), so that `p locals()`
 * shows `<uninitialized>` rather than a Symbol.
 */
export class Placeholder {
  constructor(readonly text: string) {}
  [inspect.custom](): string {
    return this.text;
  }
}
/** The placeholder object for {@link UNINITIALIZED}. */
export const UNINITIALIZED_PLACEHOLDER = Object.freeze(new Placeholder(UNINITIALIZED_TEXT));
/** The placeholder object for {@link UNAVAILABLE}. */
export const UNAVAILABLE_PLACEHOLDER = Object.freeze(new Placeholder(UNAVAILABLE_TEXT));

/** A captured value with the sentinels replaced by their placeholders (for containers built by the session). */
export function displayable(value: unknown): unknown {
  if (value === UNINITIALIZED) return UNINITIALIZED_PLACEHOLDER;
  if (value === UNAVAILABLE) return UNAVAILABLE_PLACEHOLDER;
  return value;
}

/** Formats a value for display (`p`: one line like pdb's repr; `pp`: pretty). Never throws. */
export function formatValue(value: unknown, options: FormatOptions = {}): string {
  if (value === UNINITIALIZED) return UNINITIALIZED_TEXT;
  if (value === UNAVAILABLE) return UNAVAILABLE_TEXT;
  const pretty = !!options.pretty;
  const maxLength = options.maxLength ?? (pretty ? 200_000 : 20_000);
  const opts: Parameters<typeof inspect>[1] = {
    depth: options.depth ?? (pretty ? 5 : 3),
    colors: !!options.colors,
    maxArrayLength: pretty ? 200 : 100,
    maxStringLength: pretty ? 100_000 : 10_000,
    breakLength: pretty ? 80 : Infinity,
    compact: pretty ? 3 : true,
    showProxy: true,
    getters: options.deep ? true : false,
    showHidden: !!options.deep,
    sorted: false,
  };
  let note = '';
  let target = value;
  const big = tooManyKeys(value);
  if (big) {
    target = big.copy;
    note = ` ... ${big.more} more properties not shown`;
  }
  let text: string;
  try {
    text = inspect(target, opts);
  } catch (first) {
    // A custom inspect hook or an exotic object threw: retry without custom hooks, then give up politely.
    try {
      text = inspect(target, { ...opts, customInspect: false });
    } catch {
      text = `<value that cannot be displayed: ${describeFault(first)}>`;
    }
  }
  return cap(text + note, maxLength);
}

/** Cuts text longer than `max` and says how much was cut. */
export function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}... [${text.length - max} more characters cut]`;
}

/** A short description of a thrown value for a `*** ...` line: `TypeError: message`. Never throws. */
export function describeFault(fault: unknown): string {
  try {
    if (fault instanceof Error || (typeof fault === 'object' && fault !== null && 'message' in fault && 'name' in fault)) {
      const e = fault as { name: unknown; message: unknown };
      const name = typeof e.name === 'string' ? e.name : 'Error';
      const message = typeof e.message === 'string' ? e.message : formatValue(e.message);
      return cap(message ? `${name}: ${message}` : name, 2000);
    }
    return cap(`Uncaught ${formatValue(fault)}`, 2000);
  } catch {
    return 'a value that cannot be displayed was thrown';
  }
}

/** What `whatis` prints: the type of a value in JavaScript terms. Never throws. */
export function typeName(value: unknown): string {
  try {
    if (value === UNINITIALIZED) return UNINITIALIZED_TEXT;
    if (value === UNAVAILABLE) return UNAVAILABLE_TEXT;
    if (value === null) return 'null';
    if (types.isProxy(value)) return `Proxy (${typeof value})`;
    if (typeof value === 'function') {
      const name = safeName(value);
      let src = '';
      try { src = Function.prototype.toString.call(value); } catch { /* bound or exotic */ }
      const kind = /^class[\s{]/.test(src) ? 'class'
        : types.isAsyncFunction(value) && types.isGeneratorFunction(value) ? 'async generator function'
          : types.isAsyncFunction(value) ? 'async function'
            : types.isGeneratorFunction(value) ? 'generator function'
              : 'function';
      return name ? `${kind} ${name}` : `${kind} (anonymous)`;
    }
    if (typeof value !== 'object') return typeof value;
    const proto = Object.getPrototypeOf(value);
    if (proto === null) return 'object (null prototype)';
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
    const name = typeof ctor === 'function' ? safeName(ctor) : '';
    return name || 'object';
  } catch (fault) {
    return `<unknown: ${describeFault(fault)}>`;
  }
}

function safeName(fn: Function): string {
  try {
    const d = Object.getOwnPropertyDescriptor(fn, 'name');
    return typeof d?.value === 'string' ? d.value : '';
  } catch {
    return '';
  }
}

/**
 * For a plain (non-Proxy) object with a huge number of own keys, a copy with its first keys only:
 * `util.inspect` would walk them all however small the output.
 */
function tooManyKeys(value: unknown): { copy: object; more: number } | undefined {
  if (typeof value !== 'object' || value === null || types.isProxy(value) || Array.isArray(value) || ArrayBuffer.isView(value)) {
    return undefined;
  }
  try {
    const keys = Reflect.ownKeys(value);
    if (keys.length <= MAX_KEYS) return undefined;
    const copy = Object.create(Object.getPrototypeOf(value)) as Record<PropertyKey, unknown>;
    for (const k of keys.slice(0, SHOWN_KEYS)) {
      const d = Object.getOwnPropertyDescriptor(value, k);
      if (d) Object.defineProperty(copy, k, d);
    }
    return { copy, more: keys.length - SHOWN_KEYS };
  } catch {
    return undefined;
  }
}
