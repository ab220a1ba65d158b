/**
 * The value under the mouse in the web page's source pane (as DevTools shows one): a name of the
 * selected frame, or a chain of property names after it (`opts.owner.name`, `this.id`), resolved
 * against the frame's own bindings only, never by evaluating anything:
 *
 * - the root is a local or closure binding of the frame (when the position lies inside the frame's
 *   function), `this` there, or a binding of the frame's module (anywhere in the file); anything
 *   else (a global, a keyword, a name of another function) has no value to show;
 * - each property is read from its descriptor, up the prototype chain: a getter is shown as a
 *   getter and not called, a Proxy is not looked into (that would run its traps).
 *
 * The value becomes a node of the page's {@link ValueTree}, so it opens like a variable. Runs on the
 * main thread at the prompt; never throws and runs none of the program's code.
 */
import { types } from 'node:util';
import { describeFault } from '../render/format';
import type { Frame } from './frames';
import { moduleNames, readModuleBinding } from './module-bindings';
import { UNINITIALIZED } from '../records';
import type { HoverAnswer, HoverQuery } from './requests';
import type { ValueTree, ValueNode } from './value-tree';

/** Names in a chain at most (`a.b.c...`). Default 20. */
export const MAX_PATH = 20;
/** Prototypes walked at most to find a property. Default 100. */
const MAX_PROTOS = 100;
/** A name the page may ask about: an identifier (no private `#names`: they cannot be read from outside). */
const NAME = /^[$_\p{ID_Start}][$\u200c\u200d\p{ID_Continue}]{0,199}$/u;

/** The value of `query` in `frame`, as a node of `tree`; `{ none }` when there is nothing to show. Never throws. */
export function hoverValue(frame: Frame | undefined, query: HoverQuery, tree: ValueTree): HoverAnswer {
  try {
    if (!frame) return { none: 'no frame selected' };
    const { line, col, path } = query;
    if (!Array.isArray(path) || path.length === 0 || path.length > MAX_PATH || !path.every((p) => typeof p === 'string' && NAME.test(p))) {
      return { none: 'not a name' };
    }
    const root = rootBinding(frame, path[0], Number(line), Number(col));
    if (!root) return { none: `${path[0]} is not a variable of this frame` };
    if (root.error !== undefined)
      return { expression: path[0], scope: root.scope, node: { name: path[0], preview: `<${root.error}>`, type: 'error' } };
    let value = root.value;
    let expression = path[0];
    for (let i = 1; i < path.length; i++) {
      const step = property(value, path[i]);
      const owner = expression;
      expression += `.${path[i]}`;
      // A quiet note, not a value: what was not read, and why.
      if ('none' in step) return { expression, note: `${owner} ${step.none}` };
      if ('accessor' in step) {
        // The last name: show the accessor (not called); a name after it would need its value.
        if (i === path.length - 1) return { expression, scope: root.scope, node: tree.fromDescriptor(expression, step.accessor) };
        return { expression, note: `${expression} is a getter: not called, so ${path.slice(i + 1).join('.')} is not read` };
      }
      value = step.value;
    }
    const node: ValueNode = tree.node(expression, value, root.kind && path.length === 1 ? { kind: root.kind } : {});
    return { expression, scope: root.scope, node };
  } catch (fault) {
    return { none: `cannot show it: ${describeFault(fault)}` };
  }
}

/** The frame's binding named `name` at `line`:`col`, or undefined. */
function rootBinding(
  frame: Frame,
  name: string,
  line: number,
  col: number,
): { value: unknown; error?: string; scope: string; kind?: string } | undefined {
  if (insideFunction(frame, line, col)) {
    if (name === 'this') return frame.hasThis ? { value: frame.thisValue, scope: 'this' } : undefined;
    const b = frame.locals.get(name) ?? frame.closure.get(name);
    if (b) {
      const scope = frame.locals.has(name) ? 'Locals' : 'Closure';
      try {
        return { value: b.get(), scope, kind: b.kind };
      } catch (fault) {
        return { value: undefined, error: describeFault(fault), scope, kind: b.kind };
      }
    }
  }
  if (frame.mod && name !== 'this' && moduleNames(frame.mod).includes(name)) {
    const r = readModuleBinding(frame.mod, name);
    return { value: r.ok ? r.value : UNINITIALIZED, scope: 'Module' };
  }
  return undefined;
}

/** True when `line`:`col` lies in the source of the frame's own function (its locals mean something there). */
function insideFunction(frame: Frame, line: number, col: number): boolean {
  const m = frame.meta;
  if (!m || !Number.isInteger(line) || !Number.isInteger(col)) return false;
  const afterStart = line > m.line || (line === m.line && col >= m.col);
  const beforeEnd = line < m.endLine || (line === m.endLine && col <= m.endCol);
  return afterStart && beforeEnd;
}

/** Property `key` of `value` read from descriptors up its prototype chain (as `value[key]` would find it, minus the code). */
function property(value: unknown, key: string): { value: unknown } | { accessor: PropertyDescriptor } | { none: string } {
  if (value === null || value === undefined) return { none: `is ${String(value)}: it has no properties` };
  if (value === UNINITIALIZED) return { none: 'is not initialised yet' };
  // A primitive's properties live on its wrapper and prototype (`s.length`, `n.toFixed`); making the
  // wrapper runs nothing.
  let o: object | null = typeof value === 'object' || typeof value === 'function' ? value : (Object(value) as object);
  for (let depth = 0; o !== null && depth < MAX_PROTOS; depth++) {
    if (types.isProxy(o)) return { none: 'is a Proxy: its properties are not read (that would run its traps)' };
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return 'value' in d ? { value: d.value } : { accessor: d };
    o = Object.getPrototypeOf(o) as object | null;
  }
  return { value: undefined };
}
