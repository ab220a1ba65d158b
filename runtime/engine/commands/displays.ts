/**
 * `display` / `undisplay`: expressions shown again, with their old value, whenever they change
 * (checked before each prompt, per frame, as pdb does).
 */
import type { Command } from './command';

/** `display [expr]`. */
export const display: Command = {
  name: 'display',
  aliases: [],
  usage: 'display [expression]',
  help:
    "Show an expression's value whenever it changes. The expression joins the display list of the selected frame and is " +
    "printed again, with the old value, before a prompt when its value changed. Without argument, list the frame's display expressions.",
  argument: 'expression',
  run(ctx, arg) {
    if (!arg) {
      const all = ctx.session.listDisplays();
      ctx.print('Currently displaying:');
      for (const d of all) ctx.print(`${d.expr}: ${d.text}`);
      return;
    }
    ctx.print(`display ${arg}: ${ctx.session.addDisplay(arg)}`);
  },
};

/** `undisplay [expr]`. */
export const undisplay: Command = {
  name: 'undisplay',
  aliases: [],
  usage: 'undisplay [expression]',
  help: 'Stop displaying an expression. Without argument, clear the display list of the selected frame.',
  argument: 'expression',
  run(ctx, arg) {
    if (!arg) {
      ctx.session.removeDisplay();
      return;
    }
    if (!ctx.session.removeDisplay(arg)) ctx.fail(`not displaying ${arg}`);
  },
};
