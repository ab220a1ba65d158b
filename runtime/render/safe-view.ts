/**
 * A view of a value that `util.inspect` can format without running program code, in bounded work.
 *
 * `util.inspect` with `getters: false` and `showProxy: true` still reads a few properties the
 * ordinary way, and those run the program's accessors: `Symbol.toStringTag` (every object, even
 * past the depth limit), a Map or Set subclass's own `size` and iterator, an error's `name`,
 * `message`, `stack`, `cause`, a function's `name`, a constructor's `Symbol.hasInstance`, a
 * RegExp subclass's `source` and `flags`, `constructor` when a custom inspect hook is present.
 * One such getter that throws made `p locals()` print nothing at all; one that counts or logs ran
 * behind the user's back. It also walks every key of an object, however many.
 *
 * {@link safeView} first scans the value as inspect would walk it (same depth, same number of
 * items, a budget of objects). When nothing hazardous is found, the value itself is formatted, so
 * ordinary values print exactly as before. Otherwise the hazardous parts, and everything that
 * leads to them, are replaced by copies made through property descriptors and the built-in Map and
 * Set iterators, whose prototypes are stand-ins that carry the same class names: they print the
 * same, and nothing of the program runs. What is cut says so (`... 4900 more properties`).
 */
import { inspect, types } from 'node:util';

/** How far a view goes; the same limits as the `util.inspect` options it is formatted with. */
export interface ViewLimits {
  /** inspect's `depth` (levels shown before `[Object]`). */
  depth: number;
  /** inspect's `maxArrayLength`: items of an array, Map or Set shown. */
  maxArrayLength: number;
  /** inspect's `showHidden` and `getters` (the `inspect` command): all own keys, getters called. */
  deep: boolean;
  /** Honour the program's `[util.inspect.custom]` hooks (calling them is the point of `p`). */
  hooks: boolean;
  /** Objects visited at most; past it objects are shown as `[Class]` and the cut is counted. */
  budget: number;
}

/** A view and what it left out. */
export interface View {
  /** The value itself when it is safe, else a stand-in that prints like it. */
  view: unknown;
  /** Objects not shown because the budget ran out (0 when nothing was cut that way). */
  budgetCut: number;
}

/** Objects with more own keys than this show their first {@link SHOWN_KEYS} (inspect has no key limit). Default 1000. */
export const MAX_KEYS = 1000;
/** Keys shown of an object that has more than {@link MAX_KEYS}. Default 100. */
export const SHOWN_KEYS = 100;
/** Arrays longer than this do not list their other own properties (finding them walks every index). Default 10,000. */
export const EXTRA_PROPS_LIMIT = 10_000;
/** Prototype chains longer than this are treated as hostile. Default 100. */
const MAX_CHAIN = 100;

const CUSTOM = inspect.custom;
const TAG = Symbol.toStringTag;

/** Prototypes of the language and of Node whose accessors and methods are built-in code, not the program's. */
const INTRINSIC = new Set<object>();
{
  const ctors: unknown[] = [
    Object,
    Function,
    Array,
    Map,
    Set,
    WeakMap,
    WeakSet,
    Promise,
    Date,
    RegExp,
    Error,
    EvalError,
    RangeError,
    ReferenceError,
    SyntaxError,
    TypeError,
    URIError,
    AggregateError,
    ArrayBuffer,
    SharedArrayBuffer,
    DataView,
    Boolean,
    Number,
    String,
    Symbol,
    BigInt,
    WeakRef,
    FinalizationRegistry,
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
    Buffer,
  ];
  for (const c of ctors) if (typeof c === 'function') INTRINSIC.add(c.prototype as object);
  const protoOf = (o: object): object | null => Object.getPrototypeOf(o) as object | null;
  const more: Array<object | null> = [
    protoOf(Int8Array.prototype), // %TypedArray%.prototype
    protoOf(async function () {}),
    protoOf(function* () {}),
    protoOf(async function* () {}),
    protoOf(function* () {}.prototype as object),
    protoOf(async function* () {}.prototype as object),
    protoOf([][Symbol.iterator]()),
    protoOf(protoOf([][Symbol.iterator]())!),
    protoOf(new Map().entries()),
    protoOf(new Set().values()),
    protoOf(''[Symbol.iterator]()),
    protoOf(/a/[Symbol.matchAll]('')),
  ];
  for (const p of more) if (p) INTRINSIC.add(p);
}

