/**
 * The value-graph encoder of a snapshot: live values (locals, `this`, module bindings, the error
 * chain) to the JSON graph of snapshot-format.ts. Every object gets an id, so identity and cycles
 * survive; objects are encoded breadth first over all the roots, so a budget that runs out cuts the
 * deepest parts of the biggest values, never a frame or a local.
 *
 * Values are read as the page's view reads them (render/safe-view.ts `safeReaders`): through
 * property descriptors, the built-in Map and Set iterators and the built-in getters of Date,
 * RegExp, typed arrays and buffers. No getter, Proxy trap, `toString`, `valueOf` or
 * `[util.inspect.custom]` hook of the program runs. A getter is recorded as a getter; a Proxy as
 * the text the live display gives it (no trap runs for that either); a function as its source text.
 */
import { types } from 'node:util';
import { UNAVAILABLE, UNINITIALIZED } from '../records';
import { formatValue, typeName } from '../render/format';
import { safeReaders } from '../render/safe-view';
import { isSecretName } from './redaction';
import type { FunctionKind, Prop, Ref, ValueNode } from './snapshot-format';

const { own, chainOf, className, isExotic, arrayLength, isIntrinsic, hasHook, v8StackGetter, collectionSize, regExpParts } = safeReaders;

/** The limits of an encoding. */
export interface EncodeLimits {
  /** Bytes of JSON the value graph may take (the rest of the budget is frames and sources). Default 5 MB. */
  maxBytes?: number;
  /** Nesting levels recorded below a root (a local is level 0); deeper objects are cut. Default 32. */
  maxDepth?: number;
  /** Items of an array, Map, Set or typed array, and own keys of an object, recorded. Default 1000. */
  maxBreadth?: number;
  /** Characters of a string recorded; a longer one is cut. Default 8192. */
  maxString?: number;
  /** Characters of a function's source recorded. Default 20,000. */
  maxSource?: number;
  /** True for a property or binding name whose value must not be written (IPDB_REDACT). Default: none. */
  redact?: (name: string) => boolean;
}

/** Counts of what the limits cut. */
export interface EncodeCounts {
  bytes: number;
  cutDepth: number;
  cutSize: number;
  cutStrings: number;
  cutBreadth: number;
  redacted: number;
}

interface Pending {
  value: object;
  id: number;
  depth: number;
}

/** The encoder of one snapshot's values: hand it roots with {@link ref}, then {@link finish}. */
export class ValueEncoder {
  readonly values: ValueNode[] = [];
  readonly counts: EncodeCounts = { bytes: 0, cutDepth: 0, cutSize: 0, cutStrings: 0, cutBreadth: 0, redacted: 0 };
  private readonly ids = new Map<object, number>();
  private readonly symbols = new Map<symbol, number>();
  private queue: Pending[] = [];
  private readonly limits: Required<EncodeLimits>;

  constructor(limits: EncodeLimits = {}) {
    this.limits = {
      maxBytes: limits.maxBytes ?? 5 * 1024 * 1024,
      maxDepth: limits.maxDepth ?? 32,
      maxBreadth: limits.maxBreadth ?? 1000,
      maxString: limits.maxString ?? 8192,
      maxSource: limits.maxSource ?? 20_000,
      redact: limits.redact ?? (() => false),
    };
  }

  /** True when `name`'s value must not be written. */
  redacts(name: string): boolean {
    try {
      return this.limits.redact(name);
    } catch {
      return true;
    }
  }

  /** The ref of a root value (a local, `this`, a module binding, an error of the chain); its objects are encoded by {@link finish}. */
  root(value: unknown, name?: string): Ref {
    if (name !== undefined && this.redacts(name)) {
      this.counts.redacted++;
      return ['R'];
    }
    return this.ref(value, 0);
  }

  /** Encodes what the roots lead to, breadth first, within the budget. Never throws for a value of the program. */
  finish(): ValueNode[] {
    while (this.queue.length) {
      const level = this.queue;
      this.queue = [];
      for (const p of level) this.values[p.id] = this.encodeNode(p);
    }
    return this.values;
  }

  private ref(v: unknown, depth: number): Ref {
    switch (typeof v) {
      case 'string':
        if (v.length <= this.limits.maxString) return v;
        this.counts.cutStrings++;
        return ['s', v.slice(0, this.limits.maxString), v.length];
      case 'number':
        if (Number.isNaN(v)) return ['n', 'NaN'];
        if (v === Infinity) return ['n', 'Infinity'];
        if (v === -Infinity) return ['n', '-Infinity'];
        if (Object.is(v, -0)) return ['n', '-0'];
        return v;
      case 'boolean':
        return v;
      case 'undefined':
        return ['u'];
      case 'bigint':
        return ['b', v.toString()];
      case 'symbol':
        return this.symbolRef(v);
      default:
        if (v === null) return null;
        return this.objectRef(v as object, depth);
    }
  }

