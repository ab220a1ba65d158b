/**
 * The decisions made while one file is instrumented (as istanbul keeps a `VisitState` per file):
 * the names the transform adds, the metadata being built, the functions marked by a decorator, the
 * marker imports, and which bindings the hoist plans moved. The emit-* files read and extend it;
 * the adapter creates one per file, with its answers to the syntax questions and its node builders.
 */
import type { BindingKind } from '../../runtime/records';
import type { EmitSyntax } from './emit-syntax';
import type { Emitter } from './emitter';
import { type Capturable, instrumentRole, MetaBuilder, textAllows } from './frame-plan';
import { type HoistPlan, type HoistSyntax } from './hoist-plan';
import type { CommentMarker, MarkerImports } from './markers';
import { GeneratedNames } from './names';
import type { ResolvedOptions } from './options';
import type { Binding, ScopeInfo } from './scope-model';
import { contains } from './tree-queries';

/** A scope whose catches report its bindings: its metadata index, its names, and whether every read is guarded (a `switch`). */
export interface ScopeCtx {
  idx: number;
  names: Capturable[];
  guard: boolean;
}

/** What the adapter hands over when it starts on a file. */
export interface FileInput<N> {
  syntax: EmitSyntax<N>;
  emit: Emitter<N>;
  hoist: HoistSyntax<N>;
  info: ScopeInfo<N>;
  options: ResolvedOptions;
  markers: MarkerImports<N>;
  /** Functions marked by a marker decorator (the decorator is gone from the output). */
  boundaries: ReadonlySet<N>;
  /** The file's text (what it allows spares per-function walks). */
  text: string;
}

/** The per-file state of the emission. */
export class FileState<N> {
  readonly syntax: EmitSyntax<N>;
  readonly e: Emitter<N>;
  readonly hoist: HoistSyntax<N>;
  readonly info: ScopeInfo<N>;
  readonly options: ResolvedOptions;
  readonly markers: MarkerImports<N>;
  readonly boundaries: ReadonlySet<N>;
  /** Generated names: `ns` (`__tsPdb`), `mod` (`__tsPdbM`), `err` (`__tsPdbE`), temporaries. */
  readonly names: GeneratedNames;
  /** The module's metadata, in emission order. */
  readonly meta = new MetaBuilder();
  /** Block bindings moved (to function level or a loop body's top), and their declaring nodes. */
  readonly moved = new Set<Binding<N>>();
  readonly movedDecls = new Set<N>();
  /** Bindings moved to the top of a loop's body, by loop. */
  readonly loopMoves = new Map<N, Binding<N>[]>();
  private readonly allows: { eval: boolean; with: boolean };

  constructor(input: FileInput<N>) {
    this.syntax = input.syntax;
    this.e = input.emit;
    this.hoist = input.hoist;
    this.info = input.info;
    this.options = input.options;
    this.markers = input.markers;
    this.boundaries = input.boundaries;
    this.names = new GeneratedNames(input.info.identifiers, true);
    this.allows = textAllows(input.text);
  }

  /** `__tsPdb.<name>`: a runtime entry. */
  rt(name: string): N {
    return this.e.member(this.e.id(this.names.ns), name);
  }

  /** True when a node carries decorators in the source (marker decorators included: the adapter may have removed them). */
  decorated(n: N): boolean {
    return this.syntax.decorators(n).length > 0 || this.boundaries.has(n);
  }

  /** Whether to instrument a function, and as what (frame-plan.ts `instrumentRole`). */
  role(fn: N): 'boundary' | 'frame' | undefined {
    const sx = this.syntax;
    if (!sx.hasCode(fn) || !this.options.enabled) return undefined;
    // A function the scope walk never entered sits in a type (`type T = { [(() => 1)()]: number }`):
    // it is erased with the type, and has no scope to capture.
    if (!this.info.scopes.has(fn)) return undefined;
    const body = sx.bodyNode(fn);
    return instrumentRole(
      {
        hasBody: true,
        directEval: this.allows.eval && contains(sx, body, (n) => sx.isDirectEval(n)),
        withStatement: this.allows.with && (contains(sx, body, (n) => sx.isWith(n)) || this.insideWith(fn)),
        redeclaresLexically: this.info.scopes.get(fn)?.redeclaresLexically,
        comment: this.comment(fn),
        decorated: this.boundaries.has(fn),
      },
      this.options,
    );
  }

  /** The comment marker written before a function, looking through the nodes that hold it (`const f = () => ...`). */
  private comment(fn: N): CommentMarker {
    const holders: N[] = [fn];
    for (let p = this.syntax.parent(fn); p !== undefined;) {
      const kind = this.syntax.commentHolder(p);
      if (!kind) break;
      holders.push(p);
      if (kind === 'last') break;
      p = this.syntax.parent(p);
    }
    let found: CommentMarker;
    for (const h of holders) {
      const m = this.syntax.commentMarker(h);
      if (m === 'no-debug') return m;
      if (m) found = m;
    }
    return found;
  }

  private insideWith(n: N): boolean {
    for (let p = this.syntax.parent(n); p !== undefined; p = this.syntax.parent(p)) if (this.syntax.isWith(p)) return true;
    return false;
  }

  /** Registers a block scope of the current function and returns its catch context. */
  scope(node: N, names: Capturable[], guard = false, declEnds?: ([number, number] | null)[]): ScopeCtx {
    return { idx: this.meta.scope(this.syntax.pos(node), names, declEnds), names, guard };
  }

  /** Where a moved binding's declaration ends (`[line, col]`): before it, `undefined` means uninitialised. */
  declEnd(b: Binding<N>): [number, number] {
    return this.syntax.declEnd(b.decl!);
  }

  /** Records a function's hoist plan (its bindings are now declared where they moved to). */
  move(plan: HoistPlan<N>): void {
    for (const b of movedBindings(plan)) {
      this.moved.add(b);
      this.movedDecls.add(b.decl!);
    }
    for (const [loop, list] of plan.loops) this.loopMoves.set(loop, list);
  }

  /** Takes a plan back (the function is left as written after all). */
  unmove(plan: HoistPlan<N>): void {
    for (const b of movedBindings(plan)) {
      this.moved.delete(b);
      this.movedDecls.delete(b.decl!);
    }
    for (const loop of plan.loops.keys()) this.loopMoves.delete(loop);
  }
}

function movedBindings<N>(plan: HoistPlan<N>): Binding<N>[] {
  return [...plan.fn, ...[...plan.loops.values()].flat()];
}

/** The name and kind of a binding, as a catch captures it. */
export function capturable<N>(b: Binding<N>): Capturable {
  return { name: b.name, kind: b.kind as BindingKind };
}
