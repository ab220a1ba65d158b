/**
 * The engine's views (engine/requests.ts: frames, scopes, value nodes, the exception chain) as
 * DAP's types, for adapter.ts. Nothing here formats a value: previews and names are the engine's,
 * as the web page shows them. Pure functions over data; the numbers come from handles.ts.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { FrameView, SessionState, ValueNode } from '../engine/requests';

/** How the client counts lines and columns, and what it takes (from its `initialize`). */
export interface ClientStyle {
  linesStartAt1: boolean;
  columnsStartAt1: boolean;
  /** It shows a variable's `type` (`supportsVariableType`). */
  variableType: boolean;
}

/** A 1-based line as the client counts. */
export function clientLine(line: number, style: ClientStyle): number {
  return style.linesStartAt1 ? line : line - 1;
}

/** A 0-based column as the client counts. */
export function clientColumn(col: number, style: ClientStyle): number {
  return style.columnsStartAt1 ? col + 1 : col;
}

/**
 * The name of a value's child as JavaScript that reads it from `parent` (`cart[1].price`), or
 * undefined when there is none (a range, `[[Prototype]]`, a Map entry, a Set's item).
 */
export function childExpression(parent: string | undefined, node: ValueNode, parentIsSetLike: boolean): string | undefined {
  if (parent === undefined || node.type === 'range' || node.type === 'entry' || node.type === 'note' || node.name.startsWith('[['))
    return undefined;
  if (parentIsSetLike && /^\d+$/.test(node.name)) return undefined;
  if (/^(?:0|[1-9]\d*)$/.test(node.name)) return `${parent}[${node.name}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(node.name)) return `${parent}.${node.name}`;
  if (node.name.startsWith('Symbol(') || node.name === '…') return undefined;
  return `${parent}[${JSON.stringify(node.name)}]`;
}

/**
 * A value node as a DAP variable. `reference` is the number of its children (0: none), made by the
 * caller from the node's `ref`. Big arrays, Maps and Sets say how many children they have, so that
 * the client pages through them (`indexedVariables`, `namedVariables`).
 */
export function variableOf(node: ValueNode, reference: number, style: ClientStyle, evaluateName?: string): DebugProtocol.Variable {
  const v: DebugProtocol.Variable = { name: node.name, value: node.preview, variablesReference: reference };
  if (style.variableType && node.type) v.type = node.type;
  if (reference && node.indexed !== undefined) {
    v.indexedVariables = node.indexed;
    if (node.named) v.namedVariables = node.named;
  }
  if (evaluateName !== undefined) v.evaluateName = evaluateName;
  if (node.type === 'range' || node.type === 'note') v.presentationHint = { kind: 'virtual' };
  else if (node.accessor) v.presentationHint = { kind: 'property', attributes: ['readOnly'] };
  return v;
}

/** A frame without source or locals (node internals, native code) is shown dimmed; so is the source of a frame whose locals were not captured. */
export function stackFrameOf(
  f: FrameView,
  id: number,
  source: DebugProtocol.Source | undefined,
  style: ClientStyle,
  canRestart: boolean,
): DebugProtocol.StackFrame {
  const sf: DebugProtocol.StackFrame = { id, name: f.name, line: 0, column: 0 };
  if (source && f.line !== undefined) {
    sf.source = f.instrumented ? source : { ...source, presentationHint: 'deemphasize' };
    sf.line = clientLine(f.line, style);
    sf.column = clientColumn(f.col ?? 0, style);
  }
  if (!f.selectable) {
    sf.presentationHint = 'subtle';
    if (f.location && f.location !== f.name) sf.name = `${f.name} (${f.location})`;
  }
  if (canRestart) sf.canRestart = true;
  return sf;
}

/** The frame `retry` calls again: the outermost instrumented frame named as the session's `where` (else the outermost instrumented one). */
export function boundaryFrame(state: SessionState): number | undefined {
  const instrumented = state.frames.filter((f) => f.instrumented);
  const named = instrumented.filter((f) => f.name === state.where);
  const pick = named.length ? named[named.length - 1] : instrumented[instrumented.length - 1];
  return pick?.index;
}

/** `TypeError` of `TypeError: Cannot read ...`; `Error` when the text does not start with a name. */
export function errorName(title: string): string {
  const m = /^([A-Za-z_$][\w$.]*)(?::|$| \[)/.exec(title);
  return m ? m[1] : 'Error';
}

/**
 * `exceptionInfo`'s body: the error shown (its first line), its stack as the session lists it, and
 * the errors linked to it (`cause`, `errors[i]`, `suppressed`) nested as the chain nests them.
 */
export function exceptionInfoOf(state: SessionState, uncaught: boolean): DebugProtocol.ExceptionInfoResponse['body'] {
  const chain = state.exceptions;
  const details = (i: number): DebugProtocol.ExceptionDetails => {
    const e = chain[i];
    const d: DebugProtocol.ExceptionDetails = { message: e.text, typeName: errorName(e.text) };
    if (i > 0) d.fullTypeName = `${e.label}: ${errorName(e.text)}`;
    if (i === state.exceptionIndex) d.stackTrace = state.frames.map((f) => `    at ${f.name} (${f.location})`).join('\n');
    // The entries right after it one level deeper are its own linked errors.
    const inner: DebugProtocol.ExceptionDetails[] = [];
    for (let j = i + 1; j < chain.length && chain[j].depth > e.depth; j++) if (chain[j].depth === e.depth + 1) inner.push(details(j));
    if (inner.length) d.innerException = inner;
    return d;
  };
  const top = chain.length ? details(0) : { message: state.title, typeName: errorName(state.title) };
  return {
    exceptionId: errorName(chain[0]?.text ?? state.title),
    description: state.title,
    breakMode: uncaught ? 'unhandled' : 'always',
    details: top,
  };
}
