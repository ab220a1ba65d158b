/**
 * The module prologue of an instrumented file (templates.ts `modulePrologue`): the descriptor's
 * getters, one per top-level binding, so that a session reads (and, where the program assigns
 * them itself, writes) the module's bindings; and CommonJS's own names.
 */
import type { FileState } from './file-state';
import { modulePrologue } from './templates';

/** CommonJS's module wrapper names a session can read (`require` is the session's own, from the module's file). */
const COMMONJS_NAMES = ['module', 'exports', '__filename', '__dirname'];

/**
 * The statements to put first in the file (after its directives).
 * @param file the file's name, as the runtime reports it
 * @param commonJsNames the output is CommonJS: getters for its wrapper's names
 * @param useRequire load the runtime with `require` (CommonJS output) rather than `import`
 */
export function prologue<N>(s: FileState<N>, file: string, commonJsNames: boolean, useRequire: boolean): N[] {
  const { e, info } = s;
  const getters: N[] = [];
  for (const name of info.module.order) {
    const b = info.module.bindings.get(name)!;
    if (name === s.names.ns || name === s.names.mod) continue;
    const ref = info.firstRef.get(b);
    if (b.kind === 'import' && (!ref || s.markers.decorator.has(name) || s.markers.debuggerNs.has(name))) continue;
    getters.push(e.getter(name, e.refId(name, ref)));
    // A setter only where the program itself assigns the binding: an assignment that V8 can see
    // would make it treat a constant-like binding as mutable (and slower) everywhere.
    const written = b.refs.find((r) => s.hoist.isWrite(r.id));
    if ((b.kind === 'let' || b.kind === 'var') && written) {
      getters.push(e.setter(name, s.names.unique('__tsPdbV'), e.refId(name, written.id)));
    }
  }
  // A getter returning `require` would make bundlers warn about a dynamic require.
  if (commonJsNames) for (const name of COMMONJS_NAMES) if (!info.module.bindings.has(name)) getters.push(e.getter(name, e.id(name)));
  return modulePrologue(s, file, getters, useRequire);
}