/**
 * The object's own property descriptor, or undefined. Never throws: reading an error's `stack`
 * the first time makes V8 format it, which reads `name` and `message` the ordinary way; a getter
 * there that throws leaves the property unreadable, shown as an accessor that is never called.
 */
function own(o: object, key: PropertyKey): PropertyDescriptor | undefined {
  try {
    return Object.getOwnPropertyDescriptor(o, key);
  } catch {
    return { get: undefined, set: undefined, enumerable: false, configurable: true };
  }
}

/**
 * V8's own `stack` accessor (Node 21 and later give every error an own accessor, shared by all
 * errors; Node 20 a data property): not program code, so an error carrying it is not a hazard.
 */
const V8_STACK_GET = (() => {
  const d = own(new Error(), 'stack');
  return d && !('value' in d) ? d.get : undefined;
})();

function isAccessor(o: object, key: PropertyKey): boolean {
  const d = own(o, key);
  return d !== undefined && !('value' in d);
}

function isObject(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/** The prototype chain of `o` (itself first), or undefined when it is absurdly long. */
function chainOf(o: object): object[] | undefined {
  const out: object[] = [];
  for (let p: object | null = o; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    if (out.length >= MAX_CHAIN) return undefined;
    out.push(p);
  }
  return out;
}

/** A constructor whose `name` or `Symbol.hasInstance` is the program's code (inspect reads both to name an instance). */
function constructorHazard(ctor: Function): boolean {
  const name = own(ctor, 'name');
  if (name && (!('value' in name) || typeof name.value !== 'string')) return true;
  const chain = chainOf(ctor);
  if (!chain) return true;
  return chain.some((p) => !INTRINSIC.has(p) && own(p, Symbol.hasInstance) !== undefined);
}

/** Prototypes whose custom inspect hook is ts-pdb's own (see {@link trustHooks}): called even with hooks off. */
const TRUSTED = new Set<object>();

/**
 * Marks the `[util.inspect.custom]` hook of `proto` as ts-pdb's own: views call it even when they
 * do not call the program's hooks (format.ts's `<uninitialized>` placeholder).
 */
export function trustHooks(proto: object): void {
  TRUSTED.add(proto);
}

/** The custom inspect hook of an object, found through descriptors: `'accessor'` when it is a getter. */
interface Hook {
  fn: Function | 'accessor';
  /** ts-pdb's own hook (see {@link trustHooks}). */
  trusted: boolean;
}

function hookOf(chain: object[]): Hook | undefined {
  for (const p of chain) {
    const d = own(p, CUSTOM);
    if (!d) continue;
    if (!('value' in d)) return { fn: 'accessor', trusted: false };
    return typeof d.value === 'function' && d.value !== inspect ? { fn: d.value as Function, trusted: TRUSTED.has(p) } : undefined;
  }
  return undefined;
}

/** The hook inspect will call (the program's when `hooks`, ts-pdb's own always), or undefined. */
function usableHook(hook: Hook | undefined, hooks: boolean): Function | undefined {
  if (!hook || hook.fn === 'accessor') return undefined;
  return hooks || hook.trusted ? hook.fn : undefined;
}

/** Built-in objects whose content lives in internal slots: a copy made of their properties would show nothing of it. */
function isExotic(o: object): boolean {
  return (
    types.isDate(o) ||
    types.isPromise(o) ||
    types.isTypedArray(o) ||
    types.isAnyArrayBuffer(o) ||
    types.isDataView(o) ||
    types.isWeakMap(o) ||
    types.isWeakSet(o) ||
    types.isBoxedPrimitive(o) ||
    types.isMapIterator(o) ||
    types.isSetIterator(o) ||
    types.isGeneratorObject(o) ||
    types.isModuleNamespaceObject(o)
  );
}

/**
 * True when inspect, formatting `o` itself (not its children), would run program code or do
 * unbounded work. `hooked`: the object has a hook inspect will call instead of walking it.
 */
function ownHazard(o: object, chain: object[], hooked: boolean): boolean {
  if (hooked) return chain.some((p) => isAccessor(p, 'constructor'));
  const isMapOrSet = types.isMap(o) || types.isSet(o);
  const isError = types.isNativeError(o) || chain.includes(Error.prototype);
  for (const p of chain) {
    if (INTRINSIC.has(p)) continue;
    if (isAccessor(p, TAG) || isAccessor(p, 'constructor') || isAccessor(p, CUSTOM)) return true;
    if (p !== o) {
      const ctor = own(p, 'constructor');
      if (ctor && 'value' in ctor && typeof ctor.value === 'function' && constructorHazard(ctor.value as Function)) return true;
    }
    if (isMapOrSet && (own(p, 'size') !== undefined || own(p, Symbol.iterator) !== undefined)) return true;
    if (types.isRegExp(o) && p !== o) return true;
    if (types.isTypedArray(o) && own(p, 'length') !== undefined) return true;
    if (isError) {
      for (const key of ['name', 'message', 'stack', 'cause', 'errors']) {
        const d = own(p, key);
        if (!d) continue;
        if (!('value' in d)) {
          if (key === 'stack' && V8_STACK_GET !== undefined && d.get === V8_STACK_GET) continue;
          return true;
        }
        // inspect turns these into strings (`String(err.name)`): an object's toString is program code.
        if (key !== 'cause' && key !== 'errors' && d.value !== undefined && typeof d.value !== 'string') return true;
      }
    }
  }
  if (typeof o === 'function' && constructorHazard(o)) return true;
  if (typeof o === 'function' && /^class\b/.test(Function.prototype.toString.call(o))) {
    // `class A extends B`: inspect prints B's name, read the ordinary way.
    const parent = Object.getPrototypeOf(o) as unknown;
    if (typeof parent === 'function' && parent !== Function.prototype && constructorHazard(parent)) return true;
  }
  return false;
}

/** Whether the keys of `o` that inspect would list are too many to walk. */
function tooManyKeys(o: object): boolean {
  if (Array.isArray(o) || types.isTypedArray(o)) return false;
  return Reflect.ownKeys(o).length > MAX_KEYS;
}

function isIndexKey(key: PropertyKey): boolean {
  return typeof key === 'string' && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

function arrayLength(o: object): number {
  if (types.isTypedArray(o)) return TYPED_LENGTH.call(o) as number;
  const d = own(o, 'length');
  return d && typeof d.value === 'number' ? d.value : 0;
}
const TYPED_LENGTH = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype) as object, 'length')!.get!;
const MAP_SIZE = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const SET_SIZE = Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;

