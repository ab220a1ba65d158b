/**
 * Recovering from the error instead of losing the work (issue #6): `return expr` makes the
 * boundary function, where the session opened, return a value in place of throwing. No pdb has
 * this; post-mortem, it turns a crash at hour 5 into a value the job can go on with.
 */
import { describeFault, formatValue } from '../core/format';
import type { Command } from './command';

/** `return [expr]`. */
export const returnCommand: Command = {
  name: 'return',
  aliases: [],
  usage: 'return [expr]',
  help: 'End the session and make the boundary function (where the session opened) return the value of expr, '
    + 'evaluated in the selected frame (undefined without one), instead of throwing; the program goes on from its '
    + 'caller. Not available in a report, in a constructor, for an uncaught error or without the transform.',
  argument: 'expression',
  run(ctx, arg) {
    if (!ctx.session.recoverable) {
      ctx.fail(`return is not available here: ${ctx.session.uncaught
        ? 'the error was not caught by any function, there is nothing to return from'
        : `${ctx.session.where} cannot return a value in place of the error (a constructor, or a build without the transform)`}`);
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
    ctx.print(`${ctx.session.where} returns ${formatValue(value, { colors: ctx.channel.colors })} instead of throwing; the program goes on.`);
    return 'continue';
  },
};
