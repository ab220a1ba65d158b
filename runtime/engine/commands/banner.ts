/**
 * What a session prints when it opens (py_debug's "Exception caught in X" + traceback, then ipdb's
 * `> file(line)fn()` entry), and the error's stack as the user would see it, in original positions.
 */
import * as path from 'node:path';
import pc = require('picocolors');
import { displayPath } from '../../render/display-path';
import { capLines, describeFault } from '../../render/format';
import type { Frame } from '../frames';
import { entryText } from './frame-text';
import type { Session } from '../session';
import { parseStack, stackTextOf } from '../stack';

/** Lines of an error's header (its message) the banner shows. Default 50. */
export const HEADER_LINES = 50;
/** Characters of an error's header the banner shows. Default 5,000. */
export const HEADER_CHARS = 5000;

/** The banner of a session: header, stack in original positions, linked errors, and the current frame's entry. */
export function bannerText(session: Session, colors = false): string {
  const c = pc.createColors(colors);
  if (session.breakpoint) {
    // Live: nothing was thrown. The program waits at the call until `c`.
    let live = `${c.bold(`${session.headline}:`)} the program is stopped here; c lets it go on, q ends it.\n`;
    live += unmappedText(session);
    live += `${c.dim('h for help; changes to locals are seen by the program when it goes on.')}\n`;
    if (session.frame) live += entryText(session.frame, session.entryContext, colors);
    return live;
  }
  let out = `${c.red(c.bold(`${session.headline}:`))}\n`;
  out += originalStackText(session.thrown, session.frames);
  const linked = session.chain.length - 1;
  if (linked > 0) out += `(${linked} linked error${linked === 1 ? '' : 's'}: cause, errors or suppressed; \`exceptions\` lists them)\n`;
  out += unmappedText(session);
  out += `\n${c.dim(`Entering post-mortem session: h for help; c or q ends it${session.live ? ' and the error goes on' : ''}.`)}\n`;
  const frame = session.frame;
  if (frame) out += entryText(frame, session.entryContext, colors);
  return out;
}

/**
 * Says, once per session, why frames are located in the JavaScript: the compiled files have no
 * source map. Empty when every frame is where its source map leads.
 */
export function unmappedText(session: Session): string {
  const files = session.unmapped;
  if (!files.length) return '';
  const compiled = files.map((u) => displayPath(u.compiled)).join(', ');
  const originals = [...new Set(files.map((u) => path.basename(u.original)))].join(', ');
  return (
    `(${compiled} ${files.length === 1 ? 'has' : 'have'} no source map: locations are in the JavaScript; ` +
    `build with "sourceMap": true to see them in ${originals})\n`
  );
}

/**
 * The error's header and stack trace with every location mapped to the original source (what
 * `node --enable-source-maps` would print). A thrown non-Error gets a one-line description.
 */
export function originalStackText(thrown: unknown, frames: Frame[]): string {
  const stack = stackTextOf(thrown);
  const header = stack ? parseStack(stack).header : '';
  // The header is the message: it can be megabytes, or a hundred thousand lines.
  let out = `${capLines(header, HEADER_LINES, HEADER_CHARS) || describeFault(thrown)}\n`;
  for (const f of frames) {
    if (!f.stack) continue;
    out += `    ${stackLine(f)}\n`;
  }
  return out;
}

/** One `at` line, located in the original source when the frame was mapped. */
export function stackLine(f: Frame): string {
  const s = f.stack!;
  if (s.kind !== 'file' || !f.file) return s.text;
  const prefix = `${s.isAsync ? 'async ' : ''}${s.isConstructor ? 'new ' : ''}`;
  const where = `${f.file}:${f.line ?? '?'}:${(f.col ?? 0) + 1}`;
  // V8 prints no name (and no parentheses) for anonymous top-level code: keep that shape.
  if (!s.text.endsWith(')')) return `at ${prefix}${where}`;
  return `at ${prefix}${s.name}${s.alias ? ` [as ${s.alias}]` : ''} (${where})`;
}