/**
 * The own keys of `o` that inspect lists (enumerable ones, all in deep mode; for arrays the
 * non-index ones, skipped on huge arrays), and for errors `cause` and `errors` too.
 */
function shownKeys(o: object, deep: boolean): PropertyKey[] {
  const arrayLike = Array.isArray(o) || types.isTypedArray(o);
  if (arrayLike && arrayLength(o) > EXTRA_PROPS_LIMIT) return [];
  const out: PropertyKey[] = [];
  for (const key of Reflect.ownKeys(o)) {
    if (arrayLike && (isIndexKey(key) || key === 'length')) continue;
    if (deep) {
      out.push(key);
      continue;
    }
    const d = own(o, key);
    const errorLink = (key === 'cause' || key === 'errors') && (types.isNativeError(o) || o instanceof Error);
    if (d && (d.enumerable || errorLink)) out.push(key);
  }
  return out;
}

/** Calls `visit` with each value inspect would format as a child of `o` (data properties only). */
function forEachChild(o: object, limits: ViewLimits, keys: PropertyKey[], visit: (child: unknown) => void): void {
  if (Array.isArray(o)) {
    const n = Math.min(arrayLength(o), limits.maxArrayLength);
    for (let i = 0; i < n; i++) {
      const d = own(o, i);
      if (d && 'value' in d) visit(d.value);
    }
  } else if (types.isMap(o) || types.isSet(o)) {
    const isMap = types.isMap(o);
    const it = isMap ? Map.prototype.entries.call(o) : Set.prototype.values.call(o);
    let i = 0;
    for (let step = it.next(); !step.done && i < limits.maxArrayLength; step = it.next(), i++) {
      if (isMap) {
        const [k, v] = step.value as [unknown, unknown];
        visit(k);
        visit(v);
      } else {
        visit(step.value);
      }
    }
  }
  for (const key of keys) {
    const d = own(o, key);
    if (d && 'value' in d) visit(d.value);
  }
}

