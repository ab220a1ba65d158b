/**
 * The module prologue of an instrumented file (templates.ts `modulePrologue`): the descriptor's
 * getters, one per top-level binding, so that a session reads (and, where the program assigns
 * them itself, writes) the module's bindings; and CommonJS's own names.
 */
import type { FileState } from './file-state';
import { isWrite } from './hoist-plan';
import { modulePrologue } from './templates';
import { leadingDirectives } from './tree-queries';

/** CommonJS's module wrapper names a session can read (`require` is the session's own, from the module's file). */
const COMMONJS_NAMES = ['module', 'exports', '__filename', '__dirname'];

/**
 * The file's top-level statements with the prologue put first (after its directives).
 * @param statements the file's top-level statements
 * @param file the file's name, as the runtime reports it
 * @param commonJsNames the output is CommonJS: getters for its wrapper's names
 * @param useRequire load the runtime with `require` (CommonJS output) rather than `import`
 */
export function withPrologue<N>(s: FileState<N>, statements: readonly N[], file: string, commonJsNames: boolean, useRequire: boolean): N[] {
  const d = leadingDirectives(s.syntax, statements);
  return [...statements.slice(0, d), ...prologue(s, file, commonJsNames, useRequire), ...statements.slice(d)];
}

function prologue<N>(s: FileState<N>, file: string, commonJsNames: boolean, useRequire: boolean): N[] {
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
    const written = b.refs.find((r) => isWrite(s.hoist, r.id));
    if ((b.kind === 'let' || b.kind === 'var') && written) {
      getters.push(e.setter(name, s.names.unique('__tsPdbV'), e.refId(name, written.id)));
    }
  }
  // A getter returning `require` would make bundlers warn about a dynamic require.
  if (commonJsNames) for (const name of COMMONJS_NAMES) if (!info.module.bindings.has(name)) getters.push(e.getter(name, e.id(name)));
  return modulePrologue(s, file, getters, useRequire);
}
