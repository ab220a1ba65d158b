/**
 * The value-graph decoder of a snapshot: the JSON graph of snapshot-format.ts back to plain JS
 * values that render/format.ts prints as the live values printed, and that a session's expressions
 * work on (`p batch[2] * 4`).
 *
 * Nothing from the file is ever run or compiled: class names are only the `name` of stand-in
 * constructors, built-in prototypes are looked up by name in a fixed table, functions are
 * stand-ins that throw "restored function ...: the program is gone" when called. Objects are made
 * in two passes (every object first, then their contents), so neither a cycle nor a deep nesting
 * needs recursion. The input is assumed checked by read-snapshot.ts; a node it could not restore
 * becomes a stand-in that says so, never a throw.
 */
import { inspect } from 'node:util';
import { setKnownSource } from '../engine/function-source';
import { UNAVAILABLE, UNINITIALIZED } from '../records';
import { Explained } from '../render/explained';
import { trustHooks } from '../render/safe-view';
import type { FunctionKind, Prop, Ref, ValueNode } from './snapshot-format';

/** The text a restored value shows for what the snapshot does not hold (a cut, a Proxy, a redacted name). */
export class RecordedText {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  [inspect.custom](): string {
    return this.#text;
  }
}
trustHooks(RecordedText.prototype);

/** Shown for a value whose name matched IPDB_REDACT. */
export const REDACTED_TEXT = '<redacted>';

/** The name of the property that says what a breadth cut left out of an object, array, Map or Set. */
export const CUT_KEY = '(not in the snapshot)';

/** The typed array classes, by which a recorded typed array is rebuilt. */
const TYPED_ARRAYS = [
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
] as Array<{ name: string; prototype: object } & (new (n: number) => ArrayLike<unknown>)>;

/** The built-in prototypes a chain may end on, by constructor name: a fixed table, never a lookup of the file's text. */
const BASES: ReadonlyMap<string, object> = new Map<string, object>(
  (
    [
      Object,
      Array,
      Map,
      Set,
      WeakMap,
      WeakSet,
      Date,
      RegExp,
      Promise,
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
      ...TYPED_ARRAYS,
      Buffer,
    ] as Array<{ name: string; prototype: object }>
  ).map((c) => [c.name, c.prototype]),
);

const ERRORS: ReadonlyMap<string, ErrorConstructor> = new Map(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((c) => [c.name, c]),
);

const TYPED: ReadonlyMap<string, new (n: number) => ArrayLike<unknown>> = new Map(TYPED_ARRAYS.map((c) => [c.name, c]));

/**
 * Stand-in constructors and methods made for the class chains of one snapshot at most. A chain is
 * made once for all the objects that share it, so a real snapshot needs a few hundred; a hostile
 * one of a thousand classes of a thousand methods on each of its nodes would need millions (27 MB
 * of JSON took 24 s and 2.5 GB). Past it, an object's chain is its built-in prototype. Default 100,000.
 */
export const MAX_STAND_INS = 100_000;

/** The restored values of one snapshot. */
export class ValueDecoder {
  private readonly objects: unknown[] = [];
  private readonly symbols = new Map<number, symbol>();
  private readonly protos = new Map<string, object | null>();
  private standIns = 0;

  constructor(nodes: readonly ValueNode[]) {
    nodes.forEach((n, id) => (this.objects[id] = this.shell(n)));
    nodes.forEach((n, id) => this.fill(n, this.objects[id]));
  }

  /** The restored value of a ref. */
  value(ref: Ref): unknown {
    if (ref === null || typeof ref !== 'object') return ref;
    switch (ref[0]) {
      case 'u':
        return undefined;
      case 'n':
        return ref[1] === '-0' ? -0 : Number(ref[1]);
      case 'b':
        return BigInt(ref[1]);
      case 'y':
        return this.symbol(ref);
      case 'o':
        return this.objects[ref[1]];
      case 's':
        return `${ref[1]}... [${ref[2] - ref[1].length} more characters not in the snapshot]`;
      case 'c':
        return cut(ref[1], ref[2]);
      case 'U':
        return UNINITIALIZED;
      case 'A':
        return UNAVAILABLE;
      case 'R':
        return REDACTED;
      default:
        return undefined; // a hole outside an array: nothing
    }
  }