/** Thrown inside a scan when the budget runs out. */
const OVER_BUDGET = Symbol('over budget');

/** The result of the scan: which objects can be shown as they are, and whether any cannot. */
interface Scan {
  hazard: boolean;
  /** Objects whose whole shown subtree is safe, with the shallowest level they were checked at. */
  clean: Map<object, number>;
}

function scan(root: unknown, limits: ViewLimits): Scan {
  const clean = new Map<object, number>();
  const active = new Set<object>();
  let visits = 0;
  let hazard: boolean;
  // True when `v` (at `level`, the root being 0) and what inspect shows of it are safe.
  const walk = (v: unknown, level: number): boolean => {
    if (!isObject(v)) return true;
    const seen = clean.get(v);
    if (seen !== undefined && seen <= level) return true;
    // A cycle: safe only if the whole cycle is, which is not known yet; copies keep the cycle.
    if (active.has(v)) return false;
    // A sentinel, caught below and never let out: a symbol costs no stack trace at each throw.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (++visits > limits.budget) throw OVER_BUDGET;
    if (types.isProxy(v)) return false;
    const chain = chainOf(v);
    if (!chain) return false;
    const found = hookOf(chain);
    const hook = usableHook(found, limits.hooks);
    // A hook inspect would call but must not (hooks off), or one behind a getter.
    if (found && !hook) return false;
    let ok = !ownHazard(v, chain, hook !== undefined);
    // Inspect calls the hook instead of walking the object; past the depth it does not walk either.
    if (hook !== undefined || level > limits.depth) {
      if (ok) clean.set(v, level);
      return ok;
    }
    if (tooManyKeys(v)) return false;
    // The children of a hazardous object are scanned too: those found safe are shown as they are.
    active.add(v);
    forEachChild(v, limits, shownKeys(v, limits.deep), (child) => {
      if (!walk(child, level + 1)) ok = false;
    });
    active.delete(v);
    if (ok) clean.set(v, level);
    return ok;
  };
  try {
    hazard = !walk(root, 0);
  } catch (e) {
    if (e !== OVER_BUDGET) throw e;
    hazard = true;
  }
  return { hazard, clean };
}

/**
 * Stands for text computed when the view is formatted (a cut, a Proxy, a hook called safely).
 * inspect calls the hook; the stand-in itself holds nothing of the program's.
 */
class StandIn {
  constructor(private readonly render: (depth: number, options: object, insp: typeof inspect) => unknown) {}
  [CUSTOM](depth: number, options: object, insp: typeof inspect): unknown {
    return this.render(depth, options, insp);
  }
}

/** Text for a shallow stand-in: `[Config]`, as inspect shows an object past its depth. */
function bracketName(o: object): string {
  const label = className(o) ?? (Array.isArray(o) ? 'Array' : typeof o === 'function' ? 'Function' : 'Object');
  return `[${label}]`;
}

/** The class name inspect would show (the first named constructor up the chain), read through descriptors. */
function className(o: object): string | undefined {
  const chain = chainOf(o) ?? [];
  for (const p of chain.slice(p0(o))) {
    const d = own(p, 'constructor');
    const name = d && 'value' in d && typeof d.value === 'function' ? own(d.value as object, 'name') : undefined;
    if (name && 'value' in name && typeof name.value === 'string' && name.value) return name.value;
  }
  return undefined;
}
// An object's own `constructor` property does not name it (inspect starts at the object too, but a
// plain object's own `constructor` is rare and a prototype's names its class).
const p0 = (o: object): number => (typeof o === 'function' ? 1 : 0);

