/**
 * What the web page's console says first: the error and where it was thrown in the TypeScript, then
 * the rest of the stack with runs of node-internal frames folded into one line (as `w` does), then
 * how the session works. The terminal's banner (engine/commands/banner.ts) prints the raw stack under a
 * headline, which in a page put a screen of `node:internal` lines before anything the user wrote.
 * A live breakpoint has no error: it gets the terminal's banner. Never throws.
 */
import { bannerText, HEADER_CHARS, HEADER_LINES } from '../../engine/commands/banner';
import { displayPath } from '../../render/display-path';
import { capLines, describeFault } from '../../render/format';
import type { Frame } from '../../engine/frames';
import { entryText } from '../../engine/commands/frame-text';
import type { Session } from '../../engine/session';
import { parseStack, stackTextOf } from '../../engine/stack';

/** Stack lines shown at most (a deep recursion has thousands; `w` lists them all). Default 30. */
export const BANNER_FRAMES = 30;

/** The opening text of a web session, in two parts: the error (shown as an error) and the rest. */
export function webBannerText(session: Session): { error: string; rest: string } {
  try {
    if (session.breakpoint) return { error: '', rest: bannerText(session, false) };
    const stack = stackTextOf(session.thrown);
    const header = stack ? parseStack(stack).header : '';
    // The header is the message: it can be megabytes, or a hundred thousand lines.
    const error = `${capLines(header, HEADER_LINES, HEADER_CHARS) || describeFault(session.thrown)}\n`;
    let rest = foldedStack(session.frames);
    const linked = session.chain.length - 1;
    if (linked > 0) rest += `(${linked} linked error${linked === 1 ? '' : 's'}: cause, errors or suppressed; \`exceptions\` lists them)\n`;
    rest += `\n${session.headline}. Post-mortem session: h for help, w for the whole stack; c or q ends it${session.live ? ' and the error goes on' : ''}.\n`;
    if (session.frame) rest += entryText(session.frame, session.entryContext, false);
    return { error, rest };
  } catch (fault) {
    return { error: `${describeFault(session.thrown)}\n`, rest: `(ts-pdb: the stack cannot be shown: ${describeFault(fault)})\n` };
  }
}

/** `    at fn (src/app.ts:18:24)` for each stack frame, innermost first, node internals folded. */
export function foldedStack(frames: Frame[]): string {
  let out = '';
  let folded = 0;
  let shown = 0;
  const flush = (): void => {
    if (folded) out += `    [${folded} node-internal frame${folded === 1 ? '' : 's'}]\n`;
    folded = 0;
  };
  const withStack = frames.filter((f) => f.stack);
  let i = 0;
  for (; i < withStack.length; i++) {
    const f = withStack[i];
    if (f.kind === 'node') {
      folded++;
      continue;
    }
    if (shown === BANNER_FRAMES) break;
    flush();
    out += `    ${atLine(f)}\n`;
    shown++;
  }
  if (i < withStack.length) out += `    ... ${withStack.length - i + folded} more frames (w lists them)\n`;
  else flush();
  return out;
}

/** One `at` line, located in the original source when the frame was mapped, the path as the page shows it. */
function atLine(f: Frame): string {
  const s = f.stack!;
  if (s.kind !== 'file' || !f.file) return s.text;
  const prefix = `${s.isAsync ? 'async ' : ''}${s.isConstructor ? 'new ' : ''}`;
  const where = `${displayPath(f.file)}:${f.line ?? '?'}:${(f.col ?? 0) + 1}`;
  // V8 prints no name (and no parentheses) for anonymous top-level code: keep that shape.
  if (!s.text.endsWith(')')) return `at ${prefix}${where}`;
  return `at ${prefix}${s.name}${s.alias ? ` [as ${s.alias}]` : ''} (${where})`;
}