  private symbolRef(s: symbol): Ref {
    if (s === UNINITIALIZED) return ['U'];
    if (s === UNAVAILABLE) return ['A'];
    let id = this.symbols.get(s);
    if (id === undefined) this.symbols.set(s, (id = this.symbols.size));
    const key = Symbol.keyFor(s);
    return key !== undefined ? ['y', key, id, 1] : ['y', s.description ?? null, id];
  }

  private objectRef(o: object, depth: number): Ref {
    const known = this.ids.get(o);
    if (known !== undefined) return ['o', known];
    // Cut here rather than given an id: a cut costs its parent a few bytes, and no node.
    if (depth > this.limits.maxDepth) {
      this.counts.cutDepth++;
      return ['c', 'depth', labelOf(o)];
    }
    if (this.counts.bytes > this.limits.maxBytes) {
      this.counts.cutSize++;
      return ['c', 'size', labelOf(o)];
    }
    // What it costs if it is cut when its turn comes: the queue cannot outgrow the budget.
    this.counts.bytes += RESERVED;
    return ['o', this.idOf(o, depth)];
  }

  private idOf(o: object, depth: number): number {
    const id = this.values.length;
    this.ids.set(o, id);
    // Reserved now, so that refs to it stay valid whatever the budget does to it.
    this.values.push({ t: 'cut', why: 'size', label: '[Object]' });
    this.queue.push({ value: o, id, depth });
    return id;
  }

  private encodeNode(p: Pending): ValueNode {
    let node: ValueNode;
    if (this.counts.bytes > this.limits.maxBytes) {
      this.counts.cutSize++;
      node = { t: 'cut', why: 'size', label: labelOf(p.value) };
    } else {
      try {
        node = this.encodeObject(p.value, p.depth + 1);
      } catch (fault) {
        // A fault of ours on a strange value: it is described, and the snapshot goes on.
        node = { t: 'opaque', type: 'object', text: `<not recorded: ${String((fault as Error)?.message ?? fault)}>` };
      }
    }
    this.counts.bytes += jsonSize(node);
    return node;
  }

  private encodeObject(o: object, depth: number): ValueNode {
    if (types.isProxy(o)) return { t: 'opaque', type: 'Proxy (object)', text: formatValue(o, { maxLength: 2000 }) };
    const chain = chainOf(o);
    if (!chain) return { t: 'opaque', type: 'object', text: `${labelOf(o)} <prototype chain too long>` };
    const cls: string[] = [];
    const methods: string[][] = [];
    let base: string | null = null;
    for (const proto of chain.slice(1)) {
      if (isIntrinsic(proto)) {
        base = ctorName(proto) ?? 'Object';
        break;
      }
      cls.push(ctorName(proto) ?? '');
      methods.push(methodNames(proto, this.limits.maxBreadth));
    }
    const hasMethods = methods.some((m) => m.length);
    const common = {
      ...(cls.length ? { cls } : {}),
      ...(hasMethods ? { methods } : {}),
      ...(base !== defaultBase(o) ? { base } : {}),
      ...(hasHook(chain) ? { hook: 1 as const } : {}),
    };
    // A class's chain is its parent classes: `ext` names the one inspect shows.
    if (typeof o === 'function') return { t: 'function', ...this.functionOf(o), ...this.props(o, depth, FN_SKIP) };
    if (types.isNativeError(o) || chain.includes(Error.prototype))
      return { t: 'error', ...errorFields(o, chain), ...common, ...this.props(o, depth, ['stack', 'message'], true) };
    if (types.isRegExp(o)) return { t: 'regexp', ...regExpParts(o), ...common, ...this.props(o, depth, ['lastIndex']) };
    if (types.isDate(o)) {
      const time = DATE_TIME.call(o);
      return { t: 'date', time: Number.isNaN(time) ? null : time, ...common, ...this.props(o, depth, []) };
    }
    if (types.isMap(o) || types.isSet(o)) return this.collection(o, depth, common);
    if (Array.isArray(o)) return this.array(o, depth, common);
    if (types.isTypedArray(o)) return this.typed(o, depth, common);
    if (types.isAnyArrayBuffer(o)) {
      const len = (types.isArrayBuffer(o) ? AB_LENGTH : SAB_LENGTH).call(o) as number;
      const bytes = new Uint8Array(o as ArrayBuffer, 0, Math.min(len, this.limits.maxBreadth));
      return {
        t: 'buffer',
        ctor: types.isArrayBuffer(o) ? 'ArrayBuffer' : 'SharedArrayBuffer',
        len,
        hex: Buffer.from(bytes).toString('hex'),
        ...common,
      };
    }
    if (isExotic(o)) return { t: 'opaque', type: typeName(o), text: formatValue(o, { maxLength: 2000 }) };
    return { t: 'object', ...common, ...this.props(o, depth, []) };
  }

