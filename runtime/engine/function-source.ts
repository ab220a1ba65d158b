/**
 * Where a function value's code is, in the original source (`source fn`).
 *
 * V8 knows each function's start position, but only the inspector tells it. A Session connected to
 * the same thread answers synchronously, so the stopped program is asked directly; it is opened for
 * one command and closed at once (no cost on any other path). The compiled start and end are then
 * mapped through the source map. When anything fails, the function's compiled text is the answer.
 * A stand-in restored from a snapshot (snapshot/decode-values.ts) says what the snapshot recorded
 * of it instead ({@link setKnownSource}): its own text and position are ts-pdb's, not the program's.
 */
import { fileURLToPath } from 'node:url';
import { originalPosition, sourceLines } from './source-maps';

/** A function's original source range (1-based lines), or its compiled text when no range is known. */
export type FunctionSource =
  { kind: 'range'; file: string; first: number; last: number; lines: string[] } | { kind: 'text'; text: string; reason: string };

/** Sources given by {@link setKnownSource}, by function. */
const known = new WeakMap<Function, { text: string; reason: string }>();

/**
 * Makes `text` the answer of {@link functionSource} for `fn`, with `reason` (why it is not the
 * original source): for functions whose own text says nothing of the program, the stand-ins of a
 * snapshot's functions, which show the text the snapshot recorded.
 */
export function setKnownSource(fn: Function, text: string, reason: string): void {
  known.set(fn, { text, reason });
}

/** Finds the source of `fn`. Never throws. */
export function functionSource(fn: Function): FunctionSource {
  const given = known.get(fn);
  if (given) return { kind: 'text', ...given };
  let text: string;
  try {
    text = Function.prototype.toString.call(fn);
  } catch {
    text = '<source not available>';
  }
  if (/\{\s*\[native code\]\s*\}$/.test(text)) return { kind: 'text', text, reason: 'built-in or bound function' };
  const loc = compiledLocation(fn);
  if ('reason' in loc) return { kind: 'text', text, reason: loc.reason };
  // V8's position is not always the first character (a class reports its constructor), but
  // toString() is the exact source slice: find it in the compiled file, nearest to that position.
  const range = exactRange(loc, text);
  const start = originalPosition({ file: loc.file, line: range.start.line, col: range.start.col });
  const end = originalPosition({ file: loc.file, line: range.end.line, col: range.end.col });
  const textLines = text.split('\n');
  const lines = sourceLines(start.file);
  if (!lines) return { kind: 'text', text, reason: `${start.file} cannot be read` };
  const last = end.file === start.file && end.line >= start.line ? end.line : start.line + textLines.length - 1;
  return { kind: 'range', file: start.file, first: start.line, last: Math.min(last, lines.length), lines };
}

type Pos = { line: number; col: number };

/** Start and end (inclusive) of `text` in the compiled file, the occurrence nearest to `loc`; else from `loc` on. */
function exactRange(loc: { file: string } & Pos, text: string): { start: Pos; end: Pos } {
  const lines = sourceLines(loc.file);
  const guess = (): { start: Pos; end: Pos } => {
    const t = text.split('\n');
    return {
      start: { line: loc.line, col: loc.col },
      end: { line: loc.line + t.length - 1, col: Math.max(0, t.length === 1 ? loc.col + text.length - 1 : t[t.length - 1].length - 1) },
    };
  };
  if (!lines || !text) return guess();
  const whole = lines.join('\n');
  let offset = 0;
  for (let i = 0; i < loc.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += loc.col;
  let best = -1;
  for (let at = whole.indexOf(text); at >= 0; at = whole.indexOf(text, at + 1)) {
    if (best < 0 || Math.abs(at - offset) < Math.abs(best - offset)) best = at;
    if (at > offset) break;
  }
  if (best < 0) return guess();
  const toPos = (o: number): Pos => {
    const before = whole.slice(0, o);
    const line = before.split('\n').length;
    return { line, col: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: toPos(best), end: toPos(best + text.length - 1) };
}

/** The compiled position of a function (1-based line, 0-based column), via the inspector. */
function compiledLocation(fn: Function): ({ file: string } & Pos) | { reason: string } {
  let session: import('node:inspector').Session | undefined;
  const key = Symbol.for('ts-pdb.source-target');
  const g = globalThis as Record<symbol, unknown>;
  try {
    const inspector = require('node:inspector') as typeof import('node:inspector');
    session = new inspector.Session();
    session.connect();
    const urls = new Map<string, string>();
    session.on('Debugger.scriptParsed', (m: { params: { scriptId: string; url: string } }) => urls.set(m.params.scriptId, m.params.url));
    g[key] = fn;
    let location: { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
    // Same-thread sessions answer synchronously: each callback has run when post() returns.
    session.post('Runtime.evaluate', { expression: `globalThis[Symbol.for('ts-pdb.source-target')]` }, (err, r) => {
      const id = !err ? r?.result?.objectId : undefined;
      if (!id || !session) return;
      session.post('Runtime.getProperties', { objectId: id, ownProperties: true }, (err2, p) => {
        const internal = !err2 ? p?.internalProperties?.find((x) => x.name === '[[FunctionLocation]]') : undefined;
        location = internal?.value?.value as typeof location;
      });
    });
    if (!location) return { reason: 'V8 did not tell its location' };
    session.post('Debugger.enable', () => undefined);
    session.post('Debugger.disable', () => undefined);
    let url = urls.get(location.scriptId);
    if (!url) return { reason: 'defined by code that has no file (eval, or typed at the prompt)' };
    if (url.startsWith('file://')) url = fileURLToPath(url);
    return { file: url, line: location.lineNumber + 1, col: location.columnNumber };
  } catch {
    return { reason: 'the inspector is not available' };
  } finally {
    delete g[key];
    try {
      session?.disconnect();
    } catch {
      /* already gone */
    }
  }
}
