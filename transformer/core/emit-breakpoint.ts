/**
 * `breakpoint(...)` calls imported from ts-pdb (and `Debugger.setTrace(...)`): which calls they are
 * (not a shadowing local of the same name), and the expression that replaces each, with its site
 * in the metadata (breakpoints.ts decides what a session there sees; templates.ts writes it).
 */
import { siteBindings } from './breakpoints';
import { displayName } from './display-name';
import type { FileState } from './file-state';
import { SET_TRACE_MEMBER } from './markers';
import type { Scope } from './scope-model';
import { breakpointExpression } from './templates';

/** True for `breakpoint(...)` or `Debugger.setTrace(...)` whose name is ts-pdb's import (not shadowed). */
export function isBreakpointCall<N>(s: FileState<N>, call: N): boolean {
  const c = s.syntax.callee(call);
  if (!c) return false;
  if ('name' in c) return s.markers.breakpoint.has(c.name) && s.info.refBinding.get(c.id)?.kind === 'import';
  return c.property === SET_TRACE_MEMBER && s.markers.debuggerNs.has(c.object) && s.info.refBinding.get(c.objectId)?.kind === 'import';
}

/** The expression that replaces the breakpoint call `call` (its arguments visited). */
export function breakpointCall<N>(s: FileState<N>, call: N): N {
  const { e, syntax: sx } = s;
  const args = sx.callArgs(call).map((a) => sx.visit(a)!);
  let scope: Scope<N> | undefined;
  let around: N | undefined;
  for (let p = sx.parent(call); p !== undefined; p = sx.parent(p)) {
    scope ??= s.info.scopes.get(p);
    if (sx.isFunction(p)) {
      around = p;
      break;
    }
  }
  const start = sx.startOffset(call);
  const { own, outer } = siteBindings(scope ?? s.info.module, (b) => b.decl !== undefined && s.hoist.end(b.decl) <= start);
  // The live frame attaches to the stack line of the function around the call (or the module's).
  let range: { name: string; line: number; col: number; endLine: number; endCol: number; hasThis: boolean };
  if (around !== undefined) {
    const p = sx.pos(around);
    const end = sx.endPos(around);
    range = {
      name: displayName(sx, around),
      line: p.line,
      col: p.col,
      endLine: end.line,
      endCol: end.col,
      hasThis: !sx.functionShape(around).isArrow,
    };
  } else {
    const end = sx.fileEnd();
    range = { name: '<module>', line: 1, col: 0, endLine: end.line, endCol: end.col, hasThis: false };
  }
  const site = s.meta.site(
    range,
    own.map((b) => ({ name: b.name, kind: b.kind })),
    outer.map((b) => ({ name: b.name, kind: b.kind })),
  );
  const thisValue = around !== undefined && !sx.functionShape(around).derivedConstructor ? e.this() : e.voidZero();
  return breakpointExpression(s, site, thisValue, args, [...own, ...outer]);
}