/**
 * Inserts `note` as a last entry of the text inspect made for an object or collection
 * (`{ a, b }` → `{ a, b, note }`; multi-line likewise), as its own `... 5 more items` would read.
 */
function withLastEntry(text: string, note: string): string {
  if (text.endsWith('\n}') || text.endsWith('\n]')) return `${text.slice(0, -2)},\n  ${note}\n${text.slice(-1)}`;
  if (text.endsWith('{}')) return `${text.slice(0, -1)} ${note} }`;
  if (text.endsWith(' }') || text.endsWith(' ]')) return `${text.slice(0, -2)}, ${note} ${text.slice(-1)}`;
  return `${text} ${note}`;
}

/** Builds the view of a value known to need one. */
class Copier {
  private readonly fakeProtos = new Map<object, object>();
  private readonly active = new Map<object, unknown>();
  private copies = 0;
  budgetCut = 0;

  constructor(
    private readonly limits: ViewLimits,
    private readonly clean: Map<object, number>,
  ) {}

  view(v: unknown, level: number): unknown {
    if (!isObject(v)) return v;
    // Below an object shown as `[Object]`, inspect formats nothing: the value stays as it is.
    if (level > this.limits.depth + 1) return v;
    const seen = this.clean.get(v);
    if (seen !== undefined && seen <= level) return v;
    const cycle = this.active.get(v);
    if (cycle !== undefined) return cycle;
    if (++this.copies > this.limits.budget) {
      this.budgetCut++;
      return new StandIn(() => bracketName(v));
    }
    if (types.isProxy(v)) return this.proxyStandIn(v);
    const chain = chainOf(v);
    if (!chain) return new StandIn(() => `${bracketName(v)} <prototype chain too long>`);
    const hook = usableHook(hookOf(chain), this.limits.hooks);
    if (hook) return this.hookStandIn(v, hook);
    if (typeof v === 'function') return this.functionCopy(v, level);
    if (types.isRegExp(v)) return regExpStandIn(v);
    if (isExotic(v)) return new StandIn(() => `${bracketName(v)} <not shown: displaying it would run the program's code>`);
    if (types.isMap(v) || types.isSet(v)) return this.collectionCopy(v, level);
    if (Array.isArray(v)) return this.arrayCopy(v, level);
    return this.objectCopy(v, level);
  }

  /** inspect shows a Proxy's target and handler without running a trap; they are still the program's objects. */
  private proxyStandIn(p: object): StandIn {
    return new StandIn((depth, options, insp) => {
      try {
        return insp(p, { ...options, depth, showProxy: true });
      } catch (fault) {
        return `Proxy [ <its target or handler cannot be displayed: ${faultText(fault)}> ]`;
      }
    });
  }

  /** The program's own hook, called on the program's object; what it returns gets a view too; if it throws, the object is shown without it. */
  private hookStandIn(o: object, hook: Function): StandIn {
    const limits = this.limits;
    return new StandIn((depth, options, insp) => {
      const without = (): string => insp(safeView(o, { ...limits, depth, hooks: false }).view, { ...options, depth });
      try {
        const r = hook.call(o, depth, options, insp) as unknown;
        if (r === o) return without();
        return typeof r === 'string' ? r : safeView(r, { ...limits, depth }).view;
      } catch {
        return without();
      }
    });
  }

  private functionCopy(fn: Function, level: number): unknown {
    const src = Function.prototype.toString.call(fn);
    const nameD = own(fn, 'name');
    const name = nameD && 'value' in nameD && typeof nameD.value === 'string' ? nameD.value : '';
    let copy: Function;
    if (/^class\b/.test(src)) {
      copy = class {};
      const parent = Object.getPrototypeOf(fn) as unknown;
      if (typeof parent === 'function' && parent !== Function.prototype) {
        const pd = own(parent, 'name');
        const fake = function () {};
        Object.defineProperty(fake, 'name', { value: pd && 'value' in pd && typeof pd.value === 'string' ? pd.value : '' });
        Object.setPrototypeOf(copy, fake);
      }
    } else if (types.isAsyncFunction(fn) && types.isGeneratorFunction(fn)) {
      copy = async function* () {};
    } else if (types.isAsyncFunction(fn)) {
      copy = async function () {};
    } else if (types.isGeneratorFunction(fn)) {
      copy = function* () {};
    } else if (own(fn, 'prototype')) {
      copy = function () {};
    } else {
      // A method or an arrow: no `prototype` of its own (the `inspect` command lists it).
      copy = () => {};
    }
    Object.defineProperty(copy, 'name', { value: name, configurable: true });
    this.copyKeys(fn, copy, level, ['length', 'name', 'prototype', 'caller', 'arguments']);
    return copy;
  }

