/**
 * The frames of a session: the thrown value's stack trace, located in the original source, with
 * the instrumented frames' records attached to the stack frames they belong to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BREAKPOINT_WRITABLE, type BindingKind, type FnMeta, type FrameRecord, type ModuleDesc, metaOf, UNINITIALIZED } from '../records';
import { mapFor, originalPosition, sourceLines } from './source-maps';
import { parseStack, stackTextOf, type StackFrame, type StackFrameKind } from './stack';

/** Kind of a binding shown in a frame: the capture's kinds, plus free variables and names made in the session. */
export type LocalKind = BindingKind | 'closure' | 'session';

/** One binding of a frame: reads and writes go to the captured record, so later commands see edits. */
export interface Binding {
  name: string;
  kind: LocalKind;
  get(): unknown;
  set(value: unknown): void;
  /**
   * Set for a binding the program cannot be given a new value, to its kind: a `const` (or function,
   * class, `using` declaration) at a live breakpoint, where changed locals go back to the program.
   * Evaluation refuses to assign it. Post-mortem nothing goes back: every binding can be changed.
   */
  constant?: BindingKind;
}

/** Where a frame comes from: a stack line's kind, or `record` for an instrumented frame the stack lacks. */
export type FrameKind = StackFrameKind | 'record';

/** One frame of a session. Lines are 1-based and columns 0-based, in the original source. */
export interface Frame {
  /** Name a user recognises: the instrumented function's name, else V8's. */
  name: string;
  kind: FrameKind;
  /** Original source file (absolute path), when known. */
  file?: string;
  line?: number;
  col?: number;
  /** The stack line this frame comes from, if any. */
  stack?: StackFrame;
  /** True when an instrumented record is attached (locals were captured). */
  instrumented: boolean;
  /**
   * True for a frame of an instrumented function that has no record: the session opened (at a
   * boundary further in) before the error left this function, and locals are captured on the way out.
   */
  capturedLater?: boolean;
  /**
   * The original source of the frame's function (a TypeScript file) when the compiled file it runs
   * from has no source map: the frame is located in the JavaScript instead, and the banner says why.
   */
  unmappedFrom?: string;
  /** False for frames with neither source nor locals (node internals, native code, eval): `up`/`down` skip them. */
  selectable: boolean;
  record?: FrameRecord;
  meta?: FnMeta;
  /** The module the frame's code belongs to (from its record, or another record of the same file). */
  mod?: ModuleDesc;
  /** True when `this` was captured and is meaningful. */
  hasThis: boolean;
  thisValue: unknown;
  /** Locals in declaration order (parameters first); inner block scopes shadow outer ones. */
  locals: Map<string, Binding>;
  /** Free variables of enclosing functions, captured alongside. */
  closure: Map<string, Binding>;
  /** The original source lines of {@link file} (read lazily, cached per file). */
  lines(): string[] | undefined;
}

/**
 * Builds the frames of `thrown`, innermost first.
 *
 * Stack frames and records are both innermost first; they are walked together, a record attaching to
 * the first remaining stack frame of the same file whose original position lies inside the record's
 * function. A record that matches none (stack trace limit, a thrown primitive, a missing source map)
 * is still shown, before the stack frame of the next record that matched, or at the end.
 */
