/**
 * The command table, and the dispatch of one command line (pdb's `onecmd`): a command name and
 * its argument, `!statement`, or JavaScript. Help and completion come from this table.
 */
import { TsPdbError } from '../../config';
import { describeFault } from '../../render/format';
import type { Command, CommandContext, CommandOutcome, CommandTable } from './command';
import { cont, interact, quit } from './control';
import { display, undisplay } from './displays';
import { exceptions } from './exceptions';
import { bang, execute } from './execute';
import { help } from './help';
import { args, inspectCommand, prettyPrint, print, whatis } from './inspection';
import { list, longlist, source } from './listing';
import { down, up, where } from './navigation';
import { retry, returnCommand } from './recovery';

/** Every command, in the order `h` lists them. */
export const COMMANDS: readonly Command[] = [
  help,
  where,
  up,
  down,
  list,
  longlist,
  args,
  print,
  prettyPrint,
  whatis,
  inspectCommand,
  source,
  display,
  undisplay,
  exceptions,
  interact,
  bang,
  returnCommand,
  retry,
  cont,
  quit,
];

/** Builds a table from commands (default {@link COMMANDS}). A duplicate name is a programming error: `ERR_TS_PDB_COMMAND_TABLE`. */
export function buildTable(commands: readonly Command[] = COMMANDS): CommandTable {
  const byName = new Map<string, Command>();
  for (const c of commands) {
    for (const n of [c.name, ...c.aliases]) {
      if (byName.has(n)) throw new TsPdbError('ERR_TS_PDB_COMMAND_TABLE', `ts-pdb: command name ${n} is used twice`);
      byName.set(n, c);
    }
  }
  return {
    commands,
    find: (word) => byName.get(word),
    names: [...byName.keys()].filter((n) => /^\w+$/.test(n)),
  };
}

/** The default command table. */
export const TABLE: CommandTable = buildTable();

/**
 * A command name followed by one of these is JavaScript, not the command: `c = 3`, `l.length`,
 * `a[0]`, `p += 1` (but `l .` is the list command: a space before `.` or `[` keeps the command) (pdb asks for `!` in such cases; this reads what the user meant).
 */
const NOT_A_COMMAND = /^(?:\s*(?:[-+*/%&|^]?=(?![=>])|\*\*=|<<=|>>>?=|&&=|\|\|=|\?\?=)|\?\.|\.|\[|\+\+|--)/;

/**
 * True when `line` runs a command of `table` (`w`, `p x`, `!x = 1`), false when it is JavaScript
 * for the session to evaluate (`cart.length`, `c = 3`), by the rule {@link runCommandLine} follows.
 */
export function isCommandLine(line: string, table: CommandTable = TABLE): boolean {
  const text = line.trim();
  if (text.startsWith('!')) return true;
  const m = /^(\?|[A-Za-z_]\w*)(.*)$/s.exec(text);
  return !!m && !!table.find(m[1]) && !NOT_A_COMMAND.test(m[2]);
}

/** Runs one command line (no `;;`: the loop splits those). Faults become `*** ...` lines; throws only when the channel cannot even say so. */
export function runCommandLine(ctx: CommandContext, line: string): CommandOutcome {
  try {
    const text = line.trim();
    if (!text) return undefined;
    if (text.startsWith('!')) return bang.run(ctx, text.slice(1).trim());
    const m = /^(\?|[A-Za-z_]\w*)(.*)$/s.exec(text);
    const cmd = m ? ctx.table.find(m[1]) : undefined;
    if (cmd && m && !NOT_A_COMMAND.test(m[2])) {
      return cmd.run(ctx, m[2].trim());
    }
    execute(ctx, text, 'auto');
    return undefined;
  } catch (fault) {
    // If the channel itself is what failed, this throws too, and the loop ends the session.
    ctx.fail(`internal error in the debugger (the session goes on): ${describeFault(fault)}`);
    return undefined;
  }
}
