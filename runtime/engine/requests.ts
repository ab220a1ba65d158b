/**
 * The structured interface of a session: what a front-end that shows data asks the engine, and
 * the shapes of the answers. The web page asks it today (web/web-channel.ts); a Debug Adapter
 * Protocol front-end (issue #12) maps DAP's `stackTrace`, `scopes`, `variables`, `evaluate` and
 * `completions` onto the same requests. The other half of the interface is text lines (channel.ts).
 *
 * Requests are answered on the main thread while the session waits for a line (inside a
 * Channel's `readLine`): the program is stopped then, and its values hold still. Value handles
 * (`ref`) live until the next {@link SessionRequests.state} (each prompt): a front-end asks again
 * for what it shows, so values a command changed are seen fresh.
 */
import type { Token } from '../render/html-highlight';
import type { Completer } from './channel';
import type { ChildrenAnswer, ValueNode } from './value-tree';

export type { ChildrenAnswer, ValueNode };

/** One frame of the stack, innermost first. */
export interface FrameView {
  index: number;
  name: string;
  /** Where the frame comes from: `file`, `node`, `native`, `eval`, `record`, `unknown`. */
  kind: string;
  /** False for node internals and native code (a page shows them dimmed, not clickable). */
  selectable: boolean;
  /** True when its locals were captured. */
  instrumented: boolean;
  /** `src/app.ts:14`, or the stack line for frames without a file. */
  location: string;
  /** Absolute path of the original source, for frames with source (the source cache's key). */
  file?: string;
  /** The current line, 1-based. */
  line?: number;
  /** The current column, 0-based (a page scrolls a long line to it). */
  col?: number;
}

/** A group of variables: `Locals`, `Closure`, `this`, `Module` (lazy: only `ref`). */
export interface ScopeView {
  name: string;
  nodes: ValueNode[];
  /** For a group listed on demand (the module's bindings): ask `children` of it. */
  ref?: number;
  /** Why the group is empty (a frame that was not instrumented). */
  note?: string;
}

/** The session's state: what a page shows beside the console (sent at each prompt, and after a frame or error is selected). */
export interface SessionState {
  /** Grows with each state: an answer about an older one is stale. */
  version: number;
  /** The error's first line. */
  title: string;
  /** The function where the session opened. */
  where: string;
  exceptions: Array<{ index: number; label: string; depth: number; text: string }>;
  /** The error whose frames are shown. */
  exceptionIndex: number;
  frames: FrameView[];
  /** Frames not listed (beyond session-view's MAX_FRAMES). */
  moreFrames?: number;
  /** The selected frame. */
  index: number;
  /** The selected frame's variables. */
  scopes: ScopeView[];
  displays: Array<{ expr: string; text: string }>;
}

/** The answer to a `source` request. */
export interface SourceAnswer {
  /** The absolute path (cache key). */
  file: string;
  /** The path as shown (relative to the working directory when inside it). */
  shown: string;
  /** Line number of `lines[0]`. */
  first: number;
  /** Lines in the file. */
  total: number;
  /** Highlighted lines. */
  lines: Token[][];
  /** True when the file cannot be read. */
  missing?: true;
}

/** A `hover` request: a chain of names whose first one starts at `line` (1-based), `col` (0-based). */
export interface HoverQuery {
  line: number;
  col: number;
  path: string[];
}

/**
 * The answer to a `hover` request: the value of a name (or a chain of property names) of the
 * selected frame, as one tree node a page may open (`scope`: `Locals`, `Closure`, `this`,
 * `Module`); a quiet note when a property is not read (behind a Proxy or a getter, of `null`); or,
 * for a name that is no binding of the frame, nothing to show (`none`, with the reason).
 */
export type HoverAnswer = { expression: string; scope: string; node: ValueNode } | { expression: string; note: string } | { none: string };

/** The answer to `evaluate`: the value as a node, its `ref` (when it has children) to page through with `children`. */
export interface EvaluateAnswer {
  node: ValueNode;
}

/** The answer to `complete`: what readline's completer answers (`candidates` replace `substring`, the end of the line). */
export interface CompleteAnswer {
  candidates: string[];
  substring: string;
}

/** The answer to `stack`: the frames of the exception shown, and the selected one. */
export interface StackAnswer {
  frames: FrameView[];
  /** Frames not listed (a deep recursion). */
  moreFrames?: number;
  /** The selected frame. */
  index: number;
}

/**
 * The requests. Frames are numbered as in `stack` (0 is where the error was raised); a request
 * about a frame that does not exist is refused with a message.
 */
export type ViewRequest =
  /** The frames of the exception shown (also in every state). */
  | { method: 'stack'; params?: Record<string, never> }
  /** The variables of frame `frame` (default: the selected one) as scopes of value nodes. */
  | { method: 'scopes'; params: { frame?: number } }
  /** A page of a value's children: handle `ref`, or its range `[from, to)` (a range node's). */
  | { method: 'children'; params: { ref: number; from?: number; to?: number } }
  /** Evaluates an expression in frame `frame` (default: the selected one) to a value node; an error is refused with its message. */
  | { method: 'evaluate'; params: { expression: string; frame?: number } }
  /** Completes `line` as the prompt would (the prompt's completer: commands, names, properties). */
  | { method: 'complete'; params: { line: string } }
  /** The source lines of frame `frame`'s file, highlighted. */
  | { method: 'source'; params: { frame: number } }
  /** The value under a position of frame `frame`'s source (no code runs). */
  | { method: 'hover'; params: { frame: number } & HoverQuery }
  /** Selects frame `frame` (as `u`/`d` do); changes the state. */
  | { method: 'select'; params: { frame: number } }
  /** Shows the frames of exception `index` of the chain (as `exceptions N`); changes the state. */
  | { method: 'exception'; params: { index: number } };

/** The engine's answers to a front-end that shows data (engine/session-view.ts answers them). */
export interface SessionRequests {
  /** The state to show now: the stack, the selected frame's scopes, displays, the exception chain. Forgets the previous handles. Never throws. */
  state(): SessionState;
  /**
   * Answers one request.
   * @param complete the completer of the prompt that is waiting (the Channel's `readLine` got it), for `complete`.
   * @throws Error whose message the front-end shows (an unknown method, a frame that does not exist, an old handle, an expression that throws).
   */
  request(req: ViewRequest, complete?: Completer): unknown;
}