  private functionOf(fn: Function): { kind: FunctionKind; name: string; src: string; ext?: string } {
    let src: string;
    try {
      src = Function.prototype.toString.call(fn);
    } catch {
      src = '<source not available>';
    }
    const nd = own(fn, 'name');
    const name = nd && 'value' in nd && typeof nd.value === 'string' ? nd.value : '';
    const isClass = /^class\b/.test(src);
    const kind: FunctionKind = isClass
      ? 'class'
      : types.isAsyncFunction(fn) && types.isGeneratorFunction(fn)
        ? 'asyncgen'
        : types.isAsyncFunction(fn)
          ? 'async'
          : types.isGeneratorFunction(fn)
            ? 'generator'
            : own(fn, 'prototype')
              ? 'function'
              : 'arrow';
    const out: { kind: FunctionKind; name: string; src: string; ext?: string } = { kind, name, src: src.slice(0, this.limits.maxSource) };
    if (src.length > this.limits.maxSource)
      out.src += `\n/* ... ${src.length - this.limits.maxSource} more characters not in the snapshot */`;
    if (isClass) {
      const parent = Object.getPrototypeOf(fn) as unknown;
      if (typeof parent === 'function' && parent !== Function.prototype && !types.isProxy(parent)) {
        const pd = own(parent, 'name');
        out.ext = pd && 'value' in pd && typeof pd.value === 'string' ? pd.value : '';
      }
    }
    return out;
  }

  /**
   * The own properties to record: the enumerable ones (all, `hidden`, for an error: its `cause`
   * and `errors` are not enumerable), at most the breadth cap; accessors as accessors.
   */
  private props(o: object, depth: number, skip: PropertyKey[], hidden = false): { props?: Prop[]; more?: number } {
    const isArrayLike = Array.isArray(o) || types.isTypedArray(o);
    if (isArrayLike && arrayLength(o) > 10_000) return {};
    const props: Prop[] = [];
    let more = 0;
    // A local that holds process.env itself (`const env = process.env`) is the environment: its
    // secrets are redacted as the environment's are, with or without IPDB_REDACT.
    const isEnv = o === process.env;
    for (const key of Reflect.ownKeys(o)) {
      if (skip.includes(key) || (isArrayLike && (isIndexKey(key) || key === 'length'))) continue;
      const d = own(o, key);
      if (!d || (!d.enumerable && !hidden)) continue;
      if (props.length >= this.limits.maxBreadth) {
        more++;
        continue;
      }
      const k = typeof key === 'symbol' ? (this.symbolRef(key) as Prop[0]) : key;
      const flags = `${d.enumerable ? '' : 'h'}${'value' in d ? '' : `${d.get ? 'g' : ''}${d.set ? 's' : ''}`}`;
      let value: Ref = null;
      if ('value' in d) {
        // A symbol key is named by its description (`[Symbol(password)]`).
        const name = typeof key === 'string' ? key : key.description;
        if (name !== undefined && (this.redacts(name) || (isEnv && isSecretName(name)))) {
          this.counts.redacted++;
          value = ['R'];
        } else {
          value = this.ref(d.value, depth);
        }
      }
      props.push(flags ? [k, value, flags] : [k, value]);
    }
    if (more) this.counts.cutBreadth++;
    return { ...(props.length ? { props } : {}), ...(more ? { more } : {}) };
  }

  private array(a: unknown[], depth: number, common: object): ValueNode {
    const len = arrayLength(a);
    const n = Math.min(len, this.limits.maxBreadth);
    if (len > n) this.counts.cutBreadth++;
    const items: Ref[] = [];
    for (let i = 0; i < n; i++) {
      const d = own(a, i);
      if (!d) items.push(['h']);
      else if ('value' in d) items.push(this.ref(d.value, depth));
      // An accessor on an index: recorded as a hole (a getter is never called).
      else items.push(['h']);
    }
    return { t: 'array', len, items, ...common, ...this.props(a, depth, []) };
  }

  private typed(a: object, depth: number, common: object): ValueNode {
    const len = arrayLength(a);
    const n = Math.min(len, this.limits.maxBreadth);
    if (len > n) this.counts.cutBreadth++;
    // Indexes of a typed array are its own integer-indexed slots: no getter of the program.
    const view = a as unknown as ArrayLike<number | bigint>;
    const items: Ref[] = [];
    for (let i = 0; i < n; i++) items.push(this.ref(view[i], depth));
    const ctor = typedName(a);
    return { t: 'typed', ctor, len, items, ...common, ...this.props(a, depth, []) };
  }