  private symbol(ref: ['y', string | null, number, 1?]): symbol {
    if (ref[3] === 1 && typeof ref[1] === 'string') return Symbol.for(ref[1]);
    let s = this.symbols.get(ref[2]);
    if (!s) this.symbols.set(ref[2], (s = Symbol(ref[1] ?? undefined)));
    return s;
  }

  /** The object of a node, without its contents. */
  private shell(n: ValueNode): unknown {
    try {
      switch (n.t) {
        case 'object':
          return Object.create(this.proto(n, n.base, 'Object')) as object;
        case 'array':
          return adopt(new Array<unknown>(n.len), this.proto(n, n.base, 'Array'));
        case 'map':
          return adopt(new Map(), this.proto(n, n.base, 'Map'));
        case 'set':
          return adopt(new Set(), this.proto(n, n.base, 'Set'));
        case 'typed': {
          const Ctor = TYPED.get(n.ctor) ?? Uint8Array;
          return adopt(new Ctor(n.items.length), this.proto(n, n.base, n.ctor));
        }
        case 'buffer': {
          const bytes = Buffer.from(n.hex, 'hex');
          const buf = n.ctor === 'SharedArrayBuffer' ? new SharedArrayBuffer(bytes.length) : new ArrayBuffer(bytes.length);
          new Uint8Array(buf).set(bytes);
          return buf;
        }
        case 'date':
          return adopt(new Date(n.time ?? NaN), this.proto(n, n.base, 'Date'));
        case 'regexp':
          return adopt(regExp(n.source, n.flags), this.proto(n, n.base, 'RegExp'));
        case 'error':
          return this.error(n);
        case 'function':
          return restoredFunction(n.kind, n.name, n.ext, n.src);
        case 'opaque':
          return recorded(n.type, n.text);
        case 'cut':
          return cut(n.why, n.label);
      }
    } catch {
      // fall through: a node this ts-pdb cannot make
    }
    return recorded('object', '<not restored: the snapshot holds a value this ts-pdb cannot make>');
  }

  private error(n: Extract<ValueNode, { t: 'error' }>): Error {
    const base = n.base ?? 'Error';
    const saved = Error.stackTraceLimit;
    let e: Error;
    try {
      Error.stackTraceLimit = 0;
      e = base === 'AggregateError' ? new AggregateError([], n.message ?? '') : new (ERRORS.get(base) ?? Error)(n.message ?? '');
    } finally {
      Error.stackTraceLimit = saved;
    }
    delete (e as { stack?: string }).stack;
    if (n.message === undefined) delete (e as { message?: string }).message;
    if (base === 'AggregateError') delete (e as { errors?: unknown }).errors;
    if (n.stack !== undefined) Object.defineProperty(e, 'stack', { value: n.stack, writable: true, configurable: true, enumerable: false });
    adopt(e, this.proto(n, n.base, 'Error'));
    const ownName = n.props?.some((p) => p[0] === 'name');
    if (n.name !== undefined && !ownName && n.name !== (e as { name?: unknown }).name) {
      Object.defineProperty(e, 'name', { value: n.name, writable: true, configurable: true, enumerable: false });
    }
    return e;
  }

