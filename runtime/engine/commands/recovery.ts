/**
 * Recovering from the error instead of losing the work (issue #6): `return expr` makes the
 * boundary function, where the session opened, return a value in place of throwing. No pdb has
 * this; post-mortem, it turns a crash at hour 5 into a value the job can go on with.
 */
import { describeFault, formatValue } from '../../render/format';
import type { Command } from './command';

/** `return [expr]`. */
export const returnCommand: Command = {
  name: 'return',
  aliases: [],
  usage: 'return [expr]',
  help:
    'End the session and make the boundary function (where the session opened) return the value of expr, ' +
    'evaluated in the selected frame (undefined without one), instead of throwing; the program goes on from its ' +
    'caller. Not available in a report, in a constructor, for an uncaught error or without the transform.',
  argument: 'expression',
  run(ctx, arg) {
    if (!ctx.session.recoverable) {
      ctx.fail(
        `return is not available here: ${
          !ctx.session.live
            ? NOT_LIVE
            : ctx.session.uncaught
              ? 'the error was not caught by any function, there is nothing to return from'
              : `${ctx.session.where} cannot return a value in place of the error (a constructor, or a build without the transform)`
        }`,
      );
      return undefined;
    }
    let value: unknown;
    if (arg) {
      const r = ctx.session.evaluate(arg, 'expression');
      if (!r.ok) {
        ctx.fail(describeFault(r.error));
        return undefined;
      }
      value = r.value;
    }
    ctx.session.returning = { value };
    ctx.print(
      `${ctx.session.where} returns ${formatValue(value, { colors: ctx.channel.colors })} instead of throwing; the program goes on.`,
    );
    return 'continue';
  },
};

/** `retry`. */
export const retry: Command = {
  name: 'retry',
  aliases: [],
  usage: 'retry',
  help:
    'End the session and run the boundary function (where the session opened) again from its first line, with the ' +
    'same this and its parameters as they are now (the arguments it was called with, unless it assigned them); if it ' +
    'throws again, a session opens again. Not available for generators, constructors, an uncaught error or without the transform.',
  run(ctx) {
    const s = ctx.session;
    if (!s.recoverable || !s.boundary?.retry) {
      ctx.fail(
        `retry is not available here: ${
          !s.live
            ? NOT_LIVE
            : s.uncaught
              ? 'the error was not caught by any function, there is nothing to run again'
              : `${s.where} cannot be run again (a generator, a constructor, or a build without the transform)`
        }`,
      );
      return undefined;
    }
    s.retrying = true;
    ctx.print(`${s.where} runs again from its first line; the program goes on from there.`);
    return 'continue';
  },
};

/** Why `return` and `retry` are refused on a frame source that is not live (a snapshot). */
const NOT_LIVE = 'the program is not running (a snapshot), there is nothing to go back to';