  private collection(c: Map<unknown, unknown> | Set<unknown>, depth: number, common: object): ValueNode {
    const size = collectionSize(c);
    if (size > this.limits.maxBreadth) this.counts.cutBreadth++;
    let i = 0;
    if (types.isMap(c)) {
      const entries: [Ref, Ref][] = [];
      const it = Map.prototype.entries.call(c);
      for (let step = it.next(); !step.done && i < this.limits.maxBreadth; step = it.next(), i++) {
        const [k, v] = step.value as [unknown, unknown];
        entries.push([this.ref(k, depth), this.ref(v, depth)]);
      }
      return { t: 'map', size, entries, ...common, ...this.props(c, depth, []) };
    }
    const items: Ref[] = [];
    const it = Set.prototype.values.call(c);
    for (let step = it.next(); !step.done && i < this.limits.maxBreadth; step = it.next(), i++) items.push(this.ref(step.value, depth));
    return { t: 'set', size, items, ...common, ...this.props(c, depth, []) };
  }
}

/** Bytes counted for an object when it is given an id: about what its node takes if the budget cuts it. Default 48. */
const RESERVED = 48;
const FN_SKIP: PropertyKey[] = ['length', 'name', 'prototype', 'caller', 'arguments'];
const DATE_TIME = Date.prototype.getTime;
const AB_LENGTH = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
const SAB_LENGTH = Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength')!.get!;
const TYPED_TAG = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype) as object, Symbol.toStringTag)!.get!;

function typedName(a: object): string {
  const tag: unknown = TYPED_TAG.call(a);
  return typeof tag === 'string' ? tag : 'Uint8Array';
}

/** The kind's own built-in prototype, not written when the chain ends there. */
function defaultBase(o: object): string | null {
  if (typeof o === 'function') return 'Function';
  if (Array.isArray(o)) return 'Array';
  if (types.isMap(o)) return 'Map';
  if (types.isSet(o)) return 'Set';
  if (types.isDate(o)) return 'Date';
  if (types.isRegExp(o)) return 'RegExp';
  if (types.isTypedArray(o)) return typedName(o);
  if (types.isArrayBuffer(o)) return 'ArrayBuffer';
  return 'Object';
}

/** The name of a prototype's `constructor`, through descriptors. */
function ctorName(proto: object): string | undefined {
  const d = own(proto, 'constructor');
  if (!d || !('value' in d) || typeof d.value !== 'function') return undefined;
  const nd = own(d.value as object, 'name');
  return nd && 'value' in nd && typeof nd.value === 'string' ? nd.value : undefined;
}

/** Names of a prototype's own methods (data properties holding functions), but `constructor`: restored as functions that cannot run. */
function methodNames(proto: object, max: number): string[] {
  const out: string[] = [];
  for (const key of Reflect.ownKeys(proto)) {
    if (typeof key !== 'string' || key === 'constructor' || out.length >= max) continue;
    const d = own(proto, key);
    if (d && 'value' in d && typeof d.value === 'function') out.push(key);
  }
  return out;
}

/** `[Config]`, as inspect shows an object past its depth: what a cut leaves. */
function labelOf(o: object): string {
  try {
    if (types.isProxy(o)) return '[Proxy]';
    const name = className(o);
    return `[${name ?? (Array.isArray(o) ? 'Array' : typeof o === 'function' ? 'Function' : 'Object')}]`;
  } catch {
    return '[Object]';
  }
}

/** An error's name (a data property up the chain), message and stack, never through a getter of the program. */
function errorFields(o: object, chain: object[]): { name?: string; message?: string; stack?: string } {
  const out: { name?: string; message?: string; stack?: string } = {};
  for (const p of chain) {
    const d = own(p, 'name');
    if (!d) continue;
    if ('value' in d && typeof d.value === 'string') out.name = d.value;
    break;
  }
  const m = own(o, 'message');
  if (m && 'value' in m && typeof m.value === 'string') out.message = m.value;
  const s = own(o, 'stack');
  if (s && 'value' in s && typeof s.value === 'string') out.stack = s.value;
  else if (s && v8StackGetter && s.get === v8StackGetter) {
    try {
      const text: unknown = Reflect.apply(v8StackGetter, o, []);
      if (typeof text === 'string') out.stack = text;
    } catch {
      // its stack cannot be formatted: recorded without it
    }
  }
  return out;
}

function isIndexKey(key: PropertyKey): boolean {
  return typeof key === 'string' && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** The length of a node's JSON: what it adds to the file. */
function jsonSize(node: ValueNode): number {
  try {
    return JSON.stringify(node).length;
  } catch {
    return 0;
  }
}