  private collectionCopy(c: Map<unknown, unknown> | Set<unknown>, level: number): unknown {
    const isMap = types.isMap(c);
    const copy: Map<unknown, unknown> | Set<unknown> = isMap ? new Map() : new Set();
    this.active.set(c, copy);
    const size = (isMap ? MAP_SIZE : SET_SIZE).call(c) as number;
    // Past the depth too: inspect shows an empty collection as `Map(0) {}` rather than `[Map]`.
    const it = isMap ? Map.prototype.entries.call(c) : Set.prototype.values.call(c);
    let i = 0;
    for (let step = it.next(); !step.done && i < this.limits.maxArrayLength; step = it.next(), i++) {
      if (isMap) {
        const [k, val] = step.value as [unknown, unknown];
        Map.prototype.set.call(copy, this.view(k, level + 1), this.view(val, level + 1));
      } else {
        Set.prototype.add.call(copy, this.view(step.value, level + 1));
      }
    }
    this.copyKeys(c, copy, level, []);
    this.adopt(c, copy);
    this.active.delete(c);
    const shown = (isMap ? MAP_SIZE : SET_SIZE).call(copy) as number;
    if (level > this.limits.depth || size <= shown) return copy;
    // The copy holds the first entries: it says the real size and how many are not shown.
    return new StandIn((depth, options, insp) => {
      const text = insp(copy, { ...options, depth });
      const brace = text.indexOf('{');
      const head = brace < 0 ? text : text.slice(0, brace).replace(`(${shown})`, `(${size})`);
      return withLastEntry(head + (brace < 0 ? '' : text.slice(brace)), `... ${size - shown} more item${size - shown === 1 ? '' : 's'}`);
    });
  }

  private arrayCopy(a: unknown[], level: number): unknown[] {
    const length = arrayLength(a);
    // As long as the original, holes and all: inspect then says `... 999900 more items` itself.
    const copy = new Array<unknown>(length);
    this.active.set(a, copy);
    const n = Math.min(length, this.limits.maxArrayLength);
    for (let i = 0; i < n; i++) {
      const d = own(a, i);
      if (d) Object.defineProperty(copy, i, this.descriptor(a, d, level, true));
    }
    this.copyKeys(a, copy, level, ['length']);
    this.adopt(a, copy);
    this.active.delete(a);
    return copy;
  }

  private objectCopy(o: object, level: number): unknown {
    const copy: object = {};
    this.active.set(o, copy);
    // Past the depth too: inspect shows a plain object without keys as `{}` rather than `[Object]`.
    const more = this.copyKeys(o, copy, level, []);
    this.adopt(o, copy);
    this.active.delete(o);
    if (!more) return copy;
    return new StandIn((depth, options, insp) => withLastEntry(insp(copy, { ...options, depth }), `... ${more} more properties`));
  }

