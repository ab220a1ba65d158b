/**
 * Live breakpoints: which bindings a session at a `breakpoint(...)` call (imported from ts-pdb, or
 * `Debugger.setTrace(...)`) can read and write, and where such calls are in a file's text.
 *
 * The call becomes `__tsPdb.settings.enabled ? (__tsPdb.bp(__tsPdbM, <site>, this, <args[0]>,
 * [a, b, c]) && (a = __tsPdb.w[0], ...), void 0) : (<args>, void 0)` (templates.ts
 * `breakpointExpression`, emit-breakpoint.ts) with a metadata entry for the site
 * (`FnMeta.site = 'breakpoint'`). Debugging off, the call costs a property read; values are passed,
 * not closures, so the bindings stay in registers on every pass.
 */
import type { BindingKind } from '../../runtime/records';
import { NEVER_CAPTURED } from './frame-plan';
import { SET_TRACE_MEMBER } from './markers';
import type { Binding, Scope } from './scope-model';

/** One binding a breakpoint session sees; `writable` when the program's binding can be assigned. */
export interface SiteBinding<N> {
  name: string;
  kind: BindingKind;
  binding: Binding<N>;
  writable: boolean;
}

const SEEN_KINDS: ReadonlySet<string> = new Set(['param', 'var', 'let', 'const', 'function', 'class', 'catch', 'using']);
const WRITABLE: ReadonlySet<string> = new Set(['param', 'var', 'let', 'catch']);

/**
 * The bindings visible at a call in scope `inner`: the enclosing function's (`own`, innermost
 * scope first, each name once) and those of enclosing functions (`outer`, shown as closure
 * variables). Module-level bindings are not listed: sessions reach them through the module's
 * getters. A `let`, `const`, `class` or `using` binding counts only when `declaredBefore` says its
 * declaration ends before the call: reading one still in its temporal dead zone would throw.
 */
export function siteBindings<N>(
  inner: Scope<N>,
  declaredBefore: (b: Binding<N>) => boolean,
): { own: SiteBinding<N>[]; outer: SiteBinding<N>[] } {
  const own: SiteBinding<N>[] = [];
  const outer: SiteBinding<N>[] = [];
  const seen = new Set<string>();
  for (let s: Scope<N> | undefined = inner; s && s.kind !== 'module'; s = s.parent) {
    for (const name of s.order) {
      if (seen.has(name)) continue;
      seen.add(name);
      const b = s.bindings.get(name)!;
      if (!SEEN_KINDS.has(b.kind) || NEVER_CAPTURED.has(name)) continue;
      if ((b.kind === 'let' || b.kind === 'const' || b.kind === 'class' || b.kind === 'using') && !declaredBefore(b)) continue;
      const entry = { name, kind: b.kind as BindingKind, binding: b, writable: WRITABLE.has(b.kind) };
      (s.fn === inner.fn ? own : outer).push(entry);
    }
  }
  return { own, outer };
}

/**
 * Offsets of the breakpoint calls' names in a file's text (for marked mode's hotspots: a statement
 * holding one must be visited); none when the file imports neither name.
 */
export function breakpointOffsets(text: string, imports: { breakpoint: ReadonlySet<string>; debuggerNs: ReadonlySet<string> }): number[] {
  const out: number[] = [];
  const words = [...imports.breakpoint, ...(imports.debuggerNs.size ? [SET_TRACE_MEMBER] : [])];
  for (const w of words) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) out.push(i);
  return out;
}
