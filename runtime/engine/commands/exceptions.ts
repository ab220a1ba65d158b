/**
 * `exceptions [n]` (Python 3.13): the thrown error and the errors linked to it (`cause`,
 * `AggregateError.errors`, `SuppressedError.error` / `.suppressed`); selecting one shows its frames.
 */
import { describeFault } from '../../render/format';
import { entryText } from './frame-text';
import type { Command } from './command';

/** Characters of an exception's description in the list. */
const WIDTH = 200;

/** `exceptions [number]`. */
export const exceptions: Command = {
  name: 'exceptions',
  aliases: [],
  usage: 'exceptions [number]',
  help:
    'List the error and the errors linked to it, or select one. The thrown error is 0; then its cause, AggregateError errors, ' +
    'SuppressedError error and suppressed, depth-first. ">" marks the one whose frames are shown; with a number, show that error\'s frames.',
  run(ctx, arg) {
    const { session } = ctx;
    if (!arg) {
      session.chain.forEach((e, i) => {
        const mark = i === session.exceptionIndex ? '>' : ' ';
        const label = e.depth === 0 ? '' : `${'  '.repeat(e.depth - 1)}${e.label}: `;
        let text = describeFault(e.value).split('\n')[0];
        if (text.length > WIDTH) text = `${text.slice(0, WIDTH)}...`;
        ctx.print(`${mark} ${String(i).padStart(3)} ${label}${text}`);
      });
      return;
    }
    if (!/^\d+$/.test(arg)) {
      ctx.fail(`Invalid exception number (${arg}); usage: ${exceptions.usage}`);
      return;
    }
    const problem = session.selectException(Number(arg));
    if (problem) {
      ctx.fail(problem);
      return;
    }
    const f = session.frame;
    if (f) ctx.channel.write(entryText(f, session.entryContext, ctx.channel.colors));
    else ctx.print(`(no frames: ${describeFault(session.exception)} has no stack trace and no captured frame)`);
  },
};
