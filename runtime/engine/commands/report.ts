/**
 * The report printed instead of a session when there is no terminal (CI, no TTY): the error, every
 * frame with its location, source line and captured locals, oldest first like a Python traceback.
 * Bounded: a program with huge values or deep recursion gets a report of readable size.
 */
import { unmappedText } from './banner';
import { displayPath } from '../../render/display-path';
import { cap, describeFault, formatValue } from '../../render/format';
import type { Frame } from '../frames';
import { frameSourceLine } from './frame-text';
import type { Session } from '../session';

/** Characters per value in the report. */
const VALUE_WIDTH = 300;
/** Locals per frame in the report. */
const MAX_LOCALS = 50;
/** Frames in the report (the innermost ones are kept: that is where the error is). */
const MAX_FRAMES = 60;

/** The no-terminal report of a session. Never throws. */
export function reportText(session: Session): string {
  let out = `${session.headline}:\n`;
  out += unmappedText(session);
  out += 'Traceback (most recent call last):\n';
  const frames = session.frames.slice(0, MAX_FRAMES);
  if (session.frames.length > MAX_FRAMES) out += `  ... ${session.frames.length - MAX_FRAMES} older frames not shown\n`;
  let internal = 0;
  const flushInternal = (): void => {
    if (internal) out += `  [${internal} node-internal frame${internal === 1 ? '' : 's'}]\n`;
    internal = 0;
  };
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i];
    if (f.kind === 'node') {
      internal++;
      continue;
    }
    flushInternal();
    out += frameText(f);
  }
  flushInternal();
  out += `${describeFault(session.thrown)}\n`;
  for (const e of session.chain.slice(1)) out += `${'  '.repeat(e.depth)}[${e.label}] ${describeFault(e.value)}\n`;
  return out;
}

function frameText(f: Frame): string {
  if (!f.file || f.kind === 'native' || f.kind === 'eval' || f.kind === 'unknown') {
    return `  ${f.stack?.text ?? f.name}\n`;
  }
  let out = `  File "${displayPath(f.file)}", line ${f.line ?? '?'}, in ${f.name}\n`;
  const src = frameSourceLine(f);
  if (src) out += `    ${src}\n`;
  if (!f.instrumented) return out;
  const shown: string[] = [];
  if (f.hasThis && f.thisValue !== undefined) shown.push(`this = ${valueText(f.thisValue)}`);
  for (const [name, b] of f.locals) shown.push(`${name} = ${valueText(safeGet(b.get))}`);
  for (const [name, b] of f.closure) shown.push(`${name} = ${valueText(safeGet(b.get))}  (closure)`);
  for (const line of shown.slice(0, MAX_LOCALS)) out += `      ${line}\n`;
  if (shown.length > MAX_LOCALS) out += `      ... ${shown.length - MAX_LOCALS} more\n`;
  return out;
}

function valueText(v: unknown): string {
  // Continuation lines (an Error's stack) stay indented under their variable.
  return cap(formatValue(v, { depth: 2 }), VALUE_WIDTH).replace(/\n/g, '\n        ');
}

function safeGet(get: () => unknown): unknown {
  try {
    return get();
  } catch (e) {
    return `<cannot read: ${describeFault(e)}>`;
  }
}
