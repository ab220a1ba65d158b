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
import { inspect, types } from 'node:util';
import { UNAVAILABLE, UNINITIALIZED } from '../records';
import { safeReaders } from '../render/safe-view';
import { isSecretName } from './redaction';
import { rememberNodeTexts } from './snapshot-json';
import type { FunctionKind, NodeBase, Prop, Ref, ValueNode } from './snapshot-format';

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
  /** The JSON of each node of {@link values}, made as it is encoded (undefined: it has none). */
  private readonly texts: (string | undefined)[] = [];
  /** What each prototype chain met says (null: too long), by the chain's first prototype. */
  private readonly chains = new Map<object, ChainFacts | null>();
  /** The environment: a local that holds it is redacted as the environment is. */
  private readonly env = process.env;

  constructor(limits: EncodeLimits = {}) {
    this.limits = {
      maxBytes: limits.maxBytes ?? 5 * 1024 * 1024,
      maxDepth: limits.maxDepth ?? 32,
      maxBreadth: limits.maxBreadth ?? 1000,
      maxString: limits.maxString ?? 8192,
      maxSource: limits.maxSource ?? 20_000,
      redact: limits.redact ?? NO_REDACT,
    };
  }

  /** True when `name`'s value must not be written. */
  redacts(name: string): boolean {
    if (this.limits.redact === NO_REDACT) return false;
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
    rememberNodeTexts(this.values, this.texts);
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
    // Its JSON is what it adds to the file: made once, counted here and written as it is (snapshot-json.ts).
    const text = jsonText(node);
    this.texts[p.id] = text;
    this.counts.bytes += text === undefined ? 0 : text.length;
    return node;
  }

  /**
   * The node of one object. The kind is told by the fewest checks that tell it (an array by one),
   * and what its prototype chain says comes from {@link chainFacts}, worked out once for all the
   * objects that share the chain: most of a snapshot is many objects of few shapes.
   */
  private encodeObject(o: object, depth: number): ValueNode {
    if (types.isProxy(o)) return { t: 'opaque', type: 'Proxy (object)', text: format().formatValue(o, { maxLength: 2000 }) };
    const facts = this.chainFacts(Object.getPrototypeOf(o) as object | null);
    if (!facts) return { t: 'opaque', type: 'object', text: `${labelOf(o)} <prototype chain too long>` };
    // The first `[util.inspect.custom]` up the chain decides (render/safe-view.ts `hookOf`): the object's own, else its chain's.
    const own0 = own(o, CUSTOM);
    const hook = own0 ? !('value' in own0) || (typeof own0.value === 'function' && own0.value !== inspect) : facts.hook;
    if (typeof o === 'function') {
      // A class's chain is its parent classes: `ext` names the one inspect shows.
      const node = { t: 'function', ...this.functionOf(o) } as ValueNode & { t: 'function' };
      this.props(node, o, depth, FN_SKIP, false, false, 0);
      return node;
    }
    if (Array.isArray(o)) {
      if (facts.error) return this.error(o, depth, facts, hook);
      return this.array(o, depth, facts, hook);
    }
    if (o === Error.prototype || facts.error || types.isNativeError(o)) return this.error(o, depth, facts, hook);
    if (types.isRegExp(o)) {
      const node: ValueNode = { t: 'regexp', ...regExpParts(o) };
      this.common(node, facts, hook, 'RegExp');
      this.props(node, o, depth, REGEXP_SKIP, false, false, 0);
      return node;
    }
    if (types.isDate(o)) {
      const time = DATE_TIME.call(o);
      const node: ValueNode = { t: 'date', time: Number.isNaN(time) ? null : time };
      this.common(node, facts, hook, 'Date');
      this.props(node, o, depth, null, false, false, 0);
      return node;
    }
    if (types.isMap(o)) return this.map(o, depth, facts, hook);
    if (types.isSet(o)) return this.set(o, depth, facts, hook);
    if (types.isTypedArray(o)) return this.typed(o, depth, facts, hook);
    if (types.isAnyArrayBuffer(o)) {
      const isAB = types.isArrayBuffer(o);
      const len = (isAB ? AB_LENGTH : SAB_LENGTH).call(o) as number;
      const bytes = new Uint8Array(o as ArrayBuffer, 0, Math.min(len, this.limits.maxBreadth));
      const node: ValueNode = {
        t: 'buffer',
        ctor: isAB ? 'ArrayBuffer' : 'SharedArrayBuffer',
        len,
        hex: Buffer.from(bytes).toString('hex'),
      };
      this.common(node, facts, hook, isAB ? 'ArrayBuffer' : 'Object');
      return node;
    }
    if (isExotic(o)) return { t: 'opaque', type: format().typeName(o), text: format().formatValue(o, { maxLength: 2000 }) };
    const node: ValueNode = { t: 'object' };
    this.common(node, facts, hook, 'Object');
    this.props(node, o, depth, null, false, false, 0);
    return node;
  }

  /**
   * What the prototype chain from `proto` up says of every object whose prototype it is; undefined
   * when the chain is too long to be anything but hostile (render/safe-view.ts `chainOf`). Kept for
   * the encoding: nothing of the program runs meanwhile, so no chain changes.
   */
  private chainFacts(proto: object | null): ChainFacts | undefined {
    const key = proto ?? NULL_PROTO;
    let facts = this.chains.get(key);
    if (facts !== undefined) return facts ?? undefined;
    // The object itself is the first link of its chain, as safe-view counts it.
    const chain = proto === null ? [] : chainOf(proto);
    if (!chain || chain.length >= MAX_CHAIN) {
      this.chains.set(key, null);
      return undefined;
    }
    const cls: string[] = [];
    const methods: string[][] = [];
    let base: string | null = null;
    for (const p of chain) {
      if (isIntrinsic(p)) {
        base = ctorName(p) ?? 'Object';
        break;
      }
      cls.push(ctorName(p) ?? '');
      methods.push(methodNames(p, this.limits.maxBreadth));
    }
    facts = {
      cls,
      methods,
      hasMethods: methods.some((m) => m.length > 0),
      base,
      hook: hasHook(chain),
      error: chain.includes(Error.prototype),
    };
    this.chains.set(key, facts);
    return facts;
  }

  /** The fields every object node has from its chain, after its kind's own (the order JSON keeps). */
  private common(node: ValueNode, facts: ChainFacts, hook: boolean, kindBase: string | null): void {
    const n = node as NodeBase;
    if (facts.cls.length) n.cls = facts.cls;
    if (facts.hasMethods) n.methods = facts.methods;
    if (facts.base !== kindBase) n.base = facts.base;
    if (hook) n.hook = 1;
  }

  private error(o: object, depth: number, facts: ChainFacts, hook: boolean): ValueNode {
    const node: ValueNode = { t: 'error', ...errorFields(o) };
    this.common(node, facts, hook, defaultBase(o));
    const arrayLike = Array.isArray(o) || types.isTypedArray(o);
    this.props(node, o, depth, ERROR_SKIP, true, arrayLike, arrayLike ? arrayLength(o) : 0);
    return node;
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
   * Adds the own properties to record to `node` (`props`, and `more` past the breadth cap): the
   * enumerable ones (all, `hidden`, for an error: its `cause` and `errors` are not enumerable);
   * accessors as accessors. `arrayLike`: an array or typed array of `len` items, whose index keys
   * (and `length`) are its items, not properties.
   */
  private props(
    node: ValueNode,
    o: object,
    depth: number,
    skip: PropertyKey[] | null,
    hidden: boolean,
    arrayLike: boolean,
    len: number,
  ): void {
    if (arrayLike && len > 10_000) return;
    const keys = hidden || arrayLike ? Reflect.ownKeys(o) : enumerableFirst(o);
    let i = 0;
    // An array lists its indexes first, in order, then `length`: they are all skipped at once.
    if (arrayLike && Array.isArray(o)) i = Math.max(0, keys.indexOf('length'));
    let props: Prop[] | undefined;
    let more = 0;
    for (; i < keys.length; i++) {
      const key = keys[i];
      if (skip !== null && skip.includes(key)) continue;
      if (arrayLike && (key === 'length' || isIndexKey(key))) continue;
      const d = own(o, key);
      if (!d || (!d.enumerable && !hidden)) continue;
      props ??= [];
      if (props.length >= this.limits.maxBreadth) {
        more++;
        continue;
      }
      const k = typeof key === 'symbol' ? (this.symbolRef(key) as Prop[0]) : key;
      if (!('value' in d)) {
        const flags = `${d.enumerable ? '' : 'h'}${d.get ? 'g' : ''}${d.set ? 's' : ''}`;
        props.push(flags ? [k, null, flags] : [k, null]);
        continue;
      }
      let value: Ref;
      // A symbol key is named by its description (`[Symbol(password)]`).
      const name = typeof key === 'string' ? key : key.description;
      // A local that holds process.env itself (`const env = process.env`) is the environment: its
      // secrets are redacted as the environment's are, with or without IPDB_REDACT.
      if (name !== undefined && (this.redacts(name) || (o === this.env && isSecretName(name)))) {
        this.counts.redacted++;
        value = ['R'];
      } else {
        value = this.ref(d.value, depth);
      }
      props.push(d.enumerable ? [k, value] : [k, value, 'h']);
    }
    if (more) this.counts.cutBreadth++;
    if (props?.length) (node as NodeBase).props = props;
    if (more) (node as NodeBase).more = more;
  }

  private array(a: unknown[], depth: number, facts: ChainFacts, hook: boolean): ValueNode {
    const len = arrayLength(a);
    const n = Math.min(len, this.limits.maxBreadth);
    if (len > n) this.counts.cutBreadth++;
    const items: Ref[] = new Array<Ref>(n);
    for (let i = 0; i < n; i++) {
      const d = own(a, i);
      // A hole, or an accessor on an index: recorded as a hole (a getter is never called).
      items[i] = d !== undefined && 'value' in d ? this.ref(d.value, depth) : HOLE;
    }
    const node: ValueNode = { t: 'array', len, items };
    this.common(node, facts, hook, 'Array');
    this.props(node, a, depth, null, false, true, len);
    return node;
  }

  private typed(a: object, depth: number, facts: ChainFacts, hook: boolean): ValueNode {
    const len = arrayLength(a);
    const n = Math.min(len, this.limits.maxBreadth);
    if (len > n) this.counts.cutBreadth++;
    // Indexes of a typed array are its own integer-indexed slots: no getter of the program.
    const view = a as unknown as ArrayLike<number | bigint>;
    const items: Ref[] = new Array<Ref>(n);
    for (let i = 0; i < n; i++) items[i] = this.ref(view[i], depth);
    const ctor = typedName(a);
    const node: ValueNode = { t: 'typed', ctor, len, items };
    this.common(node, facts, hook, ctor);
    this.props(node, a, depth, null, false, true, len);
    return node;
  }

  private map(c: Map<unknown, unknown>, depth: number, facts: ChainFacts, hook: boolean): ValueNode {
    const size = collectionSize(c);
    if (size > this.limits.maxBreadth) this.counts.cutBreadth++;
    const entries: [Ref, Ref][] = [];
    const it = MAP_ENTRIES.call(c);
    for (let i = 0, step = it.next(); !step.done && i < this.limits.maxBreadth; step = it.next(), i++) {
      // By index, not destructured: destructuring runs Array.prototype[Symbol.iterator], which the program may have replaced.
      const entry = step.value as [unknown, unknown];
      entries.push([this.ref(entry[0], depth), this.ref(entry[1], depth)]);
    }
    const node: ValueNode = { t: 'map', size, entries };
    this.common(node, facts, hook, 'Map');
    this.props(node, c, depth, null, false, false, 0);
    return node;
  }

  private set(c: Set<unknown>, depth: number, facts: ChainFacts, hook: boolean): ValueNode {
    const size = collectionSize(c);
    if (size > this.limits.maxBreadth) this.counts.cutBreadth++;
    const items: Ref[] = [];
    const it = SET_VALUES.call(c);
    for (let i = 0, step = it.next(); !step.done && i < this.limits.maxBreadth; step = it.next(), i++)
      items.push(this.ref(step.value, depth));
    const node: ValueNode = { t: 'set', size, items };
    this.common(node, facts, hook, 'Set');
    this.props(node, c, depth, null, false, false, 0);
    return node;
  }
}

