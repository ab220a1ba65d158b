/**
 * The session as structured data (requests.ts's {@link SessionRequests}): what a page shows beside
 * the console (stack, source, variables, exception chain, displays) and what it asks (a page of a
 * value's children, an expression's value, completions), computed on the main thread from the
 * session (session.ts), which knows nothing of pages. Runs while the program is stopped, at each
 * prompt and for each request; every answer is bounded, and a refusal is an Error with its reason.
 */
import { summary } from '../render/boxed';
import { displayPath } from '../render/display-path';
import { describeFault } from '../render/format';
import { tokenLines, WEB_LINE_WIDTH, type Token } from '../render/html-highlight';
import { completionsOf, type Completer } from './channel';
import { globalsObject } from './evaluate';
import type { Frame } from './frames';
import { hoverValue } from './hover-value';
import type {
  CompleteAnswer,
  EvaluateAnswer,
  FrameView,
  ScopeView,
  SessionRequests,
  SessionState,
  SourceAnswer,
  StackAnswer,
  ViewRequest,
} from './requests';
import type { Session } from './session';
import { ValueTree, type ValueNode } from './value-tree';

/** Frames listed at most (a deep recursion with `Error.stackTraceLimit = Infinity` has thousands). Default 500. */
export const MAX_FRAMES = 500;
/** Bindings listed at most per scope. Default 1000. */
export const MAX_BINDINGS = 1000;
/** Source lines sent at most for one frame: a window around the current line in bigger files. Default 5000. */
export const SOURCE_WINDOW = 5000;
/**
 * Characters of source sent at most for one frame (lines are cut at html-highlight's
 * WEB_LINE_WIDTH): a file of long lines gets a narrower window around the current line. Default 2,000,000.
 */
export const SOURCE_CHARS = 2_000_000;

/** The structured view of one session. */
export class SessionView implements SessionRequests {
  private readonly tree = new ValueTree();
  private version = 0;

  constructor(private readonly session: Session) {}

  /** The state to show now; forgets the handles of the previous one. Never throws. */
  state(): SessionState {
    this.tree.reset();
    const s = this.session;
    const state: SessionState = {
      version: ++this.version,
      title: summary(s.thrown),
      where: safe(() => s.where, '<unknown>'),
      exceptions: [],
      exceptionIndex: s.exceptionIndex,
      frames: [],
      index: s.index,
      scopes: [],
      displays: [],
    };
    try {
      state.exceptions = s.chain.map((e, i) => ({
        index: i,
        label: e.label,
        depth: e.depth,
        text: firstLine(describeFault(e.value)),
      }));
    } catch {
      /* an empty chain */
    }
    try {
      const { frames, moreFrames } = this.stack();
      state.frames = frames;
      if (moreFrames) state.moreFrames = moreFrames;
    } catch {
      /* no frames */
    }
    try {
      state.scopes = this.scopes(s.frame);
    } catch (fault) {
      state.scopes = [{ name: 'Locals', nodes: [{ name: '<error>', preview: describeFault(fault), type: 'error' }] }];
    }
    try {
      state.displays = s.listDisplays().map((d) => ({ expr: d.expr, text: d.text }));
    } catch {
      /* none */
    }
    return state;
  }

  /**
   * Answers one request (see requests.ts's {@link ViewRequest}).
   * @param complete the waiting prompt's completer, for `complete`.
   * @throws Error with a message for the front-end (an unknown method, a bad frame number, an old handle, an expression that throws).
   */
  request(req: ViewRequest, complete?: Completer): unknown {
    const s = this.session;
    switch (req.method) {
      case 'stack':
        return this.stack();
      case 'scopes':
        return this.scopes(this.frameAt(req.params?.frame));
      case 'children': {
        const { ref, from, to } = req.params;
        return this.tree.children(Number(ref), from === undefined ? undefined : Number(from), to === undefined ? undefined : Number(to));
      }
      case 'evaluate':
        return this.evaluate(String(req.params.expression ?? ''), req.params.frame);
      case 'complete': {
        const [candidates, substring] = completionsOf(String(req.params.line ?? ''), complete);
        return { candidates, substring } satisfies CompleteAnswer;
      }
      case 'source':
        return sourceOf(s.frames[Number(req.params.frame)]);
      case 'hover':
        return hoverValue(s.frames[Number(req.params.frame)], req.params, this.tree);
      case 'select': {
        const i = Number(req.params.frame);
        const f = s.frames[i];
        if (!f || !f.selectable) throw new Error(`frame ${i} has no source or locals to show`);
        s.select(i);
        return { ok: true };
      }
      case 'exception': {
        const problem = s.selectException(Number(req.params.index));
        if (problem) throw new Error(problem);
        return { ok: true };
      }
      default:
        throw new Error(`unknown request ${JSON.stringify((req as { method: unknown }).method)}`);
    }
  }

