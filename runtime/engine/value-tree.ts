/**
 * Values as a lazily expanded tree for the web page (web-pdb re-rendered every local on every write
 * and hung on big ones: its issue 68). Nothing is walked before the page asks for it, and every
 * answer is bounded:
 *
 * - a node carries a one-line preview (at most {@link PREVIEW_WIDTH} characters) and, when the value
 *   has children, a `ref`: a handle the page sends back to ask for them;
 * - children come {@link PAGE} at a time: a bigger array, object, Map or Set answers with range
 *   nodes (`[0 … 9999]`), each covering at most a hundred times the one below, so a 1e6-element
 *   array is three clicks deep and no answer holds more than about a hundred nodes;
 * - no program code runs: properties are read through their descriptors (getters are not called),
 *   Proxy traps never run (a Proxy is a leaf), Map and Set entries are read with the built-in
 *   iterators, previews ignore a class's own `[util.inspect.custom]`.
 *
 * Handles live until {@link ValueTree.reset} (each new prompt): the page re-asks for what it shows,
 * so values edited by a command are seen fresh.
 */
import { inspect, types, type InspectOptions } from 'node:util';
import { describeFault, typeName, UNAVAILABLE_TEXT, UNINITIALIZED_TEXT } from '../render/format';
import { safeView } from '../render/safe-view';
import { UNAVAILABLE, UNINITIALIZED } from '../records';

/** Children per answer, and the branching of range nodes. Default 100. */
export const PAGE = 100;
/** Characters of a preview. Default 200. */
export const PREVIEW_WIDTH = 200;
/** Characters of a property name shown (a key can be a megabyte string). Default 200. */
export const NAME_WIDTH = 200;
/** Handles kept at most between two resets; past it nodes are shown without children. Default 50,000. */
export const MAX_HANDLES = 50_000;
/** Arrays longer than this do not list their other own properties (finding them walks every index). Default 10,000. */
export const EXTRA_PROPS_LIMIT = 10_000;

/** One node of the tree, as the page shows it. */
export interface ValueNode {
  /** The property name, index, binding name or range label. */
  name: string;
  /** One line, at most {@link PREVIEW_WIDTH} characters (with `…` when cut). */
  preview: string;
  /** `typeof`, or the class name for objects (`Map`, `Config`), as `whatis` says. */
  type: string;
  /** Present when the node has children: send it back in a `children` request. */
  ref?: number;
  /** For a range node: the part of its parent's children it stands for, `[from, to)`. */
  range?: [number, number];
  /** The binding kind for a frame's variables (`param`, `let`, `const`, ...). */
  kind?: string;
  /** An accessor property: its getter is not called. */
  accessor?: 'get' | 'set' | 'get/set';
  /**
   * For an array, typed array, Map or Set of more than {@link PAGE} items: how many (its length or
   * size), so that a client pages through them (`children` with `from`/`to`; DAP's `indexedVariables`).
   */
  indexed?: number;
  /** With {@link indexed}: how many other children `children` lists (extra properties, `length`/`size`, `[[Prototype]]`). */
  named?: number;
}

/** The answer to a `children` request. */
export interface ChildrenAnswer {
  nodes: ValueNode[];
}

/** What a handle stands for: a value, with its keys once listed (listing a huge object's keys costs a second). */
interface Held {
  value: object;
  keys?: PropertyKey[];
}

/** The handles of one prompt, and the tree operations on them. */
export class ValueTree {
  private byId = new Map<number, Held>();
  private idOf = new Map<object, number>();
  private next = 1;

  /** Forgets every handle (a new prompt: values may have changed). Ids keep growing, so an old one is never mistaken for a new one. */
  reset(): void {
    this.byId = new Map();
    this.idOf = new Map();
  }

  /** A node for `value` named `name`. Never throws. */
  node(name: string, value: unknown, extra: Partial<ValueNode> = {}): ValueNode {
    const n: ValueNode = { name: cut(name, NAME_WIDTH), preview: preview(value), type: safeType(value), ...extra };
    if (expandable(value)) {
      const ref = this.handle(value as object);
      if (ref !== undefined) {
        n.ref = ref;
        const counts = countsOf(value as object);
        if (counts) Object.assign(n, counts);
      }
    }
    return n;
  }