/** What a prototype chain says of the objects on it (see `ValueEncoder.chainFacts`). */
interface ChainFacts {
  /** Names of the constructors of its non-built-in prototypes, innermost first (the node's `cls`). */
  cls: string[];
  /** Their method names, aligned with `cls`; written when one has any. */
  methods: string[][];
  hasMethods: boolean;
  /** The built-in prototype it ends on, by name, or null. */
  base: string | null;
  /** Its first `[util.inspect.custom]` is a hook (a function, or an accessor). */
  hook: boolean;
  /** `Error.prototype` is on it: an object on it is recorded as an error. */
  error: boolean;
}

/** Bytes counted for an object when it is given an id: about what its node takes if the budget cuts it. Default 48. */
const RESERVED = 48;
const FN_SKIP: PropertyKey[] = ['length', 'name', 'prototype', 'caller', 'arguments'];
const ERROR_SKIP: PropertyKey[] = ['stack', 'message'];
const REGEXP_SKIP: PropertyKey[] = ['lastIndex'];
/** The redaction of an encoding that redacts no name. */
const NO_REDACT = (): boolean => false;
/** An array hole (and an index that is an accessor, never called). */
const HOLE: Ref = ['h'];
/** Prototype chains this long (the object included) are hostile, as render/safe-view.ts has it. Default 100. */
const MAX_CHAIN = 100;
/** The key of the empty chain (a null prototype) among the chains met. */
const NULL_PROTO = {};
const CUSTOM = inspect.custom;
const MAP_ENTRIES = Map.prototype.entries;
const SET_VALUES = Set.prototype.values;
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
function errorFields(o: object): { name?: string; message?: string; stack?: string } {
  const out: { name?: string; message?: string; stack?: string } = {};
  for (const p of chainOf(o) ?? []) {
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

/**
 * The own keys of `o` an encoding without hidden keys looks at: its enumerable string keys, then
 * its symbols, in the order of `Reflect.ownKeys` (which lists the same keys with the
 * non-enumerable ones among them). Two cheap lists instead of the full one, which costs a few
 * microseconds an object in a process that never listed keys before: a snapshot lists thousands.
 */
function enumerableFirst(o: object): (string | symbol)[] {
  try {
    const names: (string | symbol)[] = Object.keys(o);
    const symbols = Object.getOwnPropertySymbols(o);
    return symbols.length ? names.concat(symbols) : names;
  } catch {
    return Reflect.ownKeys(o);
  }
}

function isIndexKey(key: PropertyKey): boolean {
  return typeof key === 'string' && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** A node's JSON, as the file has it; undefined when it has none (then it is written, and fails, with the whole document). */
function jsonText(node: ValueNode): string | undefined {
  try {
    return JSON.stringify(node);
  } catch {
    return undefined;
  }
}

let formatModule: typeof import('../render/format') | undefined;
/** render/format.ts, loaded for the first Proxy or opaque built-in (most snapshots have none). */
function format(): typeof import('../render/format') {
  return (formatModule ??= require('../render/format') as typeof import('../render/format'));
}
