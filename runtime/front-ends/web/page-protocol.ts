/**
 * The JSON the web page and the web worker exchange over the WebSocket (`/ws`). Every message is
 * one JSON object with a `type`. The page (assets/app.js) is plain JavaScript: these types are its
 * contract, and the data the main thread computes (session-view.ts) has these shapes.
 */
import type { Token } from '../../render/html-highlight';
import type { ValueNode } from '../../engine/value-tree';

/** One frame in the stack list, innermost first. */
export interface FrameView {
  index: number;
  name: string;
  /** Where the frame comes from: `file`, `node`, `native`, `eval`, `record`, `unknown`. */
  kind: string;
  /** False for node internals and native code: shown dimmed, not clickable. */
  selectable: boolean;
  /** True when its locals were captured. */
  instrumented: boolean;
  /** `src/app.ts:14`, or the stack line for frames without a file. */
  location: string;
  /** Absolute path of the original source, for frames with source (the source cache's key). */
  file?: string;
  /** The current line, 1-based. */
  line?: number;
  /** The current column, 0-based (the page scrolls a long line to it). */
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

/** What the page shows beside the console; sent at each prompt and after a frame or error is selected. */
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

/**
 * The answer to a `hover` request: the value of a name (or a chain of property names) of the
 * selected frame, as one tree node the page may open (`scope`: `Locals`, `Closure`, `this`,
 * `Module`); a quiet note when a property is not read (behind a Proxy or a getter, of `null`); or,
 * for a name that is no binding of the frame, nothing to show (`none`, with the reason).
 */
export type HoverAnswer =
  | { expression: string; scope: string; node: ValueNode }
  | { expression: string; note: string }
  | { none: string };

/** A line of the transcript (the console's output so far, kept by the worker for pages that connect later). */
export interface TranscriptEntry {
  /** `out` output, `err` an error line (`*** ...`), `in` a command with its prompt. */
  kind: 'out' | 'err' | 'in';
  text: string;
}

/** Who a page is: the one that types, or one that watches. */
export type Role = 'control' | 'watch';

/** Worker → page. */
export type ToPage =
  /** First message on a connection: everything to draw the page. `prompt` is set while the session waits for a line. */
  | { type: 'hello'; role: Role; rank: number; pid: number; title: string; transcript: TranscriptEntry[]; state?: SessionState;
    prompt?: string; ended?: string; why?: string }
  /** Session output. */
  | { type: 'output'; kind: 'out' | 'err'; text: string }
  /** A command the controlling page sent (every page shows it): the session is busy until the next `prompt`. */
  | { type: 'input'; prompt: string; line: string }
  /** The session waits for a line. */
  | { type: 'prompt'; prompt: string }
  /** The session's state changed (a command ran, a frame was selected). */
  | { type: 'state'; state: SessionState }
  /** The answer to a request, or why there is none. */
  | { type: 'answer'; id: number; result?: unknown; error?: string }
  /** This page's role changed, and why. */
  | { type: 'role'; role: Role; why: string }
  /** Something the page should say (a command while busy, a watcher that typed). */
  | { type: 'notice'; text: string }
  /** The session ended: the error goes on in the program. */
  | { type: 'ended'; text: string };

/** Page → worker. */
export type FromPage =
  /** A command line (only the controlling page; only while the session waits for a line). */
  | { type: 'command'; line: string }
  /**
   * A request answered by the main thread at its prompt: `children` `{ref, from?, to?}`, `source`
   * `{frame}`, `complete` `{line}`, `hover` `{frame, line, col, path}` (any page); `select` `{frame}`,
   * `exception` `{index}` (the controlling page).
   */
  | { type: 'request'; id: number; method: string; params: Record<string, unknown> }
  /** A watching page takes control; the page that had it watches. */
  | { type: 'take-control' };
