/**
 * The shape of a session command (pdb's `do_*` methods as data) and the context it runs in.
 * Help text, the `h` listing and completion are generated from these records.
 */
import pc = require('picocolors');
import type { Channel } from '../channel';
import type { Session } from '../session';

/** Palette of the session's colours: real ones when the channel wants colours, identity functions otherwise. */
export type Colors = ReturnType<typeof pc.createColors>;

/** How a command ends the session, if it does. */
export type CommandOutcome = void | 'continue' | 'quit';

/** One command of the table. */
export interface Command {
  /** Full name (`where`). */
  name: string;
  /** Other names (`w`, `bt`); pdb's abbreviations. */
  aliases: readonly string[];
  /** The usage line as help shows it, pdb style (`u(p) [count]`). */
  usage: string;
  /** Help text: the first sentence is the summary in the `h` listing. */
  help: string;
  /** What follows the name, for completion: an `expression`, a `command` name, or nothing. Default `none`. */
  argument?: 'expression' | 'command' | 'none';
  /** Runs the command with the rest of the line (trimmed). */
  run(ctx: CommandContext, arg: string): CommandOutcome;
}

/** The looked-up command table. */
export interface CommandTable {
  /** Commands in help order. */
  readonly commands: readonly Command[];
  /** The command of a name or alias. */
  find(word: string): Command | undefined;
  /** Every name and alias a user can type, for completion. */
  readonly names: readonly string[];
}

/** What a command can use: the engine, the channel and output helpers. */
export interface CommandContext {
  session: Session;
  channel: Channel;
  table: CommandTable;
  /** Colours for this channel. */
  c: Colors;
  /** Writes `text` and a newline. */
  print(text: string): void;
  /** Writes pdb's error line: `*** message`. */
  fail(message: string): void;
}

/** A context for `session` on `channel`. */
export function makeContext(session: Session, channel: Channel, table: CommandTable): CommandContext {
  return {
    session,
    channel,
    table,
    c: pc.createColors(!!channel.colors),
    print: (text) => channel.write(`${text}\n`),
    fail: (message) => channel.error(`*** ${message}\n`),
  };
}
