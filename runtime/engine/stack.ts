/**
 * Parses V8's `error.stack` text into structured frames.
 *
 * Only the text is available after the fact (no CallSite objects), and programs may have replaced
 * `Error.prepareStackTrace`; so the parser is tolerant: a line it does not understand is kept as an
 * opaque frame rather than dropped, and nothing here throws.
 */
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import { STACK_REWRITERS, type StackRewriter } from '../records';

/** Where a stack frame's code lives. */
export type StackFrameKind =
  /** A file on disk (a path, or a `file://` URL converted to a path). */
  | 'file'
  /** Node's own code: `node:internal/...`, `node:fs`. */
  | 'node'
  /** Built-in code with no source: `JSON.parse (<anonymous>)`, `Promise.all (index 0)`. */
  | 'native'
  /** Code run by `eval` or `new Function`. */
  | 'eval'
  /** A line the parser did not understand (a custom `prepareStackTrace`). */
  | 'unknown';

/** One `at ...` line of a V8 stack trace. Lines are 1-based and columns 0-based. */
export interface StackFrame {
  /** Function name as V8 printed it (`Trainer.step`, `Object.<anonymous>`); `<anonymous>` when none. */
  name: string;
  /** The `[as alias]` part of a method call, when present. */
  alias?: string;
  kind: StackFrameKind;
  /** Absolute path (or URL for non-`file:` URLs); undefined for native frames. */
  file?: string;
  line?: number;
  col?: number;
  /** `at async fn (...)`: an await resumed this frame. */
  isAsync: boolean;
  /** `at new X (...)`. */
  isConstructor: boolean;
  /** For eval frames: the location of the `eval` call, as V8 printed it. */
  evalOrigin?: string;
  /** The original text of the line, trimmed. */
  text: string;
}

/** A parsed `error.stack`: the header (`TypeError: message`, maybe several lines) and the frames. */
export interface ParsedStack {
  header: string;
  frames: StackFrame[];
}

const AT = /^\s*at\s+/;

/**
 * Reads `thrown.stack` without letting a throwing getter or a non-string escape, mapped by the
 * stack rewriters a tool registered (records.ts `STACK_REWRITERS`).
 */
export function stackTextOf(thrown: unknown): string | undefined {
  if ((typeof thrown !== 'object' || thrown === null) && typeof thrown !== 'function') return undefined;
  // A thrown Proxy's get trap is the program's code.
  if (types.isProxy(thrown)) return undefined;
  let s: unknown;
  try {
    s = (thrown as { stack?: unknown }).stack;
  } catch {
    return undefined;
  }
  return typeof s === 'string' ? rewritten(s) : undefined;
}

/** `stack` through every registered rewriter; one that throws or answers other than text is passed over. */
function rewritten(stack: string): string {
  const rewriters = (globalThis as { [STACK_REWRITERS]?: Set<StackRewriter> })[STACK_REWRITERS];
  if (!rewriters) return stack;
  for (const rewrite of rewriters) {
    try {
      const out = rewrite(stack);
      if (typeof out === 'string') stack = out;
    } catch {
      /* kept as it was */
    }
  }
  return stack;
}

/**
 * Splits stack text into its header and frames. The frames are the trailing run of `at` lines
 * (walking from the end), so a message that itself contains newlines stays in the header.
 */
export function parseStack(text: string | undefined): ParsedStack {
  if (!text) return { header: '', frames: [] };
  const lines = text.split('\n');
  let first = lines.length;
  while (first > 0 && (AT.test(lines[first - 1]) || (lines[first - 1].trim() === '' && first === lines.length))) first--;
  const frames: StackFrame[] = [];
  for (let i = first; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    frames.push(parseFrameLine(lines[i]));
  }
  return { header: lines.slice(0, first).join('\n'), frames };
}

/** Parses one `    at ...` line. */
export function parseFrameLine(line: string): StackFrame {
  const text = line.trim();
  let rest = text.replace(AT, '');
  const frame: StackFrame = { name: '<anonymous>', kind: 'unknown', isAsync: false, isConstructor: false, text };
  if (rest.startsWith('async ')) {
    frame.isAsync = true;
    rest = rest.slice(6);
  }
  if (rest.startsWith('new ')) {
    frame.isConstructor = true;
    rest = rest.slice(4);
  }

  let location = rest;
  if (rest.endsWith(')')) {
    // The location is the last balanced parenthesised group; eval origins nest parentheses.
    const open = matchingOpen(rest);
    if (open > 0) {
      location = rest.slice(open + 1, -1);
      setName(frame, rest.slice(0, open).trim());
    }
  }
  locate(frame, location);
  return frame;
}

function setName(frame: StackFrame, name: string): void {
  const alias = /^(.*) \[as ([^\]]+)\]$/.exec(name);
  if (alias) {
    frame.name = alias[1];
    frame.alias = alias[2];
  } else if (name) frame.name = name;
}

function matchingOpen(s: string): number {
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === ')') depth++;
    else if (s[i] === '(' && --depth === 0) return i;
  }
  return -1;
}

function locate(frame: StackFrame, location: string): void {
  if (location.startsWith('eval at ')) {
    // `eval at fn (file:1:2), <anonymous>:3:4`: the position is inside the eval'd code.
    const comma = location.lastIndexOf(', ');
    frame.kind = 'eval';
    frame.evalOrigin = comma > 0 ? location.slice(0, comma) : location;
    const pos = comma > 0 ? /:(\d+):(\d+)$/.exec(location.slice(comma + 2)) : null;
    if (pos) {
      frame.line = Number(pos[1]);
      frame.col = Number(pos[2]) - 1;
    }
    return;
  }
  if (location === 'native' || location === '<anonymous>' || /^index \d+$/.test(location)) {
    frame.kind = 'native';
    return;
  }
  const pos = /^(.*?):(\d+)(?::(\d+))?$/.exec(location);
  if (!pos) return;
  let file = pos[1];
  frame.line = Number(pos[2]);
  frame.col = pos[3] !== undefined ? Number(pos[3]) - 1 : 0;
  if (file.startsWith('node:') || /^internal[/\\]/.test(file)) {
    frame.kind = 'node';
  } else if (/^\[[^\]]*\](?:-wrapper)?$/.test(file)) {
    // `node -e` / `node -p` / stdin code: `[eval]`, `[eval]-wrapper`, `[stdin]`, `[worker eval]`.
    frame.kind = 'eval';
  } else {
    frame.kind = 'file';
    if (file.startsWith('file://')) {
      try {
        file = fileURLToPath(file);
      } catch {
        /* keep the URL as it is */
      }
    }
  }
  frame.file = file;
}
