/**
 * Running JavaScript typed at the prompt: `!statement`, and any line that is not a command.
 * Assignments to the frame's locals are written back into the captured frame.
 */
import jsTokens = require('js-tokens');
import type { EvalMode } from '../evaluate';
import { describeFault, formatValue } from '../../render/format';
import type { Command, CommandContext } from './command';

/** `!statement`. */
export const bang: Command = {
  name: '!',
  aliases: [],
  usage: '!statement',
  help:
    'Execute a statement in the selected frame. For example "!y = 2" or "!const t = a + b". Assignments to ' +
    'locals change what later commands see; new names stay defined for the rest of the session. A line that is not ' +
    'a command is executed the same way without the "!"; the "!" is needed when the line starts with a command name ' +
    '(such as a variable called "c").',
  argument: 'expression',
  run(ctx, arg) {
    execute(ctx, arg, 'auto');
  },
};

/** Runs `code` in the selected frame and prints the value of an expression (other than undefined). */
export function execute(ctx: CommandContext, code: string, mode: EvalMode): void {
  if (!code.trim()) return;
  const r = ctx.session.evaluate(code, mode);
  if (!r.ok) {
    ctx.fail(describeFault(r.error));
    return;
  }
  // An assignment is a statement to a pdb user (`y = 2` prints nothing), though JavaScript gives it a value.
  if (r.isExpression && r.value !== undefined && !isAssignment(code)) ctx.print(formatValue(r.value, { colors: ctx.channel.colors }));
}

const ASSIGN = new Set(['=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '>>>=', '&=', '|=', '^=', '&&=', '||=', '??=']);

/** True when the input's top level is an assignment (`y = 2`, `a.b += 1`), found with a tokenizer. */
export function isAssignment(code: string): boolean {
  let depth = 0;
  try {
    for (const t of jsTokens(code)) {
      if (t.type !== 'Punctuator') continue;
      if ('([{'.includes(t.value)) depth++;
      else if (')]}'.includes(t.value)) depth--;
      else if (depth === 0 && ASSIGN.has(t.value)) return true;
      else if (depth === 0 && t.value === '=>') return false;
    }
  } catch {
    return false;
  }
  return false;
}