  /**
   * The children of handle `ref`, or of its range `[from, to)` when given (from a range node).
   * @throws Error with a message for the page when the handle is unknown (an older prompt's).
   */
  children(ref: number, from?: number, to?: number): ChildrenAnswer {
    const held = this.byId.get(ref);
    if (!held) throw new Error('this value belongs to an earlier prompt; the page refreshes the tree');
    const v = held.value;
    const ranged = from !== undefined && to !== undefined && Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to > from;
    try {
      if (Array.isArray(v) || types.isTypedArray(v))
        return { nodes: this.arrayChildren(ref, v as ArrayLike<unknown>, ranged ? [from, to] : undefined) };
      if (types.isMap(v) || types.isSet(v)) return { nodes: this.collectionChildren(ref, v, ranged ? [from, to] : undefined) };
      return { nodes: this.objectChildren(ref, held, ranged ? [from, to] : undefined) };
    } catch (fault) {
      return { nodes: [{ name: '<error>', preview: `cannot list the children: ${describeFault(fault)}`, type: 'error' }] };
    }
  }

  private handle(value: object): number | undefined {
    const known = this.idOf.get(value);
    if (known !== undefined) return known;
    if (this.byId.size >= MAX_HANDLES) return undefined;
    const id = this.next++;
    this.byId.set(id, { value });
    this.idOf.set(value, id);
    return id;
  }

  private arrayChildren(ref: number, arr: ArrayLike<unknown>, range: [number, number] | undefined): ValueNode[] {
    const length = lengthOf(arr);
    const [from, to] = range ?? [0, length];
    const out = rangeOrItems(ref, from, Math.min(to, length), (i) => this.indexNode(arr, i), 'index');
    if (range) return out;
    // The other own properties of a plain array (`arr.extra = 1`): finding them walks every index.
    if (Array.isArray(arr) && length <= EXTRA_PROPS_LIMIT) {
      for (const key of Reflect.ownKeys(arr)) {
        if (typeof key === 'string' && (key === 'length' || isIndex(key))) continue;
        out.push(this.propertyNode(arr, key));
      }
    }
    out.push(this.node('length', length));
    this.pushPrototype(out, arr);
    return out;
  }

  private collectionChildren(ref: number, c: Map<unknown, unknown> | Set<unknown>, range: [number, number] | undefined): ValueNode[] {
    const isMap = types.isMap(c);
    const size = builtinSize(c);
    const [from, to] = range ?? [0, size];
    const end = Math.min(to, size);
    let out: ValueNode[];
    if (end - from > PAGE) {
      out = rangeNodes(ref, from, end, 'entries');
    } else {
      out = [];
      // The built-in iterators: a subclass's own `entries` or `values` is program code.
      const it = isMap ? Map.prototype.entries.call(c) : Set.prototype.values.call(c);
      let i = 0;
      for (let step = it.next(); !step.done && i < end; step = it.next(), i++) {
        if (i < from) continue;
        if (isMap) {
          const [k, val] = step.value as [unknown, unknown];
          const entry = Object.assign(Object.create(null) as object, { key: k, value: val });
          const n = this.node(String(i), entry);
          n.preview = cut(`${preview(k)} => ${preview(val)}`, PREVIEW_WIDTH);
          n.type = 'entry';
          out.push(n);
        } else {
          out.push(this.node(String(i), step.value));
        }
      }
    }
    if (range) return out;
    out.unshift(this.node('size', size));
    this.pushPrototype(out, c);
    return out;
  }

  private objectChildren(ref: number, held: Held, range: [number, number] | undefined): ValueNode[] {
    const v = held.value;
    const keys = (held.keys ??= Reflect.ownKeys(v));
    const [from, to] = range ?? [0, keys.length];
    const out = rangeOrItems(ref, from, Math.min(to, keys.length), (i) => this.propertyNode(v, keys[i]), 'properties');
    if (!range) this.pushPrototype(out, v);
    return out;
  }

  private indexNode(arr: ArrayLike<unknown>, i: number): ValueNode {
    if (types.isTypedArray(arr)) return this.node(String(i), (arr as unknown as ArrayLike<unknown>)[i]);
    const d = Object.getOwnPropertyDescriptor(arr, i);
    if (!d) return { name: String(i), preview: '<empty>', type: 'hole' };
    return this.fromDescriptor(String(i), d);
  }

  private propertyNode(obj: object, key: PropertyKey): ValueNode {
    let d: PropertyDescriptor | undefined;
    try {
      d = Object.getOwnPropertyDescriptor(obj, key);
    } catch (fault) {
      return { name: keyName(key), preview: `<${describeFault(fault)}>`, type: 'error' };
    }
    if (!d) return { name: keyName(key), preview: '<gone>', type: 'undefined' };
    return this.fromDescriptor(keyName(key), d);
  }