  /**
   * Copies the own properties of `from` onto `to` through descriptors (at most {@link SHOWN_KEYS}
   * when there are more than {@link MAX_KEYS}); values inspect shows get a view, the others are
   * kept (never formatted). Returns how many keys were left out.
   */
  private copyKeys(from: object, to: object, level: number, skip: PropertyKey[]): number {
    if ((Array.isArray(from) || types.isTypedArray(from)) && arrayLength(from) > EXTRA_PROPS_LIMIT) return 0;
    const shown = new Set(shownKeys(from, this.limits.deep));
    const arrayLike = Array.isArray(from);
    let keys = Reflect.ownKeys(from).filter((k) => !skip.includes(k) && !(arrayLike && isIndexKey(k)));
    // Errors keep their hidden message and stack (inspect reads them); others' hidden keys are never shown.
    if (!this.limits.deep && !types.isNativeError(from) && !(from instanceof Error)) keys = keys.filter((k) => shown.has(k) || k === TAG);
    let more = 0;
    if (keys.length > MAX_KEYS) {
      more = keys.length - SHOWN_KEYS;
      keys = keys.slice(0, SHOWN_KEYS);
    }
    for (const key of keys) {
      const d = own(from, key);
      if (!d) continue;
      try {
        Object.defineProperty(to, key, this.descriptor(from, d, level, shown.has(key), key));
      } catch {
        // a key the copy cannot take (a function's own non-configurable one): not shown
      }
    }
    return more;
  }

  /** A descriptor for the copy: data values get a view; getters never run (or, in deep mode, run on the original object). */
  private descriptor(from: object, d: PropertyDescriptor, level: number, shown: boolean, key?: PropertyKey): PropertyDescriptor {
    const base = { enumerable: d.enumerable, configurable: true };
    if ('value' in d) {
      let value: unknown = shown ? this.view(d.value, level + 1) : d.value;
      // The program's own hook, with hooks off: a function that hands the object back to inspect.
      if (key === CUSTOM && typeof d.value === 'function') value = returnThis(d.value as Function);
      return { ...base, writable: true, value };
    }
    // inspect reads these itself, outside its try/catch for getters: never the program's getter.
    const inert = !this.limits.deep || key === TAG || key === 'constructor' || key === CUSTOM;
    const get = d.get ? (!inert ? callThrough(d.get, from) : this.limits.deep ? notCalledGetter : inertGetter) : undefined;
    return { ...base, get, set: d.set ? inertSetter : undefined };
  }

  /** Gives the copy a prototype chain that names it as the original's does, without any of the program's code. */
  private adopt(original: object, copy: object): void {
    const proto = Object.getPrototypeOf(original) as object | null;
    const fake = this.fakeProto(proto, 0);
    if (Object.getPrototypeOf(copy) !== fake) Object.setPrototypeOf(copy, fake);
  }

  private fakeProto(p: object | null, depth: number): object | null {
    if (p === null || INTRINSIC.has(p)) return p;
    const known = this.fakeProtos.get(p);
    if (known) return known;
    if (depth > MAX_CHAIN) return null;
    const fake = Object.create(this.fakeProto(Object.getPrototypeOf(p) as object | null, depth + 1)) as object;
    this.fakeProtos.set(p, fake);
    const ctor = own(p, 'constructor');
    if (ctor && 'value' in ctor && typeof ctor.value === 'function') {
      const nd = own(ctor.value as object, 'name');
      const stand = function () {};
      Object.defineProperty(stand, 'name', { value: nd && 'value' in nd && typeof nd.value === 'string' ? nd.value : '' });
      stand.prototype = fake;
      Object.defineProperty(fake, 'constructor', { value: stand, enumerable: false, configurable: true, writable: true });
    }
    return fake;
  }
}

/** `/a+/g`, or `MyPattern /a+/g`, through the built-in getters (a subclass may redefine `source` and `flags`). */
function regExpStandIn(re: object): StandIn {
  // Each flag through its own built-in getter: the generic `flags` getter reads them the ordinary way.
  const builtin = (key: string): unknown => Object.getOwnPropertyDescriptor(RegExp.prototype, key)?.get?.call(re);
  const flags = [
    ['hasIndices', 'd'],
    ['global', 'g'],
    ['ignoreCase', 'i'],
    ['multiline', 'm'],
    ['dotAll', 's'],
    ['unicode', 'u'],
    ['unicodeSets', 'v'],
    ['sticky', 'y'],
  ]
    .map(([key, f]) => (builtin(key) === true ? f : ''))
    .join('');
  const name = className(re);
  return new StandIn(() => `${name && name !== 'RegExp' ? `${name} ` : ''}/${String(builtin('source'))}/${flags}`);
}

