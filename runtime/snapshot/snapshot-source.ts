/**
 * The snapshot frame source: the engine's FrameSource (engine/frame-source.ts) over a snapshot read
 * by read-snapshot.ts, so that the existing session (commands, evaluation, completion, the page's
 * requests) runs on the restored values with no program behind them. Frames carry their original
 * positions and the source text the file inlined; locals, closure bindings, `this` and module
 * bindings are bindings over restored values (assignable for the session, as post-mortem); a
 * module has getters over its restored bindings and no `ev`, so expressions compile in the global
 * scope with the frame's bindings as parameters.
 */
import type { Boundary, FrameSource } from '../engine/frame-source';
import type { Binding, Frame } from '../engine/frames';
import { type ModuleDesc, UNINITIALIZED } from '../records';
import { ValueDecoder } from './decode-values';
import type { BindingEntry, FrameEntry, Ref, SnapshotFile } from './snapshot-format';

/** A frame source over a snapshot. */
export class SnapshotFrameSource implements FrameSource {
  readonly kind = 'snapshot' as const;
  readonly thrown: unknown;
  /** The snapshot it reads (its process facts: the banner says whose snapshot it is). */
  readonly snapshot: SnapshotFile;
  private readonly decoder: ValueDecoder;
  private readonly frames: Array<{ value: unknown; frames: Frame[] }>;

  constructor(snapshot: SnapshotFile) {
    this.snapshot = snapshot;
    this.decoder = new ValueDecoder(snapshot.values);
    this.thrown = this.decoder.value(snapshot.thrown);
    const modules = snapshot.modules.map((m) => this.module(m.file, m.bindings));
    this.frames = snapshot.errors.map((e) => ({ value: this.decoder.value(e.value), frames: e.frames.map((f) => this.frame(f, modules)) }));
  }

  framesOf(value: unknown): Frame[] {
    return this.frames.find((e) => Object.is(e.value, value))?.frames ?? [];
  }

  boundary(): Boundary | undefined {
    const b = this.snapshot.session.boundary;
    return b ? { name: b.name, retry: false } : undefined;
  }

  private frame(f: FrameEntry, modules: ModuleDesc[]): Frame {
    const source = f.file !== undefined ? this.snapshot.sources[f.file] : undefined;
    let lines: string[] | undefined;
    const frame: Frame = {
      name: f.name,
      kind: f.kind,
      file: f.file,
      line: f.line,
      col: f.col,
      stack: f.stack,
      instrumented: f.instrumented,
      capturedLater: f.capturedLater,
      unmappedFrom: f.unmappedFrom,
      selectable: f.selectable,
      meta: f.meta,
      mod: f.module !== undefined ? modules[f.module] : undefined,
      hasThis: f.hasThis,
      thisValue: f.this !== undefined ? this.decoder.value(f.this) : undefined,
      locals: this.bindings(f.locals),
      closure: this.bindings(f.closure),
      lines: () => (source?.text !== undefined ? (lines ??= source.text.split('\n')) : undefined),
    };
    return frame;
  }

  private bindings(entries: BindingEntry[]): Map<string, Binding> {
    const map = new Map<string, Binding>();
    for (const [name, kind, ref] of entries) {
      const store = [this.decoder.value(ref)];
      map.set(name, {
        name,
        kind: kind,
        get: () => store[0],
        set: (v) => {
          store[0] = v;
        },
      });
    }
    return map;
  }

  /** A module with getters over its restored bindings, and no `ev`: nothing of the program can be evaluated. */
  private module(file: string, bindings: Array<[string, Ref]>): ModuleDesc {
    const g = Object.create(null) as Record<string, unknown>;
    for (const [name, ref] of bindings) {
      const store = [this.decoder.value(ref)];
      Object.defineProperty(g, name, {
        // In its temporal dead zone when the snapshot was taken: reading it fails as it did in the program.
        get: () => {
          if (store[0] === UNINITIALIZED) throw new ReferenceError(`Cannot access '${name}' before initialization`);
          return store[0];
        },
        set: (v: unknown) => {
          store[0] = v;
        },
        enumerable: true,
        configurable: true,
      });
    }
    return { file, g, meta: '{"v":1,"fns":[],"scopes":[]}' };
  }
}