  /** A node for a property read from its descriptor `d`: its value, or an accessor that is not called. Never throws. */
  fromDescriptor(name: string, d: PropertyDescriptor): ValueNode {
    if ('value' in d) return this.node(name, d.value);
    const accessor = d.get && d.set ? 'get/set' : d.get ? 'get' : 'set';
    // Not called: a getter is program code (it may be slow, throw, or change state).
    return {
      name: cut(name, NAME_WIDTH),
      preview: `(${accessor === 'set' ? 'setter' : 'getter'}: not called; inspect calls it)`,
      type: 'accessor',
      accessor,
    };
  }

  private pushPrototype(out: ValueNode[], v: object): void {
    let proto: object | null;
    try {
      proto = Object.getPrototypeOf(v) as object | null;
    } catch {
      return;
    }
    if (proto !== null) out.push(this.node('[[Prototype]]', proto));
  }
}

/** True when a value has children to show (a Proxy never does: listing them would run its traps). */
export function expandable(value: unknown): boolean {
  if (value === UNINITIALIZED || value === UNAVAILABLE) return false;
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return false;
  return !types.isProxy(value);
}

/**
 * The counts of a big array, typed array, Map or Set (more than {@link PAGE} items): its items, and
 * the other children {@link ValueTree.children} lists for it (the extra own properties of an array
 * up to {@link EXTRA_PROPS_LIMIT} items, `length` or `size`, `[[Prototype]]` when there is one).
 * Undefined for anything else, and for smaller ones (one page holds all their children). Never throws.
 */
function countsOf(v: object): { indexed: number; named: number } | undefined {
  try {
    let indexed: number;
    let extra = 0;
    if (Array.isArray(v) || types.isTypedArray(v)) {
      indexed = lengthOf(v as ArrayLike<unknown>);
      if (indexed <= PAGE) return undefined;
      if (Array.isArray(v) && indexed <= EXTRA_PROPS_LIMIT) {
        for (const key of Reflect.ownKeys(v)) if (typeof key !== 'string' || (key !== 'length' && !isIndex(key))) extra++;
      }
    } else if (types.isMap(v) || types.isSet(v)) {
      indexed = builtinSize(v);
      if (indexed <= PAGE) return undefined;
    } else {
      return undefined;
    }
    return { indexed, named: extra + 1 + (Object.getPrototypeOf(v) === null ? 0 : 1) };
  } catch {
    return undefined;
  }
}

/**
 * util.inspect for previews: one level, and no program code. `p` honours a class's own
 * `[util.inspect.custom]`; a preview, made for every variable at every prompt whether or not
 * anyone asked, does not (as browser devtools do not): the view leaves the program's hooks out
 * (customInspect stays on for the view's own stand-ins), and no accessor of the program runs
 * (a Map subclass's `size`, a `Symbol.toStringTag` getter: safe-view.ts).
 */
const PREVIEW_OPTIONS = {
  depth: 0,
  customInspect: true,
  showProxy: true,
  getters: false,
  maxArrayLength: 20,
  maxStringLength: PREVIEW_WIDTH,
  breakLength: Infinity,
  compact: true,
  sorted: false,
} as const;
/** Objects a preview visits at most (one level of at most 20 items, and their names). */
const PREVIEW_BUDGET = 200;

/** util.inspect of the safe view of `value` with `options` (its depth and item limits), the program's hooks left out. */
function inspectSafely(value: unknown, options: InspectOptions & { depth: number; maxArrayLength: number }): string {
  const { view } = safeView(value, {
    depth: options.depth,
    maxArrayLength: options.maxArrayLength,
    deep: false,
    hooks: false,
    budget: PREVIEW_BUDGET,
  });
  return inspect(view, options);
}
/** Entries a Map or Set preview shows. */
const PREVIEW_ENTRIES = 5;

/** A one-line preview of a value, at most {@link PREVIEW_WIDTH} characters. Never throws. */
export function preview(value: unknown): string {
  try {
    if (value === UNINITIALIZED) return UNINITIALIZED_TEXT;
    if (value === UNAVAILABLE) return UNAVAILABLE_TEXT;
    if (!types.isProxy(value)) {
      // An Error prints its stack in util.inspect: one line is its name and message.
      if (types.isNativeError(value)) return cut(describeFault(value).split('\n')[0], PREVIEW_WIDTH);
      const proto = prototypeName(value);
      if (proto) return proto;
      if (types.isMap(value) || types.isSet(value)) return cut(collectionPreview(value), PREVIEW_WIDTH);
    }
    return cut(inspectSafely(value, PREVIEW_OPTIONS).replace(/\s*\n\s*/g, ' '), PREVIEW_WIDTH);
  } catch {
    return '<value that cannot be displayed>';
  }
}

