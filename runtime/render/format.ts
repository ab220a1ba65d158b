/**
 * Value display that never throws and is bounded.
 *
 * Everything goes through `util.inspect` with limits (depth, array and string lengths, objects
 * visited) inside try/catch, on a view of the value (safe-view.ts) in which nothing of the program
 * runs: Proxies shown as Proxies (their traps never run), getters not invoked (except by `inspect`,
 * which says so), a Map subclass's own `size` or a throwing `Symbol.toStringTag` getter never
 * called; and a final cap on the text length that says what it cut. A program's value must never
 * be able to hang, crash or flood the session.
 */
import { inspect, types } from 'node:util';
import { UNAVAILABLE, UNINITIALIZED } from '../records';
import { Explained } from './explained';
import { safeView, trustHooks } from './safe-view';

/** How a value is shown. */
export interface FormatOptions {
  /** Multi-line layout (`pp`) rather than one line (`p`). Default false. */
  pretty?: boolean;
  /** Nesting shown before `[Object]`; default 3 (one line) or 5 (pretty), at most {@link MAX_DEPTH}. */
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

/** Deepest nesting shown, even when asked for more (`inspect x Infinity`): deeper levels show as `[Object]`. Default 100. */
export const MAX_DEPTH = 100;
/** Objects one value's display visits at most, per character of the length cap: past it they show as `[Class]`. Default 0.5. */
const OBJECTS_PER_CHARACTER = 0.5;

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
trustHooks(Placeholder.prototype);
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
  const depth = Math.min(options.depth ?? (pretty ? 5 : 3), MAX_DEPTH);
  const maxArrayLength = pretty ? 200 : 100;
  const opts: Parameters<typeof inspect>[1] = {
    depth,
    colors: !!options.colors,
    maxArrayLength,
    maxStringLength: pretty ? 100_000 : 10_000,
    breakLength: pretty ? 80 : Infinity,
    compact: pretty ? 3 : true,
    showProxy: true,
    getters: options.deep ? true : false,
    showHidden: !!options.deep,
    sorted: false,
  };
  // Each object shows as a few characters at least: past this many, the text would be cut anyway.
  const limits = { depth, maxArrayLength, deep: !!options.deep, hooks: true, budget: Math.ceil(maxLength * OBJECTS_PER_CHARACTER) };
  let text: string;
  let budgetCut = 0;
  try {
    const v = safeView(value, limits);
    budgetCut = v.budgetCut;
    text = inspect(v.view, opts);
  } catch (first) {
    // A custom inspect hook threw (or what it returned did): show the value without the program's hooks, else give up politely.
    try {
      const v = safeView(value, { ...limits, hooks: false });
      budgetCut = v.budgetCut;
      text = inspect(v.view, opts);
    } catch {
      text = `<value that cannot be displayed: ${describeFault(first)}>`;
    }
  }
  if (!budgetCut) return cap(text, maxLength);
  // Said last, and kept when the text itself is cut.
  const note = ` ... [${budgetCut} more objects shown as [Class]: the display stops after ${limits.budget}]`;
  return cap(text, Math.max(0, maxLength - note.length)) + note;
}

/**
 * Text of at most `maxLines` lines and `maxChars` characters (an error message can be megabytes,
 * or a hundred thousand lines); says what it cut.
 */
export function capLines(text: string, maxLines: number, maxChars: number): string {
  let end = Math.min(text.length, maxChars);
  let at = -1;
  for (let n = 0; n < maxLines && at < end; n++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0) break;
  }
  if (at >= 0 && at < end) end = at;
  if (end >= text.length) return text;
  let lines = 0;
  for (let i = text.indexOf('\n', end); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return `${text.slice(0, end)}... [${lines ? `${lines} more lines, ` : ''}${text.length - end} more characters cut]`;
}

/** Cuts text longer than `max` and says how much was cut. */
export function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}... [${text.length - max} more characters cut]`;
}

/** A short description of a thrown value for a `*** ...` line: `TypeError: message`. Never throws. */
export function describeFault(fault: unknown): string {
  try {
    // Read through descriptors: a thrown Proxy's traps and an error's getters are the program's code.
    if (typeof fault === 'object' && fault !== null && !types.isProxy(fault)) {
      // The session's own words: no `Error:` prefix.
      if (fault instanceof Explained) return cap(fault.message, 2000);
      const name = dataProperty(fault, 'name');
      const message = dataProperty(fault, 'message');
      const isError = types.isNativeError(fault) || fault instanceof Error;
      if (isError || (name.found && message.found)) {
        const n = typeof name.value === 'string' ? name.value : 'Error';
        const m = message.getter
          ? '<its message is a getter, not called>'
          : typeof message.value === 'string'
            ? message.value
            : message.value === undefined
              ? ''
              : formatValue(message.value, { maxLength: 2000 });
        return cap(m ? `${n}: ${m}` : n, 2000);
      }
    }
    return cap(`Uncaught ${formatValue(fault, { maxLength: 2000 })}`, 2000);
  } catch {
    return 'a value that cannot be displayed was thrown';
  }
}

/** A property found up the prototype chain through descriptors: its value when it is data, `getter` when not. */
function dataProperty(o: object, key: string): { found: boolean; value?: unknown; getter?: boolean } {
  let p: object | null = o;
  for (let n = 0; p !== null && n < 100; n++, p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (!d) continue;
    return 'value' in d ? { found: true, value: d.value } : { found: true, getter: true };
  }
  return { found: false };
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
      try {
        src = Function.prototype.toString.call(value);
      } catch {
        /* bound or exotic */
      }
      const kind = /^class[\s{]/.test(src)
        ? 'class'
        : types.isAsyncFunction(value) && types.isGeneratorFunction(value)
          ? 'async generator function'
          : types.isAsyncFunction(value)
            ? 'async function'
            : types.isGeneratorFunction(value)
              ? 'generator function'
              : 'function';
      return name ? `${kind} ${name}` : `${kind} (anonymous)`;
    }
    if (typeof value !== 'object') return typeof value;
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === null) return 'object (null prototype)';
    const ctor: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
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