  /** A prototype chain that names the object as the original's did: stand-in constructors over a built-in prototype. */
  private proto(n: { cls?: string[]; methods?: string[][] }, base: string | null | undefined, kindBase: string): object | null {
    const root = base === null ? null : (BASES.get(base ?? kindBase) ?? BASES.get(kindBase) ?? Object.prototype);
    const cls = n.cls;
    if (!cls?.length) return root;
    const key = JSON.stringify([cls, n.methods ?? [], base ?? kindBase]);
    if (this.protos.has(key)) return this.protos.get(key)!;
    const cost = cls.reduce((sum, _, i) => sum + 1 + (n.methods?.[i]?.length ?? 0), 0);
    if (this.standIns + cost > MAX_STAND_INS) return root;
    this.standIns += cost;
    let parent = root;
    for (let i = cls.length - 1; i >= 0; i--) {
      const fake = Object.create(parent) as object;
      const ctor = restoredFunction('function', cls[i]);
      Object.defineProperty(ctor, 'prototype', { value: fake });
      Object.defineProperty(fake, 'constructor', { value: ctor, writable: true, configurable: true, enumerable: false });
      for (const m of n.methods?.[i] ?? []) {
        if (typeof m !== 'string' || m === 'constructor') continue;
        Object.defineProperty(fake, m, { value: restoredFunction('arrow', m), writable: true, configurable: true, enumerable: false });
      }
      parent = fake;
    }
    this.protos.set(key, parent);
    return parent;
  }

  /** Puts a node's contents into its object. */
  private fill(n: ValueNode, o: unknown): void {
    if (o instanceof RecordedText || typeof o !== 'object' || o === null) {
      if (typeof o === 'function' && n.t === 'function') this.props(o, n.props, n.more);
      return;
    }
    try {
      switch (n.t) {
        case 'array': {
          const a = o as unknown[];
          n.items.forEach((item, i) => {
            if (Array.isArray(item) && item[0] === 'h') return;
            Object.defineProperty(a, i, { value: this.value(item), writable: true, enumerable: true, configurable: true });
          });
          const missing = n.len - n.items.length;
          this.props(o, n.props, n.more, missing > 0 ? `items ${n.items.length} to ${n.len - 1} (${missing})` : undefined);
          return;
        }
        case 'typed': {
          const a = o as unknown as Record<number, unknown>;
          n.items.forEach((item, i) => {
            try {
              a[i] = this.value(item);
            } catch {
              // a value of the wrong type for this array: left 0
            }
          });
          const missing = n.len - n.items.length;
          this.props(o, n.props, n.more, missing > 0 ? `${missing} more items` : undefined);
          return;
        }
        case 'map': {
          for (const [k, v] of n.entries) Map.prototype.set.call(o, this.value(k), this.value(v));
          const missing = n.size - n.entries.length;
          this.props(o, n.props, n.more, missing > 0 ? `${missing} more entries` : undefined);
          return;
        }
        case 'set': {
          for (const v of n.items) Set.prototype.add.call(o, this.value(v));
          const missing = n.size - n.items.length;
          this.props(o, n.props, n.more, missing > 0 ? `${missing} more items` : undefined);
          return;
        }
        case 'object':
        case 'date':
        case 'regexp':
        case 'error':
          this.props(o, n.props, n.more);
          return;
        default:
          return;
      }
    } catch {
      // what was restored so far stays
    }
  }

  /** Defines recorded properties (getters as getters that are never the program's), and the note of what a cut left out. */
  private props(o: object, props: Prop[] | undefined, more: number | undefined, missing?: string): void {
    // First: an object of more than a thousand keys shows its first hundred, and this note among them.
    const notes = [missing, more ? `${more} more properties` : undefined].filter(Boolean).join(', ');
    if (notes) Object.defineProperty(o, CUT_KEY, { value: notes, writable: true, enumerable: true, configurable: true });
    for (const [key, ref, flags = ''] of props ?? []) {
      const k = typeof key === 'string' ? key : this.symbol(key);
      const enumerable = !flags.includes('h');
      try {
        if (flags.includes('g') || flags.includes('s')) {
          const name = typeof k === 'string' ? k : String(k.description);
          Object.defineProperty(o, k, {
            get: flags.includes('g') ? restoredAccessor(name, 'getter') : undefined,
            set: flags.includes('s') ? restoredAccessor(name, 'setter') : undefined,
            enumerable,
            configurable: true,
          });
        } else {
          Object.defineProperty(o, k, { value: this.value(ref), writable: true, enumerable, configurable: true });
        }
      } catch {
        // a key the object cannot take (a function's own non-configurable one): left out
      }
    }
  }
}

