/**
 * The generated code, template by template: each function here writes one piece of what an
 * instrumented file contains (docs/transformer-design.md shows them in place), with the adapter's node builders.
 * The names (`__tsPdb`, `__tsPdbM`, `__tsPdbE`, temporaries) come from the file's state; the
 * runtime entries called (`b`, `f`, `F`, `B`, `r`, `U`, `bp`, `w`, `m`, `settings`) are
 * runtime/capture.ts's.
 */
import type { FileState, ScopeCtx } from './file-state';

/**
 * `let t; try { t = <read>; } catch { t = __tsPdb.U; }` (pushed to `out`), and `t`: a read that may
 * hit a TDZ (a closure variable, `this` in a derived constructor, any binding of a `switch`).
 */
export function guardedRead<N>(s: FileState<N>, read: N, out: N[]): N {
  const { e } = s;
  const t = s.names.temp();
  out.push(e.letDecl([t]));
  out.push(
    e.tryCatch([e.exprStmt(e.assign(e.id(t), read))], e.catchClause(undefined, [e.exprStmt(e.assign(e.id(t), s.rt('U')))], true), true),
  );
  return e.id(t);
}

/**
 * `catch (__tsPdbE) { ...body; throw __tsPdbE; }`. The function's own (outermost) catch says what
 * its rethrow is: Node prints the line of the last `throw` above an uncaught error's stack.
 */
export function rethrowingCatch<N>(s: FileState<N>, body: N[], outermost = false): N {
  const again = s.e.throw(s.e.id(s.names.err), outermost ? ' ts-pdb: the error below, rethrown unchanged' : undefined);
  return s.e.catchClause(s.names.err, [...body, again]);
}

/**
 * The catch of a block scope: `__tsPdb.b(__tsPdbE, __tsPdbM, <scope>, ...values)`, a value for each
 * name: the binding where it is initialised, `__tsPdb.U` where not yet (every read guarded in a
 * `switch`, where that depends on the case that ran).
 */
export function scopeCatch<N>(s: FileState<N>, ctx: ScopeCtx, initialized: ReadonlySet<string>): N {
  const { e } = s;
  const body: N[] = [];
  const values = ctx.names.map((n) => {
    if (ctx.guard) return guardedRead(s, e.id(n.name), body);
    return initialized.has(n.name) ? e.id(n.name) : s.rt('U');
  });
  body.push(e.exprStmt(e.call(s.rt('b'), [e.id(s.names.err), e.id(s.names.mod), e.num(ctx.idx), ...values])));
  return rethrowingCatch(s, body);
}

/**
 * What a function's catch does with the frame record `record` (`__tsPdb.<entry>(...)`,
 * frame-plan.ts `catchEntry`), pushed to `out`: `f` and `F` record; `B` answers 1 when the session
 * ended with `return expr` (return that value instead of throwing) and, for a retryable boundary,
 * 2 for `retry` (run the body again: `continue` the loop of {@link functionTry}).
 */
export function frameRecord<N>(s: FileState<N>, entry: 'f' | 'F' | 'B', record: N, retry: boolean, out: N[]): void {
  const { e } = s;
  const returnValue = e.return(e.call(s.rt('r'), []));
  if (retry)
    out.push(
      e.switch(record, [
        [e.num(1), [returnValue]],
        [e.num(2), [e.continue()]],
      ]),
    );
  else out.push(entry === 'B' ? e.if(record, returnValue) : e.exprStmt(record));
}

/**
 * The function's try: `try { ...inner } catch (__tsPdbE) { ...catchBody; throw __tsPdbE; }`, in a
 * retry loop for a retryable boundary (`for (;;) { try { ...inner; return; } catch ... }`: the
 * body's own `return` ends the loop, or the one added when its last statement does not leave).
 */
export function functionTry<N>(s: FileState<N>, inner: N[], catchBody: N[], retry: boolean, endsWithExit: boolean): N {
  const { e } = s;
  if (!retry) return e.tryCatch(inner, rethrowingCatch(s, catchBody, true));
  return e.forEver([e.tryCatch(endsWithExit ? inner : [...inner, e.return()], rethrowingCatch(s, catchBody, true))]);
}

/**
 * A `breakpoint(args)` call (breakpoints.ts):
 * `__tsPdb.settings.enabled ? (__tsPdb.bp(M, site, this, args[0], [values]) && (a = __tsPdb.w[0], ...), void 0) : (args, void 0)`.
 * Values, not closures (a closure would keep the bindings in the function's context on every
 * pass); what the session changed comes back in `__tsPdb.w` and is assigned here. The arguments
 * are evaluated either way, as the call would.
 */
export function breakpointExpression<N>(
  s: FileState<N>,
  site: number,
  thisValue: N,
  args: readonly N[],
  bindings: readonly { name: string; writable: boolean }[],
): N {
  const { e } = s;
  const stop = e.call(s.rt('bp'), [
    e.id(s.names.mod),
    e.num(site),
    thisValue,
    args[0] ?? e.voidZero(),
    e.array(bindings.map((b) => e.id(b.name))),
  ]);
  const writes = bindings.flatMap((b, i) => (b.writable ? [e.assign(e.id(b.name), e.index(s.rt('w'), i))] : []));
  const live = writes.length ? e.seq([e.and(stop, e.paren(e.seq(writes))), e.voidZero()]) : e.seq([stop, e.voidZero()]);
  const off = args.length ? e.paren(e.seq([...args.map((a) => e.copy(a)), e.voidZero()])) : e.voidZero();
  return e.paren(e.cond(e.member(s.rt('settings'), 'enabled'), e.paren(live), off));
}

/**
 * The module prologue: `import * as __tsPdb from "<runtime>"` (or `var __tsPdb = require(...)`) and
 * `var __tsPdbM = __tsPdb.m({ file, g: { ...getters }, meta: "<JSON>" })`.
 * @param useRequire CommonJS output: a plain `require` (`module.require` when the program declares its own `require`)
 */
export function modulePrologue<N>(s: FileState<N>, file: string, getters: N[], useRequire: boolean): N[] {
  const { e } = s;
  const desc = e.object([
    e.prop('file', e.str(file)),
    e.prop('g', e.object(getters)),
    e.prop('meta', e.str(JSON.stringify(s.meta.meta()))),
  ]);
  const runtime = e.str(s.options.runtimeModule);
  const requireFn = s.info.module.bindings.has('require') ? e.member(e.id('module'), 'require') : e.id('require');
  const importRuntime = useRequire
    ? e.varDecl(s.names.ns, e.call(requireFn, [runtime]))
    : e.importNamespace(s.names.ns, s.options.runtimeModule);
  return [importRuntime, e.varDecl(s.names.mod, e.call(s.rt('m'), [desc]))];
}
