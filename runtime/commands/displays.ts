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
  help: 'Add the expression to the display list of the selected frame and print its value; it is printed again, '
    + 'with the old value, whenever it changes. Without argument, list the display expressions of the frame.',
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
  help: 'Remove the expression from the display list of the selected frame; without argument, clear the list.',
  argument: 'expression',
  run(ctx, arg) {
    if (!arg) { ctx.session.removeDisplay(); return; }
    if (!ctx.session.removeDisplay(arg)) ctx.fail(`not displaying ${arg}`);
  },
};