/** What a cut leaves: `[Config] (not in the snapshot: nested too deep)`. */
function cut(why: 'depth' | 'size', label: string): RecordedText {
  return recorded('cut', `${label} (not in the snapshot: ${why === 'depth' ? 'nested too deep' : 'over the size budget'})`);
}

/** A stand-in printing `text`, of a class named `type` (what `whatis` says). */
function recorded(type: string, text: string): RecordedText {
  const r = new RecordedText(text);
  const proto = recordedProtos.get(type) ?? makeRecordedProto(type);
  Object.setPrototypeOf(r, proto);
  return r;
}
const recordedProtos = new Map<string, object>();
const REDACTED = Object.freeze(recorded('redacted', REDACTED_TEXT));
function makeRecordedProto(type: string): object {
  const proto = Object.create(RecordedText.prototype) as object;
  const ctor = function () {};
  Object.defineProperty(ctor, 'name', { value: type });
  Object.defineProperty(proto, 'constructor', { value: ctor, configurable: true, writable: true, enumerable: false });
  // At most a few kinds (Proxy (object), Promise, cut, ...); a hostile file's many types are not kept.
  if (recordedProtos.size < 100) recordedProtos.set(type, proto);
  return proto;
}

function adopt<T extends object>(o: T, proto: object | null): T {
  if (Object.getPrototypeOf(o) !== proto) Object.setPrototypeOf(o, proto);
  return o;
}

function regExp(source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch {
    return new RegExp('(?:)');
  }
}

/** What calling a restored function says. */
export function restoredFunctionMessage(name: string): string {
  return `restored function ${name || '(anonymous)'}: the program is gone, so it cannot run (a snapshot)`;
}

/**
 * A function that stands for a recorded one: same name and kind (as inspect and `whatis` show it);
 * calling it throws; `source` shows `src`, the text the snapshot recorded (the function as the
 * program ran it), or says that only its name is known (a class or method of a recorded object).
 */
export function restoredFunction(kind: FunctionKind, name: string, ext?: string, src?: string): Function {
  const fail = (): never => {
    throw stackless(restoredFunctionMessage(name));
  };
  let fn: Function;
  switch (kind) {
    case 'class':
      fn = class {
        constructor() {
          fail();
        }
      };
      if (ext !== undefined) Object.setPrototypeOf(fn, restoredFunction('class', ext));
      break;
    // Their bodies fail at the first step (a call, `next()`): nothing to await or yield.
    /* eslint-disable @typescript-eslint/require-await, require-yield */
    case 'async':
      fn = async function () {
        fail();
      };
      break;
    case 'generator':
      fn = function* () {
        fail();
      };
      break;
    case 'asyncgen':
      fn = async function* () {
        fail();
      };
      break;
    /* eslint-enable @typescript-eslint/require-await, require-yield */
    case 'arrow':
      fn = () => fail();
      break;
    default:
      fn = function () {
        fail();
      };
  }
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
  const shown = name || '(anonymous)';
  if (src !== undefined) setKnownSource(fn, src, 'a function restored from a snapshot, shown as the program ran it');
  else
    setKnownSource(
      fn,
      `/* ${shown}: not in the snapshot */`,
      `the snapshot has only the name of ${shown} (a class or method of a recorded object)`,
    );
  return fn;
}

function restoredAccessor(name: string, which: 'getter' | 'setter'): () => never {
  return () => {
    throw stackless(`${name} is a ${which} that was not called when the snapshot was taken, and the program is gone`);
  };
}

/**
 * The error a stand-in throws: no stack, which would be ts-pdb's own frames. Thrown, it is shown
 * as its message; as the reason of a restored async function's promise it is shown whole.
 */
function stackless(message: string): Explained {
  const saved = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
    return new Explained(message);
  } finally {
    Error.stackTraceLimit = saved;
  }
}
