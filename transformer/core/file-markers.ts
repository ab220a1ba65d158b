/**
 * The markers of one file, handled once for both adapters: its marker imports (or that it is
 * instrumented already), the marker decorators (removed in every build; the functions they mark
 * are boundaries), what a marked-mode build need not visit, and the marker imports that go once
 * the decorators are gone. The adapter answers what an import or a decorator is (`EmitSyntax`),
 * removes the decorators and rebuilds the imports.
 */
import { breakpointOffsets } from './breakpoints';
import type { EmitSyntax } from './emit-syntax';
import { MarkerImports, RUNTIME_MODULES } from './markers';
import type { ResolvedOptions } from './options';
import { identifierNames } from './tree-queries';

/**
 * The marker imports among a file's top-level statements, or undefined when it imports the capture
 * module (`runtimeModule`): it is instrumented already and is left alone.
 */
export function readMarkerImports<N>(
  sx: Pick<EmitSyntax<N>, 'importOf'>,
  statements: readonly N[],
  runtimeModule: string,
): MarkerImports<N> | undefined {
  const markers = new MarkerImports<N>();
  for (const st of statements) {
    const imp = sx.importOf(st);
    if (imp?.module === runtimeModule) return undefined;
    if (imp?.named && RUNTIME_MODULES.has(imp.module)) markers.add(st, imp.named);
  }
  return markers;
}

/**
 * True when a file certainly needs nothing from the transform, read from its text alone: it imports
 * no marker, and no function in it can be marked or instrumented (`instrument: "marked"` and no
 * `@debuggable` comment, or the transform is off). Both adapters then leave it untouched without
 * analysing it: in marked mode most files of a project cost nothing.
 */
export function nothingToDo(importsMarkers: boolean, text: string, options: ResolvedOptions): boolean {
  if (importsMarkers) return false;
  return !options.enabled || (options.instrument === 'marked' && !text.includes('@debuggable'));
}

/**
 * The places of a file that can matter in marked mode: every `@debuggable` in its text and every
 * marker decorator. A subtree that spans none of them has nothing to instrument and nothing to
 * remove, and an adapter need not visit it.
 */
export class Hotspots {
  private readonly at: number[];

  /** @param text the file's text; @param more offsets of marker decorators */
  constructor(text: string, more: Iterable<number>) {
    const at = [...more];
    for (let i = text.indexOf('@debuggable'); i >= 0; i = text.indexOf('@debuggable', i + 1)) at.push(i);
    this.at = at.sort((x, y) => x - y);
  }

  /** True when an offset in [start, end) is a hotspot. */
  within(start: number, end: number): boolean {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.at.length && this.at[lo] < end;
  }
}

/** The marker decorators of a file, the nodes that carry them, and the functions they mark (boundaries). */
export interface MarkerDecorators<N> {
  removed: Set<N>;
  owners: Set<N>;
  boundaries: Set<N>;
}

/**
 * Finds the marker decorators (`@attachOnError()`, `@Debugger.attachOnError()`) of a file.
 * @param mayHold when given, false for a subtree that holds no decorator (it is not walked); default: every subtree is walked
 */
export function findMarkerDecorators<N>(
  sx: EmitSyntax<N>,
  root: N,
  markers: MarkerImports<N>,
  mayHold?: (n: N) => boolean,
): MarkerDecorators<N> {
  const found: MarkerDecorators<N> = { removed: new Set(), owners: new Set(), boundaries: new Set() };
  if (!markers.decorator.size && !markers.debuggerNs.size) return found;
  const visit = (n: N): void => {
    if (mayHold !== undefined && !mayHold(n)) return;
    for (const d of sx.decorators(n)) {
      const call = sx.decoratorCall(d);
      if (call === undefined || !markers.isDecoratorCallee(sx.callee(call))) continue;
      found.removed.add(d);
      found.owners.add(n);
      if (sx.isFunction(n)) found.boundaries.add(n);
    }
    sx.forEachChild(n, visit);
  };
  visit(root);
  return found;
}

/**
 * Marked mode: a test for the members of a list (statements, class members, object members) that
 * span no hotspot (`markerOffsets`: where the marker decorators are): nothing in them changes, and
 * the adapter leaves them unvisited. Undefined in `all` mode.
 */
export function coldMembers<N>(
  sx: EmitSyntax<N>,
  options: ResolvedOptions,
  text: string,
  markers: MarkerImports<N>,
  markerOffsets: number[],
): ((n: N) => boolean) | undefined {
  if (options.instrument !== 'marked') return undefined;
  const hot = new Hotspots(text, markerOffsets.concat(breakpointOffsets(text, markers)));
  return (n) => {
    const range = sx.memberRange(n);
    return range !== undefined && !hot.within(range[0], range[1]);
  };
}

/**
 * The top-level statements without the marker imports nothing else uses (so a build-off program
 * never loads ts-pdb), once marker decorators were removed; `statements` itself when none goes.
 * @param removed the removed decorators (not uses)
 * @param original the node a statement was visited from (TypeScript's visitor makes new ones)
 * @param mayMention when given, false for a subtree that holds no identifier named as a marker
 *   decorator's import (it is not walked: only those names are asked of the uses); default: every subtree is walked
 */
export function pruneMarkerImports<N>(
  sx: EmitSyntax<N>,
  root: N,
  statements: readonly N[],
  markers: MarkerImports<N>,
  removed: ReadonlySet<N>,
  original: (st: N) => N = (st) => st,
  mayMention?: (n: N) => boolean,
): readonly N[] {
  const used = identifierNames(
    sx,
    root,
    (n) => removed.has(n) || sx.importOf(n) !== undefined || (mayMention !== undefined && !mayMention(n)),
  );
  let changed = false;
  const out = statements.flatMap((st) => {
    const decl = original(st);
    if (!markers.declarations.has(decl)) return [st];
    const locals = sx.importLocals(decl);
    const keep = locals.filter((local) => markers.keeps(local, used));
    if (keep.length === locals.length) return [st];
    changed = true;
    const pruned = sx.withImportLocals(decl, keep);
    return pruned === undefined ? [] : [pruned];
  });
  return changed ? out : statements;
}
