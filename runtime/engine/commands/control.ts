/**
 * Ending the session (`c`, `q`) and the nested REPL (`interact`). Post-mortem, `continue` and `quit`
 * both end the session; the caller then lets the error go on (it is rethrown unchanged).
 */
import type { Command } from './command';
import { execute } from './execute';

/** `c(ont(inue))`. */
export const cont: Command = {
  name: 'continue',
  aliases: ['c', 'cont'],
  usage: 'c(ont(inue))',
  help:
    'End the session; the error goes on. Post-mortem there is nothing to resume: the error propagates unchanged. ' +
    'At a breakpoint, the program goes on from the call, with any locals you changed. ' +
    'Over a snapshot (ts-pdb open), it ends the session: the program is gone.',
  run(ctx) {
    // A snapshot: there is no program to go on, and the user should not think one did.
    if (!ctx.session.live) ctx.print('The program is not running (a snapshot): nothing goes on; the session ends.');
    return 'continue';
  },
};

/** `q(uit)`. */
export const quit: Command = {
  name: 'quit',
  aliases: ['q', 'exit'],
  usage: 'q(uit) | exit',
  help:
    'End the session; the error goes on. End of input (Ctrl-D) does the same. At a breakpoint, asks first, ' +
    'then ends the program (Ctrl-D there lets the program go on instead).',
  run(ctx) {
    if (!ctx.session.breakpoint) return 'quit';
    const answer = ctx.channel.readLine('Quit? This ends the program (y/n) ');
    if (!/^\s*y(es)?\s*$/i.test(answer ?? '')) {
      ctx.print('Not quitting: c lets the program go on.');
      return undefined;
    }
    ctx.session.endProgram = true;
    return 'quit';
  },
};

/** `interact`. */
export const interact: Command = {
  name: 'interact',
  aliases: [],
  usage: 'interact',
  help:
    'Start an interactive interpreter in the selected frame. Every line is JavaScript (no debugger commands); ' +
    'Ctrl-D or ".exit" returns to the debugger.',
  run(ctx) {
    ctx.print('*interactive* (Ctrl-D or .exit returns to the debugger)');
    for (;;) {
      const line = ctx.channel.readLine('>>> ', (l) => ctx.session.complete(l, false));
      if (line === null || line.trim() === '.exit') break;
      execute(ctx, line, 'auto');
    }
    ctx.print('now exiting interactive mode...');
  },
};
