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
  help: 'End the session; the error goes on. Post-mortem there is nothing to resume: the error propagates unchanged.',
  run() {
    return 'continue';
  },
};

/** `q(uit)`. */
export const quit: Command = {
  name: 'quit',
  aliases: ['q', 'exit'],
  usage: 'q(uit) | exit',
  help: 'End the session; the error goes on. End of input (Ctrl-D) does the same.',
  run() {
    return 'quit';
  },
};

/** `interact`. */
export const interact: Command = {
  name: 'interact',
  aliases: [],
  usage: 'interact',
  help: 'Start an interactive interpreter in the selected frame. Every line is JavaScript (no debugger commands); '
    + 'Ctrl-D or ".exit" returns to the debugger.',
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