/**
 * `Map(2) { 'a' => 1, 'b' => [Object] }`, read with the built-in size and iterators: util.inspect
 * uses the value's own `size` and iterator, which a subclass may override.
 */
function collectionPreview(c: Map<unknown, unknown> | Set<unknown>): string {
  const isMap = types.isMap(c);
  const size = builtinSize(c);
  const short = (v: unknown): string => inspectSafely(v, { ...PREVIEW_OPTIONS, depth: -1, maxStringLength: 40 });
  const parts: string[] = [];
  const it = isMap ? Map.prototype.entries.call(c) : Set.prototype.values.call(c);
  for (let step = it.next(); !step.done && parts.length < PREVIEW_ENTRIES; step = it.next()) {
    parts.push(
      isMap ? `${short((step.value as [unknown, unknown])[0])} => ${short((step.value as [unknown, unknown])[1])}` : short(step.value),
    );
  }
  if (size > parts.length) parts.push('…');
  return `${typeName(c)}(${size}) {${parts.length ? ` ${parts.join(', ')} ` : ''}}`;
}

/** The size of a Map or Set through the built-in getter (a subclass may redefine `size`). */
function builtinSize(c: Map<unknown, unknown> | Set<unknown>): number {
  return Object.getOwnPropertyDescriptor(types.isMap(c) ? Map.prototype : Set.prototype, 'size')!.get!.call(c) as number;
}

/**
 * `Job.prototype` for a class's prototype object (util.inspect shows `Object.prototype` as
 * `[Object: null prototype] {}`, which reads as something else); undefined for other values.
 */
function prototypeName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || types.isProxy(value)) return undefined;
  const ctor = Object.getOwnPropertyDescriptor(value, 'constructor')?.value as unknown;
  if (typeof ctor !== 'function' || types.isProxy(ctor)) return undefined;
  if (Object.getOwnPropertyDescriptor(ctor, 'prototype')?.value !== value) return undefined;
  const name = Object.getOwnPropertyDescriptor(ctor, 'name')?.value as unknown;
  return `${typeof name === 'string' && name ? name : '(anonymous class)'}.prototype`;
}

function safeType(value: unknown): string {
  if (value === UNINITIALIZED) return 'uninitialized';
  if (value === UNAVAILABLE) return 'unavailable';
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value;
  return typeof value === 'function' ? 'function' : typeName(value);
}

/** Items `from..to` when they fit in a page, else range nodes covering them. */
function rangeOrItems(ref: number, from: number, to: number, item: (i: number) => ValueNode, what: 'index' | 'properties'): ValueNode[] {
  if (to - from > PAGE) return rangeNodes(ref, from, to, what);
  const out: ValueNode[] = [];
  for (let i = from; i < to; i++) out.push(item(i));
  return out;
}

/**
 * Range nodes covering `[from, to)`: at most {@link PAGE} of them, each a power of {@link PAGE} wide
 * (1e6 items: 100 ranges of 10,000, each 100 ranges of 100, each 100 items).
 */
function rangeNodes(ref: number, from: number, to: number, what: 'index' | 'properties' | 'entries'): ValueNode[] {
  let width = PAGE;
  while ((to - from) / width > PAGE) width *= PAGE;
  const out: ValueNode[] = [];
  for (let a = from; a < to; a += width) {
    const b = Math.min(a + width, to);
    const label = `[${a} … ${b - 1}]`;
    out.push({
      name: what === 'index' ? label : `${what} ${label}`,
      preview: `${b - a} ${what === 'index' ? 'items' : what}`,
      type: 'range',
      ref,
      range: [a, b],
    });
  }
  return out;
}

const TYPED_LENGTH = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype) as object, 'length')!.get!;

function lengthOf(arr: ArrayLike<unknown>): number {
  try {
    // The built-in length getter: a typed array subclass may redefine `length`.
    const n = types.isTypedArray(arr)
      ? (TYPED_LENGTH.call(arr) as number)
      : (Object.getOwnPropertyDescriptor(arr, 'length')?.value as number);
    return Number.isInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

function isIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** A key as the page shows it: a string as it is, a symbol as `Symbol(description)`. */
function keyName(key: PropertyKey): string {
  return String(key);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