  /** The frames of the exception shown, at most {@link MAX_FRAMES}. */
  private stack(): StackAnswer {
    const frames = this.session.frames;
    const out: StackAnswer = { frames: frames.slice(0, MAX_FRAMES).map((f, i) => frameView(f, i)), index: this.session.index };
    if (frames.length > MAX_FRAMES) out.moreFrames = frames.length - MAX_FRAMES;
    return out;
  }

  /** Frame `i` of the stack (undefined: the selected one). @throws Error when there is no such frame. */
  private frameAt(i: number | undefined): Frame | undefined {
    if (i === undefined || i === null) return this.session.frame;
    const f = this.session.frames[Number(i)];
    if (!f) throw new Error(`no frame ${JSON.stringify(i)}`);
    return f;
  }

  /** An expression's value in a frame, as a node whose children can be asked for. */
  private evaluate(expression: string, frame: number | undefined): EvaluateAnswer {
    if (!expression.trim()) throw new Error('no expression to evaluate');
    const at = frame === undefined || frame === null ? undefined : Number(frame);
    if (at !== undefined && !this.session.frames[at]) throw new Error(`no frame ${JSON.stringify(frame)}`);
    const r = this.session.evaluate(expression, 'expression', at);
    if (!r.ok) throw new Error(describeFault(r.error));
    return { node: this.tree.node(expression, r.value) };
  }

  private scopes(frame: Frame | undefined): ScopeView[] {
    if (!frame) return [];
    const out: ScopeView[] = [];
    const bindings = (map: Frame['locals']): ValueNode[] => {
      const nodes: ValueNode[] = [];
      for (const b of map.values()) {
        if (nodes.length >= MAX_BINDINGS) {
          nodes.push({ name: '…', preview: `${map.size - MAX_BINDINGS} more not listed (p locals() shows them)`, type: 'note' });
          break;
        }
        let value: unknown;
        try {
          value = b.get();
        } catch (fault) {
          nodes.push({ name: b.name, preview: `<${describeFault(fault)}>`, type: 'error', kind: b.kind });
          continue;
        }
        nodes.push(this.tree.node(b.name, value, { kind: b.kind }));
      }
      return nodes;
    };
    out.push({
      name: 'Locals',
      nodes: bindings(frame.locals),
      ...(frame.instrumented
        ? {}
        : {
            note: frame.capturedLater
              ? 'no locals captured here (they are captured as an error leaves the function)'
              : 'no locals: this function is not instrumented',
          }),
    });
    if (frame.closure.size) out.push({ name: 'Closure', nodes: bindings(frame.closure) });
    // `this` undefined in a plain function is noise; in a method (`Job.run`) it may be the bug.
    if (frame.hasThis && (frame.thisValue !== undefined || frame.name.includes('.'))) {
      out.push({ name: 'this', nodes: [this.tree.node('this', frame.thisValue)] });
    }
    if (frame.mod?.g) {
      const module = this.tree.node('module', globalsObject(frame.mod));
      if (module.ref !== undefined) out.push({ name: 'Module', nodes: [], ref: module.ref });
    }
    return out;
  }
}

/** One frame as the stack list shows it. */
function frameView(f: Frame, i: number): FrameView {
  const v: FrameView = {
    index: i,
    name: f.name,
    kind: f.kind,
    selectable: f.selectable,
    instrumented: f.instrumented,
    location: f.file ? `${displayPath(f.file)}:${f.line ?? '?'}` : (f.stack?.text.replace(/^at /, '') ?? f.name),
  };
  if (f.file && f.selectable) {
    v.file = f.file;
    if (f.line !== undefined) v.line = f.line;
    if (f.col !== undefined) v.col = f.col;
  }
  return v;
}

/** The source lines of a frame's file, highlighted; a window around the current line in a big file. */
function sourceOf(f: Frame | undefined): SourceAnswer {
  if (!f || !f.file) throw new Error('this frame has no source file');
  const lines = f.lines();
  if (!lines) return { file: f.file, shown: displayPath(f.file), first: 1, total: 0, lines: [], missing: true };
  let first = 1;
  let last = lines.length;
  if (lines.length > SOURCE_WINDOW) {
    const at = f.line ?? 1;
    first = Math.max(1, at - SOURCE_WINDOW / 2);
    last = Math.min(lines.length, first + SOURCE_WINDOW - 1);
  }
  // Long lines (a minified file, a data literal): the window narrows around the current line.
  const width = (n: number): number => Math.min(lines[n - 1].length, WEB_LINE_WIDTH) + 1;
  let chars = 0;
  for (let n = first; n <= last; n++) chars += width(n);
  const at = Math.min(Math.max(f.line ?? first, first), last);
  while (chars > SOURCE_CHARS && last > first) {
    if (last - at >= at - first) chars -= width(last--);
    else chars -= width(first++);
  }
  const tokens: Token[][] = tokenLines(lines).slice(first - 1, last);
  return { file: f.file, shown: displayPath(f.file), first, total: lines.length, lines: tokens };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

function safe<T>(get: () => T, fallback: T): T {
  try {
    return get();
  } catch {
    return fallback;
  }
}