function inertGetter(): undefined {
  return undefined;
}
/** What the `inspect` command shows for a getter it does not call (inspect reads these keys itself, outside its own try/catch). */
const NOT_CALLED = new StandIn(() => '<not called: a getter ts-pdb does not run>');
function notCalledGetter(): unknown {
  return NOT_CALLED;
}
function inertSetter(): void {}

/** A getter for deep mode: the program's getter, on the program's object (inspect catches what it throws). */
function callThrough(get: () => unknown, receiver: object): () => unknown {
  return () => Reflect.apply(get, receiver, []);
}

/** Shows like the program's hook (same name) but hands the object back: inspect then formats it plainly. */
function returnThis(fn: Function): Function {
  const nd = own(fn, 'name');
  const f = function (this: unknown): unknown {
    return this;
  };
  Object.defineProperty(f, 'name', { value: nd && 'value' in nd && typeof nd.value === 'string' ? nd.value : '' });
  return f;
}

function faultText(fault: unknown): string {
  try {
    if (types.isNativeError(fault)) {
      const m = own(fault, 'message');
      return `${className(fault) ?? 'Error'}: ${m && 'value' in m ? String(m.value) : ''}`;
    }
    return typeof fault === 'string' ? fault : typeof fault;
  } catch {
    return 'unknown fault';
  }
}

/**
 * The view of `value` for `util.inspect` with the same limits: the value itself when formatting
 * it runs none of the program's code (but its `[util.inspect.custom]` hooks, when `hooks`) and
 * is bounded; else a copy that prints the same where it can and says what it cut. Throws only on
 * a fault of its own.
 */
export function safeView(value: unknown, limits: ViewLimits): View {
  if (!isObject(value)) return { view: value, budgetCut: 0 };
  const s = scan(value, limits);
  if (!s.hazard) return { view: value, budgetCut: 0 };
  const copier = new Copier(limits, s.clean);
  const view = copier.view(value, 0);
  return { view, budgetCut: copier.budgetCut };
}

/**
 * The readers of this view, for the snapshot's encoder (runtime/snapshot/encode-values.ts), which
 * must read a value exactly as safely: through descriptors, the built-in iterators and getters,
 * never a getter, a Proxy trap, a `toString` or a hook of the program.
 */
export const safeReaders = {
  /** The own property descriptor (an unreadable one reads as an accessor that is never called); never throws. */
  own,
  /** The prototype chain, the object first; undefined when absurdly long. */
  chainOf,
  /** The class name inspect would show, read through descriptors. */
  className,
  /** Built-in objects whose content lives in internal slots (Date, Promise, typed arrays, ...). */
  isExotic,
  /** An array's or typed array's length, through descriptors or the built-in getter. */
  arrayLength,
  /** True for a prototype of the language or of Node (its accessors are built-in code). */
  isIntrinsic: (p: object): boolean => INTRINSIC.has(p),
  /** True when the chain holds a `[util.inspect.custom]` hook (a function or an accessor); the program's or ts-pdb's. */
  hasHook: (chain: object[]): boolean => hookOf(chain) !== undefined,
  /** V8's own `stack` accessor (Node 21 and later), which is not program code; undefined on Node 20. */
  v8StackGetter: V8_STACK_GET,
  /** A Map's or Set's size through the built-in getter. */
  collectionSize: (c: Map<unknown, unknown> | Set<unknown>): number => (types.isMap(c) ? MAP_SIZE : SET_SIZE).call(c) as number,
  /** A RegExp's source and flags through the built-in getters (a subclass may redefine them). */
  regExpParts(re: object): { source: string; flags: string } {
    const builtin = (key: string): unknown => Object.getOwnPropertyDescriptor(RegExp.prototype, key)?.get?.call(re);
    const flags = REGEXP_FLAGS.map(([key, f]) => (builtin(key) === true ? f : '')).join('');
    return { source: String(builtin('source')), flags };
  },
};
const REGEXP_FLAGS = [
  ['hasIndices', 'd'],
  ['global', 'g'],
  ['ignoreCase', 'i'],
  ['multiline', 'm'],
  ['dotAll', 's'],
  ['unicode', 'u'],
  ['unicodeSets', 'v'],
  ['sticky', 'y'],
];