export function buildFrames(thrown: unknown, capture: { frames: FrameRecord[] } | undefined): Frame[] {
  const stack = parseStack(stackTextOf(thrown)).frames.map(fromStack);
  const records = capture?.frames ?? [];
  const mods = modulesByFile(records);

  const match: number[] = []; // record index -> stack index, or -1
  let next = 0;
  for (const rec of records) {
    const meta = metaOf(rec.mod)?.fns[rec.fn];
    let found = -1;
    if (meta && rec.mod) {
      // The first stack frame inside the function's range, preferring one that bears its name: a
      // frame of code nested in the function (a class field initialiser, a callback that is not
      // instrumented) lies inside the range too.
      let named = -1;
      for (let k = next; k < stack.length; k++) {
        if (!inside(stack[k], rec.mod.file, meta)) continue;
        if (found < 0) found = k;
        if (sameName(stack[k].name, meta.name, stack[k].stack?.alias)) {
          named = k;
          break;
        }
      }
      if (named >= 0) found = named;
      // Compiled without a source map (`sourceMap` off): the stack is in the JavaScript, the record's
      // positions in the TypeScript; the function's name and the file's stem still tell them apart.
      if (found < 0 && meta.name !== '<anonymous>') {
        for (let k = next; k < stack.length; k++) {
          if (compiledFrom(stack[k], rec.mod.file) && sameName(stack[k].name, meta.name, stack[k].stack?.alias)) {
            found = k;
            break;
          }
        }
      }
    }
    match.push(found);
    if (found >= 0) next = found + 1;
  }

  const out: Frame[] = [];
  let s = 0;
  let pending: Frame[] = [];
  records.forEach((rec, r) => {
    const k = match[r];
    if (k < 0) {
      pending.push(fromRecord(rec));
      return;
    }
    while (s < k) out.push(stack[s++]);
    out.push(...pending);
    pending = [];
    const f = stack[s++];
    if (rec.mod && compiledFrom(f, rec.mod.file)) f.unmappedFrom = rec.mod.file;
    // A JavaScript position says nothing about the TypeScript declarations' ends (`<uninitialized>`).
    attach(f, rec, !f.unmappedFrom);
    out.push(f);
  });
  while (s < stack.length) out.push(stack[s++]);
  out.push(...pending);

  for (const f of out) {
    if (!f.mod && f.file) f.mod = mods.get(normalize(f.file));
    if (!f.mod && f.file && !f.instrumented) {
      // A frame of compiled JavaScript without a source map, in a module that has records.
      const from = [...mods.values()].find((m) => compiledFrom(f, m.file));
      if (from) {
        f.mod = from;
        f.unmappedFrom = from.file;
      }
    }
    if (!f.instrumented && f.mod && f.file) {
      const file = f.file;
      // The innermost instrumented function around the frame's position (by name when the frame's
      // position is in JavaScript that has no map to the function's TypeScript).
      let around: FnMeta | undefined;
      const fns = (metaOf(f.mod)?.fns ?? []).filter((fn) => !fn.site);
      if (f.unmappedFrom) {
        const named = fns.filter((fn) => fn.name !== '<anonymous>');
        around = named.find((fn) => fn.name === f.name) ?? named.find((fn) => sameName(f.name, fn.name, f.stack?.alias));
      } else {
        for (const fn of fns) {
          if (inside(f, file, fn) && (!around || fn.line > around.line || (fn.line === around.line && fn.col > around.col))) around = fn;
        }
      }
      f.capturedLater = !!around;
      // Its recorded name, when the stack names the same function another way: `Object.pay`, or a
      // name a source map's `names` gave the frame (`Shop.checkout [as pay]`, Jest with Babel 7).
      if (around && around.name !== '<anonymous>' && sameName(f.name, around.name, f.stack?.alias)) f.name = around.name;
    }
  }
  return out;
}

/**
 * ts-pdb's own compiled runtime (the loader's require hook shows in stacks), folded like Node's
 * frames; undefined when the runtime was bundled into the program (then `__dirname` is the
 * program's folder, not ours).
 */
