/**
 * Running JavaScript typed at the prompt: `!statement`, and any line that is not a command.
 * Assignments to the frame's locals are written back into the captured frame.
 */
import type { EvalMode } from '../core/evaluate';
import { describeFault, formatValue } from '../core/format';
import type { Command, CommandContext } from './command';

/** `!statement`. */
export const bang: Command = {
  name: '!',
  aliases: [],
  usage: '!statement',
  help: 'Execute the statement (or expression) in the selected frame, e.g. "!y = 2" or "!const t = a + b". Assignments to '
    + 'locals change what later commands see; new names stay defined for the rest of the session. A line that is not '
    + 'a command is executed the same way without the "!"; the "!" is needed when the line starts with a command name '
    + '(such as a variable called "c").',
  argument: 'expression',
  run(ctx, arg) {
    execute(ctx, arg, 'auto');
  },
};

/** Runs `code` in the selected frame and prints the value of an expression (other than undefined). */
export function execute(ctx: CommandContext, code: string, mode: EvalMode): void {
  if (!code.trim()) return;
  const r = ctx.session.evaluate(code, mode);
  if (!r.ok) { ctx.fail(describeFault(r.error)); return; }
  if (r.isExpression && r.value !== undefined) ctx.print(formatValue(r.value, { colors: ctx.channel.colors }));
}
