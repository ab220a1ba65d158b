/**
 * The snapshot file's format (issue #11; docs/snapshot-design.md): the types of the JSON a writer
 * produces and a reader accepts, and its name and version. A snapshot is one gzip-compressed JSON
 * document; nothing in it is ever run, only read as data. Imports nothing but types.
 */
import type { FnMeta, BindingKind } from '../records';
import type { StackFrame } from '../engine/stack';

/** The value of the top-level `format` field. */
export const SNAPSHOT_FORMAT = 'ts-pdb-snapshot';
/** The version this ts-pdb writes and reads; a reader refuses a newer one. */
export const SNAPSHOT_VERSION = 1;
/** How a snapshot file's name ends. */
export const SNAPSHOT_EXTENSION = '.tspdb.json.gz';

/**
 * A value as the file stores it (a "ref"). Strings, booleans, null and finite numbers other than
 * -0 are themselves; every other value is a tagged array (an array is never a plain value: arrays
 * of the program are objects, stored by id):
 * - `['u']` undefined; `['n', 'NaN' | 'Infinity' | '-Infinity' | '-0']`; `['b', decimal digits]` a bigint;
 * - `['y', description | null, id, registered?]` a symbol (`registered`: 1 for `Symbol.for(description)`);
 * - `['o', id]` an object or function: `values[id]`;
 * - `['s', first characters, full length]` a string cut by the string cap;
 * - `['c', 'depth' | 'size', label]` an object the budget cut (nested too deep, or past the byte
 *   budget), with the label inspect gives it past its depth (`[Config]`);
 * - `['U']` a binding in its temporal dead zone; `['A']` a binding the capture could not read;
 * - `['R']` redacted (a name matching `IPDB_REDACT`); `['h']` an array hole (array items only).
 */
export type Ref = string | number | boolean | null | RefTag;
export type RefTag =
  | ['u']
  | ['n', 'NaN' | 'Infinity' | '-Infinity' | '-0']
  | ['b', string]
  | ['y', string | null, number, 1?]
  | ['o', number]
  | ['s', string, number]
  | ['c', 'depth' | 'size', string]
  | ['U']
  | ['A']
  | ['R']
  | ['h'];

/**
 * A property: `[key, value, flags?]`. The key is a string, or a symbol as `['y', ...]`. Flags: `h`
 * not enumerable; `g` and/or `s` an accessor (value null: a getter is recorded, never called).
 */
export type Prop = [string | ['y', string | null, number, 1?], Ref, string?];

/** What every stored object has: its class (names of the program's prototypes, innermost first) and own properties. */
export interface NodeBase {
  /** Names of the constructors of the non-built-in prototypes up the chain, innermost first. */
  cls?: string[];
  /** Names of the methods of each prototype of {@link cls} (aligned with it): restored as functions that cannot run. */
  methods?: string[][];
  /**
   * The built-in prototype the chain ends on, by its constructor's name (`Object`, `Map`,
   * `TypeError`, ...), or null for a null prototype. Default: the kind's own (`Object` for objects).
   */
  base?: string | null;
  /** Own properties recorded (enumerable ones; all of an error's). */
  props?: Prop[];
  /** Own properties not recorded: the breadth cap. */
  more?: number;
  /** The object had a `[util.inspect.custom]` hook: the snapshot shows the recorded structure instead. */
  hook?: 1;
}

/** One object of the value graph, `values[id]`. */
export type ValueNode =
  | (NodeBase & { t: 'object' })
  | (NodeBase & { t: 'array'; len: number; items: Ref[] })
  | (NodeBase & { t: 'map'; size: number; entries: [Ref, Ref][] })
  | (NodeBase & { t: 'set'; size: number; items: Ref[] })
  | (NodeBase & { t: 'typed'; ctor: string; len: number; items: Ref[] })
  | (NodeBase & { t: 'buffer'; ctor: string; len: number; hex: string })
  | (NodeBase & { t: 'date'; time: number | null })
  | (NodeBase & { t: 'regexp'; source: string; flags: string })
  | (NodeBase & { t: 'error'; name?: string; message?: string; stack?: string })
  | (NodeBase & { t: 'function'; kind: FunctionKind; name: string; src: string; ext?: string })
  /** A Proxy (no trap ran), or a built-in whose content cannot be read safely (Promise, WeakMap, ...): the text the live display gave. */
  | { t: 'opaque'; type: string; text: string }
  /** Not recorded: given an id, then cut by the byte budget before its turn (`why`: `size`; `depth` is read too). `label`: `[Config]`. */
  | { t: 'cut'; why: 'depth' | 'size'; label: string };

/** How a function is restored (what `whatis` and inspect tell apart). */
export type FunctionKind = 'class' | 'function' | 'arrow' | 'async' | 'generator' | 'asyncgen';

/** A binding of a frame: `[name, kind, value]`. */
export type BindingEntry = [string, BindingKind | 'closure' | 'session', Ref];

/** One frame, as engine/frames.ts's `Frame` has it, with its values as refs. */
export interface FrameEntry {
  name: string;
  kind: 'file' | 'node' | 'native' | 'eval' | 'unknown' | 'record';
  file?: string;
  line?: number;
  col?: number;
  stack?: StackFrame;
  instrumented: boolean;
  capturedLater?: boolean;
  unmappedFrom?: string;
  selectable: boolean;
  /** The function's metadata (for `ll` and `where`). */
  meta?: FnMeta;
  hasThis: boolean;
  this?: Ref;
  locals: BindingEntry[];
  closure: BindingEntry[];
  /** Index in {@link SnapshotFile.modules}. */
  module?: number;
}

/** A module's top-level bindings, as `globals()` shows them. */
export interface ModuleEntry {
  file: string;
  bindings: [string, Ref][];
}

/** The source text of a file, for `l` and `ll`; `cut` when it was over the cap (then `text` is absent). */
export interface SourceEntry {
  text?: string;
  cut?: { bytes: number; cap: number };
}

/** The process that wrote the snapshot. */
export interface ProcessEntry {
  /** When the snapshot was taken (ISO 8601). */
  time: string;
  host: string;
  pid: number;
  rank: number;
  worldSize?: number;
  jobId?: string;
  argv: string[];
  cwd: string;
  node: string;
  tsPdb: string;
  /** The environment, with secrets' values replaced by `<redacted>`. */
  env: Record<string, string>;
  /** Names of the redacted variables. */
  redactedEnv: string[];
}

/** One error of the chain and its frames. */
export interface ErrorEntry {
  value: Ref;
  /** How it hangs from the thrown value (`thrown`, `cause`, `errors[2]`). */
  label: string;
  frames: FrameEntry[];
}

/** The whole file. */
export interface SnapshotFile {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  process: ProcessEntry;
  session: {
    /** Where the session opened (the banner's `Exception caught in X`). */
    where?: string;
    boundary?: { name: string; retry: boolean };
    uncaught?: boolean;
    /** A stop at `breakpoint()`, not an error (an older reader may ignore it). */
    breakpoint?: boolean;
    transformed?: boolean;
  };
  /** The thrown value. */
  thrown: Ref;
  /** The error chain, the thrown value first. */
  errors: ErrorEntry[];
  modules: ModuleEntry[];
  sources: Record<string, SourceEntry>;
  values: ValueNode[];
  /** What the budget did: the byte budget, the bytes of values written, and what it cut. */
  budget: { maxBytes: number; bytes: number; cutDepth: number; cutSize: number; cutStrings: number; cutBreadth: number; redacted: number };
}