const OWN_DIST: string | undefined = (() => {
  try {
    const root = path.resolve(__dirname, '..', '..', '..');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string };
    return pkg.name === 'ts-pdb' ? path.join(root, 'dist', 'runtime') + path.sep : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * True when `frame` runs from compiled JavaScript that has no source map, built from `original` (a
 * TypeScript file): a different file of the same stem (`out/app.js` from `src/app.ts`).
 */
function compiledFrom(frame: Frame, original: string): boolean {
  const file = frame.stack?.file;
  if (frame.kind !== 'file' || !file || !frame.file || frame.file !== file || normalize(file) === normalize(original)) return false;
  if (!/\.[mc]?jsx?$/.test(file) || /\.[mc]?jsx?$/.test(original)) return false;
  if (stem(file) !== stem(original)) return false;
  return mapFor(file) === undefined;
}

/** A file's base name without its extension (`your-script` for `out/your-script.js`). */
function stem(file: string): string {
  return path.basename(file).replace(/\.[^.]*$/, '');
}

function fromStack(sf: StackFrame): Frame {
  if (
    OWN_DIST &&
    sf.kind === 'file' &&
    sf.file &&
    (path.isAbsolute(sf.file) ? normalize(sf.file) : path.resolve(sf.file)).startsWith(OWN_DIST)
  ) {
    return makeFrame({ name: sf.name, kind: 'node', file: sf.file, line: sf.line, col: sf.col, stack: sf, selectable: false });
  }
  let file = sf.file;
  let line = sf.line;
  let col = sf.col;
  if (sf.kind === 'file' && file !== undefined && line !== undefined) {
    const o = originalPosition({ file, line, col: col ?? 0 });
    file = o.file;
    line = o.line;
    col = o.col;
  }
  return makeFrame({
    name: sf.name,
    kind: sf.kind,
    file,
    line,
    col,
    stack: sf,
    selectable: sf.kind === 'file',
  });
}

function fromRecord(rec: FrameRecord): Frame {
  const meta = metaOf(rec.mod)?.fns[rec.fn];
  const frame = makeFrame({
    name: meta?.name ?? '<unknown>',
    kind: 'record',
    file: rec.mod?.file,
    line: meta?.line,
    col: meta?.col,
    selectable: true,
  });
  attach(frame, rec, false);
  return frame;
}

function makeFrame(init: Pick<Frame, 'name' | 'kind' | 'file' | 'line' | 'col' | 'stack' | 'selectable'>): Frame {
  return {
    ...init,
    instrumented: false,
    hasThis: false,
    thisValue: undefined,
    locals: new Map(),
    closure: new Map(),
    lines(): string[] | undefined {
      return this.file ? sourceLines(this.file) : undefined;
    },
  };
}

/** Fills a frame's locals from a record: function-level values, then block scopes outer to inner. */
function attach(frame: Frame, rec: FrameRecord, positioned: boolean): void {
  const meta = metaOf(rec.mod)?.fns[rec.fn];
  frame.record = rec;
  frame.meta = meta;
  frame.mod = rec.mod;
  frame.instrumented = true;
  frame.selectable = true;
  if (meta && meta.name && meta.name !== '<anonymous>') frame.name = meta.name;
  if (!frame.file && rec.mod) frame.file = rec.mod.file;
  frame.hasThis = !!meta?.hasThis;
  frame.thisValue = rec.thisValue;
  if (!meta) return;
  const at: [number, number] | undefined = positioned && frame.line !== undefined ? [frame.line, frame.col ?? 0] : undefined;
  meta.names.forEach((name, i) => bindMoved(frame.locals, name, meta.kinds[i] ?? 'var', rec.values, i, meta.declEnds?.[i], at));
  for (let i = rec.scopes.length - 1; i >= 0; i--) {
    const sc = rec.scopes[i];
    const sm = metaOf(sc.mod)?.scopes[sc.scope];
    if (!sm) continue;
    sm.names.forEach((name, j) => bindMoved(frame.locals, name, sm.kinds[j] ?? 'let', sc.values, j, sm.declEnds?.[j], at));
  }
  meta.closure.forEach((name, i) => bind(frame.closure, name, 'closure', rec.closure, i));
  if (meta.site === 'breakpoint') markConstants(frame, meta);
}

/**
 * At a live breakpoint the call site assigns changed bindings back to the program: those it cannot
 * assign (`const`, function and class declarations, `using`) become {@link Binding.constant}.
 */
function markConstants(frame: Frame, meta: FnMeta): void {
  const mark = (b: Binding | undefined, kind: BindingKind): void => {
    if (!b || BREAKPOINT_WRITABLE.has(kind)) return;
    b.constant = kind;
    b.set = () => {
      // Loaded here: only a live breakpoint's frames have constants, and a snapshot's frames never.
      const { constantsKept, Explained } = require('../render/explained') as typeof import('../render/explained');
      throw new Explained(constantsKept([{ name: b.name, kind }]));
    };
  };
  meta.names.forEach((name, i) => mark(frame.locals.get(name), meta.kinds[i] ?? 'var'));
  meta.closure.forEach((name, i) => mark(frame.closure.get(name), meta.closureKinds?.[i] ?? 'let'));
}

/**
 * True when a V8 frame name (`Object.run`, `new C`, `async f`) and a recorded name (`K.run`,
 * `get K.v`) name one function; `alias` is the `[as run]` of `C.other [as run]`: the property the
 * method was called through, which V8 adds when it differs from the name shown.
 */
function sameName(stackName: string | undefined, metaName: string, alias?: string): boolean {
  if (!stackName) return false;
  const last = (n: string): string =>
    n
      .replace(/^(new|async|get|set) /, '')
      .split('.')
      .pop() ?? n;
  const want = last(metaName);
  return last(stackName) === want || alias === want;
}

/**
 * Binds a captured value. A block binding the transform declared at function level (or at the top
 * of a loop body) starts undefined, no sentinel being stored at run time: undefined at a position
 * before the end of its declaration means not initialised yet. The position is where the error was
 * thrown first, so a value that is not undefined is always shown as it is.
 */
function bindMoved(
  map: Map<string, Binding>,
  name: string,
  kind: LocalKind,
  store: unknown[],
  i: number,
  declEnd: [number, number] | null | undefined,
  at: [number, number] | undefined,
): void {
  if (declEnd && at && store[i] === undefined && before(at, declEnd)) {
    into(map, name, kind, UNINITIALIZED, store, i);
  } else {
    bind(map, name, kind, store, i);
  }
}

/** True when position `a` (line, column) comes before `b`. */
function before(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** A binding that reads as `shown` until the session assigns it. */
function into(map: Map<string, Binding>, name: string, kind: LocalKind, shown: unknown, store: unknown[], i: number): void {
  let assigned = false;
  map.set(name, {
    name,
    kind,
    get: () => (assigned ? store[i] : shown),
    set: (v) => {
      assigned = true;
      store[i] = v;
    },
  });
}

function bind(into: Map<string, Binding>, name: string, kind: LocalKind, store: unknown[], i: number): void {
  into.set(name, {
    name,
    kind,
    get: () => store[i],
    set: (v) => {
      store[i] = v;
    },
  });
}

/** True when the stack frame is in `file` and its position lies inside the function `meta`. */
function inside(frame: Frame, file: string, meta: FnMeta): boolean {
  if (!frame.file || frame.line === undefined || !sameFile(frame.file, file)) return false;
  const col = frame.col ?? 0;
  const afterStart = frame.line > meta.line || (frame.line === meta.line && (frame.col === undefined || col >= meta.col));
  const beforeEnd = frame.line < meta.endLine || (frame.line === meta.endLine && (frame.col === undefined || col <= meta.endCol));
  return afterStart && beforeEnd;
}

/** Same file: equal normalized paths, else equal base names (paths differ between build and run machines). */
export function sameFile(a: string, b: string): boolean {
  if (normalize(a) === normalize(b)) return true;
  return path.basename(a) === path.basename(b);
}

/** Absolute paths resolved already: frames ask for the same few files again and again (records x stack frames). */
const normalized = new Map<string, string>();

/** An absolute path resolved (`..` and `.` gone), any other as it is. */
function normalize(file: string): string {
  if (!path.isAbsolute(file)) return file;
  let n = normalized.get(file);
  if (n === undefined) {
    if (normalized.size >= 1000) normalized.clear();
    n = path.resolve(file); // an absolute path resolves the same whatever the working directory
    normalized.set(file, n);
  }
  return n;
}

function modulesByFile(records: FrameRecord[]): Map<string, ModuleDesc> {
  const mods = new Map<string, ModuleDesc>();
  for (const r of records) {
    if (r.mod) mods.set(normalize(r.mod.file), r.mod);
    for (const s of r.scopes) if (s.mod) mods.set(normalize(s.mod.file), s.mod);
  }
  return mods;
}
